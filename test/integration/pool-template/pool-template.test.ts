import { usesEntraSshLogin } from '../../../electron/azure/ssh-cert/entra-login'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { wallClock, zonedTime } from '../../../shared/time-zones'
import { toParameterFile } from '../../../shared/parameter-file'
import { poolTags } from '../../../shared/pool-tags'
import { FakeInstance } from '../../unit/scripts/fake-instance'
import { IdentityStandIn } from '../../unit/scripts/identity-stand-in'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { collect } from '../sandbox/resources/clients'
import {
  armGet,
  clientsFor,
  deployPool,
  mountScripts,
  owner,
  poolSpec,
  poolTemplate,
  recordProviderRequests,
  sshKey,
} from './deploy'

/**
 * resources/templates/dsvm-pool.json deployed to the sandbox with the real SDK clients, from
 * parameter files written by shared/parameter-file.ts: Linux and Windows, public and
 * internal, new and existing storage, Regular and Spot.
 */

/** Milliseconds from `now` until the next `weekday` (0 = Sunday) at hour:minute in Berlin. */
function untilBerlin(now: number, weekday: number, hour: number, minute: number): number {
  for (let day = 0; day <= 7; day++) {
    const date = wallClock(now + day * 86_400_000, 'Europe/Berlin')
    if (date.weekday !== weekday) continue
    const at = zonedTime({ ...date, hour, minute }, 'Europe/Berlin')
    if (at > now) return at - now
  }
  throw new Error('no such time within a week')
}

const customRules = (rules: Array<{ name?: string }> | undefined) =>
  (rules ?? []).map((r) => r as Record<string, unknown>)

describe('the pool template in the sandbox', () => {
  let test: TestSandbox
  let clients: ReturnType<typeof clientsFor>

  beforeAll(async () => {
    test = await startTestSandbox({ timeScale: 600 })
    clients = clientsFor(test)
  })
  afterAll(() => test?.close())

  describe('Linux, public address, new storage account, Regular priority, working hours', () => {
    const pool = 'teampool'
    const group = 'teampool-rg'
    let key: string
    let otherKey: string
    let deployment: Awaited<ReturnType<typeof deployPool>>['deployment']
    let script: string
    let settings: Record<string, unknown>

    beforeAll(async () => {
      const recorder = recordProviderRequests(test)
      try {
        const spec = poolSpec(test, {
          poolName: pool,
          autoscale: {
            enabled: true,
            minimum: 1,
            maximum: 6,
            default: 2,
            schedule: {
              days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
              start: '08:30',
              end: '18:00',
              timeZone: 'Europe/Berlin',
            },
          },
        })
        ;({ deployment } = await deployPool(test, spec))
        const extension =
          recorder.scaleSetPut(pool).properties.virtualMachineProfile.extensionProfile
            .extensions[0]!
        settings = extension.properties.settings
        script = Buffer.from(extension.properties.protectedSettings!.script!, 'base64').toString()
      } finally {
        recorder.stop()
      }
      const keys = await clients.storage.storageAccounts.listKeys(group, 'teampoolfiles')
      key = keys.keys![0]!.value!
      otherKey = keys.keys![1]!.value!
    })

    it('succeeds and answers the JupyterHub URL, FQDN, NAT ports and share, without secrets', () => {
      expect(deployment.properties.provisioningState).toBe('Succeeded')
      const outputs = Object.fromEntries(
        Object.entries(deployment.properties.outputs!).map(([k, v]) => [k, v.value]),
      )
      expect(outputs.fqdn).toBe('teampool.westeurope.cloudapp.azure.com')
      expect(outputs.jupyterHubUrl).toBe('https://teampool.westeurope.cloudapp.azure.com:8000')
      expect(outputs.natPortRange).toBe('50000-50119')
      expect(outputs.natBackendPort).toBe(22)
      expect(outputs.shareUnc).toBe('\\\\teampoolfiles.file.core.windows.net\\notebooks')
      expect(outputs.shareUrl).toBe('https://teampoolfiles.file.core.windows.net/notebooks')
      expect(JSON.stringify(deployment)).not.toContain(key)
    })

    it('gives the scale set a managed identity that may read the keys of its storage account and nothing else', async () => {
      const accountId = `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/teampoolfiles`
      const identity = await clients.resources.resources.getById(
        `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${pool}-identity`,
        '2024-11-30',
      )
      const { principalId, clientId } = identity.properties as Record<string, string>
      const scaleSet = await clients.compute.virtualMachineScaleSets.get(group, pool)
      expect(scaleSet.identity?.type).toBe('SystemAssigned, UserAssigned')
      expect(Object.values(scaleSet.identity!.userAssignedIdentities!)).toEqual([
        { principalId, clientId },
      ])
      const assignments = await armGet<{ value: Array<{ properties: Record<string, string> }> }>(
        test,
        `${accountId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      )
      expect(assignments.value.map((a) => a.properties)).toEqual([
        expect.objectContaining({
          principalId,
          principalType: 'ServicePrincipal',
          scope: accountId,
          // Reader and Data Access: read the account and list its keys, nothing more.
          roleDefinitionId: `/subscriptions/${test.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/c12c1c16-33a1-487b-954d-41c89c60f349`,
        }),
      ])
      expect(script).toContain(
        `export KEY_SOURCE=identity IDENTITY_CLIENT_ID='${clientId}' STORAGE_ACCOUNT_ID='${accountId}' ARM_ENDPOINT='${test.sandbox.armEndpoint}/'\n`,
      )
    })

    it('holds no storage key in the parameters, the extension settings (plain and protected), the outputs or the scale set', async () => {
      expect(script).toContain(mountScripts.Linux)
      expect(settings).toEqual({})
      const visible = JSON.stringify([
        deployment,
        script,
        settings,
        await clients.compute.virtualMachineScaleSets.get(group, pool),
        await collect(clients.deployments.listOperations(group, deployment.name)),
        await clients.deployments.get(group, `${pool}-share-key-access`),
      ])
      for (const secret of [key, otherKey]) expect(visible).not.toContain(secret)
      expect(deployment.properties.parameters.storageAccountKey).toEqual({ type: 'SecureString' })
      expect(deployment.properties.parameters.keyAccess).toEqual({
        type: 'String',
        value: 'identity',
      })
    })

    it('delivers a script that gets the key through the identity and mounts the share (run in a fake root)', async () => {
      const instance = new FakeInstance()
      const clientId = /IDENTITY_CLIENT_ID='([^']+)'/.exec(script)![1]!
      const accountId = /STORAGE_ACCOUNT_ID='([^']+)'/.exec(script)![1]!
      // The instance metadata service and Resource Manager as the instance sees them, with
      // this account's real keys.
      const standIn = new IdentityStandIn(clientId, accountId)
      const keys = (await clients.storage.storageAccounts.listKeys(group, 'teampoolfiles')).keys!
      standIn.keys = keys.map((k) => ({
        keyName: k.keyName as 'key1' | 'key2',
        value: k.value!,
        creationTime: k.creationTime!.toISOString(),
      }))
      await standIn.start()
      const dir = mkdtempSync(join(tmpdir(), 'delivered-'))
      try {
        const file = join(dir, 'script.sh')
        writeFileSync(
          file,
          script.replace(
            `ARM_ENDPOINT='${test.sandbox.armEndpoint}/'`,
            `ARM_ENDPOINT='${standIn.origin}/'`,
          ),
        )
        const result = await instance.run(
          { ...FakeInstance.bare(), IDENTITY_ENDPOINT: standIn.env.IDENTITY_ENDPOINT },
          [],
          { shell: 'sh', file },
        )
        expect(result.stderr).toBe('')
        expect(result.status).toBe(0)
        expect(instance.read(`etc/smbcredentials/teampoolfiles.cred`)).toBe(
          `username=teampoolfiles\npassword=${key}\n`,
        )
        expect(instance.mounts()).toContain('/var/lib/dsvm-pool/share')
        for (const line of result.commandLines)
          for (const secret of [key, otherKey, standIn.token]) expect(line).not.toContain(secret)
      } finally {
        instance.remove()
        await standIn.stop()
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('opens only JupyterHub and SSH, from the allowed ranges', async () => {
      const nsg = await clients.network.networkSecurityGroups.get(group, `${pool}-nsg`)
      const rules = customRules(nsg.securityRules)
      expect(rules).toHaveLength(2)
      expect(
        rules.map((r) => ({
          port: r.destinationPortRange,
          from: r.sourceAddressPrefixes,
          access: r.access,
          direction: r.direction,
          protocol: r.protocol,
        })),
      ).toEqual([
        {
          port: '8000',
          from: ['203.0.113.0/24', '198.51.100.7'],
          access: 'Allow',
          direction: 'Inbound',
          protocol: 'Tcp',
        },
        {
          port: '22',
          from: ['203.0.113.0/24', '198.51.100.7'],
          access: 'Allow',
          direction: 'Inbound',
          protocol: 'Tcp',
        },
      ])
    })

    it('puts a Standard load balancer with the JupyterHub rule and probe and an SSH NAT pool on a static public address', async () => {
      const ip = await clients.network.publicIPAddresses.get(group, `${pool}-ip`)
      expect(ip.sku?.name).toBe('Standard')
      expect(ip.publicIPAllocationMethod).toBe('Static')
      expect(ip.dnsSettings?.domainNameLabel).toBe(pool)

      const lb = await clients.network.loadBalancers.get(group, `${pool}-lb`)
      expect(lb.sku?.name).toBe('Standard')
      expect(lb.frontendIPConfigurations![0]!.publicIPAddress?.id).toBe(ip.id)
      expect(lb.probes).toEqual([
        expect.objectContaining({ name: 'jupyterhub', protocol: 'Tcp', port: 8000 }),
      ])
      const rule = lb.loadBalancingRules![0]!
      expect(rule).toMatchObject({ protocol: 'Tcp', frontendPort: 8000, backendPort: 8000 })
      expect(rule.probe?.id).toBe(lb.probes![0]!.id)
      expect(lb.inboundNatPools).toEqual([
        expect.objectContaining({
          name: 'ssh',
          protocol: 'Tcp',
          frontendPortRangeStart: 50000,
          frontendPortRangeEnd: 50119,
          backendPort: 22,
        }),
      ])
      expect(lb.outboundRules).toHaveLength(1)
    })

    it('creates a Uniform scale set: manual upgrades, no overprovisioning, SSH key only, DSVM image without plan', async () => {
      const scaleSet = await clients.compute.virtualMachineScaleSets.get(group, pool)
      // The capacity follows the working-hours schedule from the start (see the autoscale test).
      expect(scaleSet.sku?.name).toBe('Standard_D4s_v5')
      expect(scaleSet.orchestrationMode).toBe('Uniform')
      expect(scaleSet.upgradePolicy?.mode).toBe('Manual')
      expect(scaleSet.overprovision).toBe(false)
      expect(scaleSet.singlePlacementGroup).toBe(true)
      expect(scaleSet.plan).toBeUndefined()
      const profile = scaleSet.virtualMachineProfile!
      expect(profile.storageProfile?.imageReference).toMatchObject({
        publisher: 'microsoft-dsvm',
        offer: 'ubuntu-2204',
        sku: '2204',
        version: 'latest',
      })
      expect(profile.osProfile?.linuxConfiguration).toMatchObject({
        disablePasswordAuthentication: true,
        ssh: {
          publicKeys: [{ path: '/home/dsvmadmin/.ssh/authorized_keys', keyData: sshKey }],
        },
      })
      expect(profile.osProfile?.windowsConfiguration ?? undefined).toBeUndefined()
      expect(profile.priority).toBe('Regular')
      expect(profile.evictionPolicy ?? undefined).toBeUndefined()
      expect(profile.billingProfile ?? undefined).toBeUndefined()
      const ipConfig =
        profile.networkProfile!.networkInterfaceConfigurations![0]!.ipConfigurations![0]!
      expect(ipConfig.loadBalancerInboundNatPools![0]!.id).toMatch(/\/inboundNatPools\/ssh$/)
      expect(ipConfig.loadBalancerBackendAddressPools![0]!.id).toMatch(
        /\/backendAddressPools\/backend$/,
      ) // Members sign in with their Microsoft accounts: Entra ID login on every instance (team.md).
      expect(profile.extensionProfile!.extensions).toContainEqual(
        expect.objectContaining({
          name: 'AADSSHLoginForLinux',
          publisher: 'Microsoft.Azure.ActiveDirectory',
          typePropertiesType: 'AADSSHLoginForLinux',
          autoUpgradeMinorVersion: true,
        }),
      )
      expect(usesEntraSshLogin(scaleSet)).toBe(true)
      // The Entra ID login needs the scale set's system-assigned managed identity.
      expect(scaleSet.identity?.type).toMatch(/SystemAssigned/)
    })

    it('creates the storage account and the share', async () => {
      const account = await clients.storage.storageAccounts.getProperties(group, 'teampoolfiles')
      expect(account.kind).toBe('StorageV2')
      expect(account.minimumTlsVersion).toBe('TLS1_2')
      const share = await clients.storage.fileShares.get(group, 'teampoolfiles', 'notebooks')
      expect(share.name).toBe('notebooks')
    })

    it('sets up autoscale: CPU rules in working hours (Windows time zone name), zero outside', async () => {
      const setting = await clients.monitor.autoscaleSettings.get(group, `${pool}-autoscale`)
      expect(setting.enabled).toBe(true)
      expect(setting.targetResourceUri?.toLowerCase()).toMatch(
        /\/virtualmachinescalesets\/teampool$/,
      )
      const [working, outside] = setting.profiles
      expect(working).toMatchObject({
        name: 'working-hours',
        capacity: { minimum: '1', maximum: '6', default: '2' },
        recurrence: {
          frequency: 'Week',
          schedule: {
            timeZone: 'W. Europe Standard Time',
            days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
            hours: [8],
            minutes: [30],
          },
        },
      })
      expect(
        working!.rules.map((r) => [r.metricTrigger.operator, r.scaleAction.direction]),
      ).toEqual([
        ['GreaterThan', 'Increase'],
        ['LessThan', 'Decrease'],
      ])
      expect(outside).toMatchObject({
        name: 'outside-working-hours',
        capacity: { minimum: '0', maximum: '0', default: '0' },
        rules: [],
        recurrence: { schedule: { hours: [18], minutes: [0] } },
      })
    })

    it('scales to the working-hours capacity on Monday morning in Berlin and to zero after 18:00', async () => {
      const capacity = async () =>
        (await clients.compute.virtualMachineScaleSets.get(group, pool)).sku!.capacity
      const clock = test.sandbox.clock
      clock.advance(untilBerlin(clock.now(), 1, 10, 0))
      clock.advance(15 * 60_000)
      const working = await capacity()
      expect(working).toBeGreaterThanOrEqual(1)
      expect(working).toBeLessThanOrEqual(6)
      clock.advance(untilBerlin(clock.now(), 1, 18, 30))
      clock.advance(15 * 60_000)
      expect(await capacity()).toBe(0)
    })

    it('tags every resource with the pool, the template version, the owner and the given tags', async () => {
      const listed = await collect(clients.resources.resources.listByResourceGroup(group))
      expect(listed.length).toBe(8)
      for (const resource of listed) {
        expect(resource.tags, resource.type).toMatchObject({
          [poolTags.pool]: pool,
          [poolTags.owner]: owner,
          [poolTags.templateVersion]: '1.0.0',
          team: 'ml',
        })
      }
    })
  })

  describe('Windows, internal address, existing storage account, Spot', () => {
    const pool = 'winpool'
    const group = 'winpool-rg'
    const storageGroup = 'shared-files'
    let key: string
    let deployment: Awaited<ReturnType<typeof deployPool>>['deployment']
    let command: string
    let protectedSettings: unknown
    let customData: string

    beforeAll(async () => {
      await clients.resources.resourceGroups.createOrUpdate(storageGroup, {
        location: 'westeurope',
      })
      await clients.storage.storageAccounts.beginCreateAndWait(
        storageGroup,
        'teamfiles',
        { location: 'westeurope', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
        { updateIntervalInMs: 10 },
      )
      await clients.storage.fileShares.create(storageGroup, 'teamfiles', 'projects', {})
      key = (await clients.storage.storageAccounts.listKeys(storageGroup, 'teamfiles')).keys![1]!
        .value!
      const recorder = recordProviderRequests(test)
      try {
        const spec = poolSpec(test, {
          poolName: pool,
          osType: 'Windows',
          sshPublicKey: undefined,
          adminPassword: 'Correct-Horse-42!',
          priority: 'Spot',
          evictionPolicy: 'Delete',
          maxPrice: 0.5,
          network: { access: 'Internal' },
          storage: {
            mode: 'existing',
            accountName: 'teamfiles',
            accountResourceGroup: storageGroup,
            shareName: 'projects',
            mountpointPath: 'Z:',
          },
          autoscale: { enabled: false, minimum: 0, maximum: 3, default: 1, schedule: null },
          instanceCount: 1,
        })
        // As for a deployer who may not assign roles: the key travels with the deployment.
        ;({ deployment } = await deployPool(test, spec, {
          storageAccountKey: key,
          keyAccess: 'settings',
        }))
        const body = recorder.scaleSetPut(pool)
        const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
        command = extension.properties.settings.commandToExecute!
        protectedSettings = extension.properties.protectedSettings
        customData = Buffer.from(
          body.properties.virtualMachineProfile.osProfile.customData!,
          'base64',
        ).toString()
      } finally {
        recorder.stop()
      }
    })

    it('answers the private JupyterHub URL and no FQDN', () => {
      expect(deployment.properties.provisioningState).toBe('Succeeded')
      const outputs = deployment.properties.outputs!
      expect(outputs.fqdn!.value).toBe('')
      expect(outputs.jupyterHubUrl!.value).toMatch(/^https:\/\/10\.0\.0\.\d+:8000$/)
      expect(outputs.natBackendPort!.value).toBe(3389)
      expect(outputs.shareUnc!.value).toBe('\\\\teamfiles.file.core.windows.net\\projects')
    })

    it('without a managed identity, passes the given key only in customData, never on a command line, in settings, parameters or outputs', async () => {
      expect(customData).toContain(
        `$env:KEY_SOURCE = 'settings'\n$env:STORAGE_ACCOUNT_KEY = '${key}'\n`,
      )
      expect(customData).toContain("$env:MOUNT_POINT = 'Z:'")
      expect(customData.endsWith(mountScripts.Windows)).toBe(true)
      expect(command).toBe(
        'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "& ([scriptblock]::Create([IO.File]::ReadAllText((Join-Path $env:SystemDrive \'AzureData\\CustomData.bin\'))))"',
      )
      expect(protectedSettings ?? null).toBeNull()
      expect(deployment.properties.parameters.storageAccountKey).toEqual({ type: 'SecureString' })
      expect(deployment.properties.parameters.adminPassword).toEqual({ type: 'SecureString' })
      const visible = JSON.stringify([
        deployment,
        await clients.compute.virtualMachineScaleSets.get(group, pool),
        await collect(clients.deployments.listOperations(group, deployment.name)),
      ])
      expect(visible).not.toContain(key)
      expect(visible).not.toContain('Correct-Horse-42!')
    })

    it('creates neither a public address nor a storage account', async () => {
      const listed = await collect(clients.resources.resources.listByResourceGroup(group))
      expect(listed.map((r) => r.type!.toLowerCase()).sort()).toEqual([
        'microsoft.compute/virtualmachinescalesets',
        'microsoft.insights/autoscalesettings',
        'microsoft.network/loadbalancers',
        'microsoft.network/networksecuritygroups',
        'microsoft.network/virtualnetworks',
      ])
      const lb = await clients.network.loadBalancers.get(group, `${pool}-lb`)
      const frontend = lb.frontendIPConfigurations![0]!
      expect(frontend.publicIPAddress).toBeUndefined()
      expect(frontend.subnet?.id).toMatch(/\/virtualNetworks\/winpool-vnet\/subnets\/default$/)
      expect(frontend.privateIPAddress).toMatch(/^10\.0\.0\.\d+$/)
      expect(lb.outboundRules ?? []).toEqual([])
      expect(lb.inboundNatPools).toEqual([
        expect.objectContaining({ name: 'rdp', backendPort: 3389, frontendPortRangeStart: 50000 }),
      ])
    })

    it('opens only JupyterHub and RDP', async () => {
      const nsg = await clients.network.networkSecurityGroups.get(group, `${pool}-nsg`)
      expect(customRules(nsg.securityRules).map((r) => r.destinationPortRange)).toEqual([
        '8000',
        '3389',
      ])
    })

    it('creates a Windows Spot scale set with its eviction policy and price cap', async () => {
      const scaleSet = await clients.compute.virtualMachineScaleSets.get(group, pool)
      const profile = scaleSet.virtualMachineProfile!
      expect(profile.priority).toBe('Spot')
      expect(profile.evictionPolicy).toBe('Delete')
      expect(profile.billingProfile?.maxPrice).toBe(0.5)
      expect(profile.osProfile?.linuxConfiguration ?? undefined).toBeUndefined()
      expect(profile.osProfile?.windowsConfiguration).toMatchObject({ provisionVMAgent: true })
      expect(profile.osProfile?.computerNamePrefix).toBe('winpool')
      expect(profile.osProfile?.adminPassword).toBeUndefined()
      expect(profile.storageProfile?.imageReference).toMatchObject({
        offer: 'dsvm-win-2022',
        sku: 'winserver-2022',
      })
      const extension = profile.extensionProfile!.extensions![0]!
      expect(extension).toMatchObject({
        publisher: 'Microsoft.Compute',
        typePropertiesType: 'CustomScriptExtension',
      })
      expect(profile.extensionProfile!.extensions).toContainEqual(
        expect.objectContaining({
          publisher: 'Microsoft.Azure.ActiveDirectory',
          typePropertiesType: 'AADLoginForWindows',
        }),
      )
      expect(usesEntraSshLogin(scaleSet)).toBe(false)
      expect(scaleSet.sku?.capacity).toBe(1)
      const instances = await collect(clients.compute.virtualMachineScaleSetVMs.list(group, pool))
      expect(instances).toHaveLength(1)
    })

    it('keeps autoscale off with one always-on profile', async () => {
      const setting = await clients.monitor.autoscaleSettings.get(group, `${pool}-autoscale`)
      expect(setting.enabled).toBe(false)
      expect(setting.profiles).toEqual([
        expect.objectContaining({
          name: 'pool',
          capacity: { minimum: '0', maximum: '3', default: '1' },
        }),
      ])
      expect(setting.profiles[0]!.recurrence).toBeUndefined()
    })
  })

  describe('before deploying (Review and pre-flight)', () => {
    it('validates and shows what-if for a new pool without creating anything', async () => {
      const spec = poolSpec(test, { poolName: 'previewpool', network: { access: 'Internal' } })
      await clients.resources.resourceGroups.createOrUpdate(spec.resourceGroup.name, {
        location: spec.location,
      })
      const body = {
        properties: {
          mode: 'Incremental' as const,
          template: poolTemplate,
          parameters: toParameterFile(spec, { mountScript: mountScripts.Linux }).parameters,
        },
      }
      const validated = await clients.deployments.beginValidateAndWait(
        'previewpool-rg',
        'preview',
        body,
      )
      expect(validated.error).toBeUndefined()
      const whatIf = await clients.deployments.beginWhatIfAndWait('previewpool-rg', 'preview', body)
      const changes = whatIf.changes.map((c) => [
        c.resourceId.split('/providers/').slice(1).join('/providers/'),
        c.changeType,
      ])
      expect(changes.sort()).toEqual(
        [
          ['Microsoft.Compute/virtualMachineScaleSets/previewpool', 'Create'],
          ['Microsoft.ManagedIdentity/userAssignedIdentities/previewpool-identity', 'Create'],
          ['Microsoft.Resources/deployments/previewpool-share-key-access', 'Create'],
          ['Microsoft.Insights/autoscalesettings/previewpool-autoscale', 'Create'],
          ['Microsoft.Network/loadBalancers/previewpool-lb', 'Create'],
          ['Microsoft.Network/networkSecurityGroups/previewpool-nsg', 'Create'],
          ['Microsoft.Network/virtualNetworks/previewpool-vnet', 'Create'],
          ['Microsoft.Storage/storageAccounts/previewpoolfiles', 'Create'],
          [
            'Microsoft.Storage/storageAccounts/previewpoolfiles/fileServices/default/shares/notebooks',
            'Create',
          ],
        ].sort(),
      )
      const listed = await collect(
        clients.resources.resources.listByResourceGroup('previewpool-rg'),
      )
      expect(listed).toEqual([])
    })

    it('refuses a parameter file that does not fit the template, naming the parameter', async () => {
      const spec = poolSpec(test, { poolName: 'badpool' })
      await clients.resources.resourceGroups.createOrUpdate('badpool-rg', {
        location: 'westeurope',
      })
      const parameters = {
        ...toParameterFile(spec, { mountScript: mountScripts.Linux }).parameters,
        networkAccess: { value: 'Everywhere' },
      }
      await expect(
        clients.deployments.beginCreateOrUpdateAndWait('badpool-rg', 'bad', {
          properties: { mode: 'Incremental', template: poolTemplate, parameters },
        }),
      ).rejects.toThrow(
        /The provided value 'Everywhere' for the template parameter 'networkAccess'.*not part of the allowed value\(s\): 'Public,Internal'/,
      )
      expect(await collect(clients.resources.resources.listByResourceGroup('badpool-rg'))).toEqual(
        [],
      )
    })
  })

  describe('an image with a marketplace plan', () => {
    it('passes the plan to the scale set, so its terms must be accepted first', async () => {
      const plan = { name: '2204', publisher: 'microsoft-dsvm', product: 'ubuntu-hpc' }
      const spec = poolSpec(test, { poolName: 'hpcpool', instanceCount: 1 })
      await clients.resources.resourceGroups.createOrUpdate(spec.resourceGroup.name, {
        location: spec.location,
      })
      const parameters = {
        ...toParameterFile(spec, { mountScript: mountScripts.Linux }).parameters,
        image: {
          value: {
            publisher: 'microsoft-dsvm',
            offer: 'ubuntu-hpc',
            sku: '2204',
            version: 'latest',
            plan,
          },
        },
      }
      const body = {
        properties: { mode: 'Incremental' as const, template: poolTemplate, parameters },
      }
      await expect(
        clients.deployments.beginCreateOrUpdateAndWait('hpcpool-rg', 'hpc', body),
      ).rejects.toThrow(/DeploymentFailed/)
      const failed = await clients.deployments.get('hpcpool-rg', 'hpc')
      expect(failed.properties.error!.details).toEqual([
        expect.objectContaining({ code: 'ResourcePurchaseValidationFailed' }),
      ])

      // What the wizard does on the person's confirmation: accept the terms, deploy again.
      const termsPath = `subscriptions/${test.sandbox.subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/${plan.publisher}/offers/${plan.product}/plans/${plan.name}/agreements/current`
      const terms = await clients.resources.resources.getById(termsPath, '2021-01-01')
      await clients.resources.resources
        .createOrUpdateById(termsPath, '2021-01-01', {
          properties: { ...terms.properties, accepted: true },
        })
        .pollUntilDone()
      const done = await clients.deployments.beginCreateOrUpdateAndWait('hpcpool-rg', 'hpc', body)
      expect(done.properties.provisioningState).toBe('Succeeded')
      const scaleSet = await clients.compute.virtualMachineScaleSets.get('hpcpool-rg', 'hpcpool')
      expect(scaleSet.plan).toEqual(plan)
      expect(scaleSet.virtualMachineProfile?.storageProfile?.imageReference).toEqual(
        expect.not.objectContaining({ plan: expect.anything() }),
      )
    })
  })

  describe('Windows, public address, new storage account', () => {
    it('gets the key through the managed identity: a fixed command, and no key in customData or settings', async () => {
      const recorder = recordProviderRequests(test)
      let body: ReturnType<typeof recorder.scaleSetPut>
      let deployment: Awaited<ReturnType<typeof deployPool>>['deployment']
      try {
        ;({ deployment } = await deployPool(
          test,
          poolSpec(test, {
            poolName: 'winpub',
            osType: 'Windows',
            sshPublicKey: undefined,
            adminPassword: 'Correct-Horse-42!',
            instanceCount: 1,
            storage: {
              mode: 'new',
              accountName: 'winpubfiles',
              shareName: 'notebooks',
              mountpointPath: 'Y:',
            },
          }),
        ))
        expect(deployment.properties.provisioningState).toBe('Succeeded')
        expect(deployment.properties.outputs!.jupyterHubUrl!.value).toBe(
          'https://winpub.westeurope.cloudapp.azure.com:8000',
        )
        body = recorder.scaleSetPut('winpub')
      } finally {
        recorder.stop()
      }
      const keys = (await clients.storage.storageAccounts.listKeys('winpub-rg', 'winpubfiles'))
        .keys!
      const customData = Buffer.from(
        body.properties.virtualMachineProfile.osProfile.customData!,
        'base64',
      ).toString()
      expect(customData).toContain("$env:KEY_SOURCE = 'identity'")
      expect(customData).toMatch(/\$env:IDENTITY_CLIENT_ID = '[0-9a-f-]{36}'/)
      const visible = JSON.stringify([
        body,
        customData,
        deployment,
        await clients.compute.virtualMachineScaleSets.get('winpub-rg', 'winpub'),
      ])
      for (const k of keys) expect(visible).not.toContain(k.value!)
    })
  })
})
