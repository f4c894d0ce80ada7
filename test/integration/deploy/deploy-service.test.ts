import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import type { ArmContext } from '../../../electron/azure/arm-context'
import { DeployService, templateFiles } from '../../../electron/azure/deploy/index'
import { ed25519KeyPair } from '../../../electron/azure/ssh-keys'
import type { DeploymentStatus, PreflightResult } from '../../../shared/deploy'
import { poolSpecSchema, type PoolSpec } from '../../../shared/pool-spec'
import { acceptedDelayMs } from '../../../sandbox/arm/deployments/engine'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

/*
 * The deployment service against the sandbox through the real SDK clients: pre-flight
 * problems and their fixes, what-if, a Linux pool deployed and watched from its operations to
 * success, cancel, and a new service instance ("after a restart") that finds a running
 * deployment and watches it to the end.
 */
describe('deploy service', () => {
  let test: TestSandbox
  const files = templateFiles()
  const sshPublicKey = ed25519KeyPair('ada@laptop').publicKey
  const services: DeployService[] = []

  const contextFor =
    (username = 'ada@contoso.example') =>
    async (subscriptionId: string): Promise<ArmContext> => ({
      cloud: sandboxCloud(test.sandbox),
      subscriptionId,
      tenantId: test.sandbox.tenantId,
      accountId: username,
      credential: test.credential(username),
      tlsCa: test.sandbox.caCert,
    })

  /** The app registrations the sandbox's directory holds. */
  const registeredApps = () =>
    test.sandbox.context.state
      .table<{ displayName: string; redirectUris: string[] }>('graphApplications')
      .values()

  function service(
    username?: string,
    progress: DeploymentStatus[] = [],
  ): { service: DeployService; progress: DeploymentStatus[] } {
    const created = new DeployService({
      contextFor: contextFor(username),
      files,
      onProgress: (status) => progress.push(status),
      ownerOf: async () => 'ada@contoso.example',
      watchIntervalMs: 20,
      updateIntervalInMs: 10,
    })
    services.push(created)
    return { service: created, progress }
  }

  function spec(changes: Partial<PoolSpec> = {}): PoolSpec {
    const poolName = changes.poolName ?? 'team'
    return poolSpecSchema.parse({
      subscriptionId: test.sandbox.subscriptionId,
      resourceGroup: { mode: 'new', name: `${poolName}-rg` },
      location: 'westeurope',
      poolName,
      osType: 'Linux',
      vmSku: 'Standard_D4s_v5',
      instanceCount: 2,
      priority: 'Regular',
      evictionPolicy: 'Deallocate',
      maxPrice: -1,
      autoscale: { enabled: true, minimum: 0, maximum: 4, default: 2, schedule: null },
      adminUsername: 'dsvmadmin',
      sshPublicKey,
      allowedSourceRanges: ['203.0.113.0/24'],
      network: { access: 'Public', dnsLabel: poolName },
      storage: {
        mode: 'new',
        accountName: `${poolName.replace(/-/g, '')}files`,
        shareName: 'notebooks',
        mountpointPath: '/mnt/dsvmshare',
      },
      tags: {},
      ...changes,
    })
  }

  const checkOf = (result: PreflightResult, id: string) => {
    const found = result.checks.find((c) => c.id === id)
    if (!found) throw new Error(`No ${id} check in ${JSON.stringify(result.checks)}`)
    return found
  }

  async function until(
    progress: DeploymentStatus[],
    done: (status: DeploymentStatus) => boolean,
  ): Promise<DeploymentStatus> {
    for (let i = 0; i < 3000; i++) {
      const found = progress.find(done)
      if (found) return found
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(`Not reached; last status: ${JSON.stringify(progress.at(-1))}`)
  }

  beforeAll(async () => {
    test = await startTestSandbox({ timeScale: 600 })
  })
  afterAll(async () => {
    for (const s of services) s.close()
    await test?.close()
  })

  it('passes pre-flight for a pool that fits, and what-if lists what a new group gets', async () => {
    const { service: deploy } = service()
    const result = await deploy.preflight(spec())
    expect(result.ready).toBe(true)
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['permissions', 'ok'],
      ['resourceGroup', 'ok'],
      ['size', 'ok'],
      ['quota', 'ok'],
      ['terms', 'ok'],
      ['storage', 'ok'],
      ['storageKey', 'ok'],
      ['template', 'skipped'],
    ])
    const whatIf = await deploy.whatIf(spec())
    expect(whatIf.source).toBe('newGroup')
    expect(whatIf.changes.map((c) => `${c.changeType} ${c.resourceType} ${c.name}`)).toContain(
      'Create Microsoft.Compute/virtualMachineScaleSets team',
    )
  })

  it('finds too little quota, says how much, and offers the quota request and a count that fits', async () => {
    const { service: deploy } = service()
    const result = await deploy.preflight(
      spec({
        instanceCount: 20,
        autoscale: { enabled: true, minimum: 0, maximum: 20, default: 20, schedule: null },
      }),
    )
    expect(result.ready).toBe(false)
    const quota = checkOf(result, 'quota')
    expect(quota.status).toBe('problem')
    // D4s_v5: 4 vCPUs each; the DSv5 family has 64 vCPUs on this subscription.
    expect(quota.message).toContain('20 × Standard_D4s_v5 need 80 vCPUs')
    expect(quota.message).toContain('64')
    expect(quota.fixes).toContainEqual({
      kind: 'link',
      label: 'Request more quota in the Azure portal',
      url: `${test.sandbox.armEndpoint}/#view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas`,
    })
    expect(quota.fixes).toContainEqual(
      expect.objectContaining({ kind: 'change', field: 'instanceCount', value: 16 }),
    )
  })

  it('suggests sizes and regions when the size is restricted in the region', async () => {
    const { service: deploy } = service()
    const result = await deploy.preflight(
      spec({ location: 'northeurope', vmSku: 'Standard_NC6s_v3', instanceCount: 1 }),
    )
    const size = checkOf(result, 'size')
    expect(size.status).toBe('problem')
    expect(size.message).toContain('Standard_NC6s_v3 is listed in northeurope but cannot be used')
    const changes = size.fixes.filter((f) => f.kind === 'change')
    const regions = changes.filter((f) => f.field === 'location').map((f) => f.value)
    expect(regions.length).toBeGreaterThan(0)
    expect(regions).not.toContain('northeurope')
    const sizes = changes.filter((f) => f.field === 'vmSku').map((f) => f.value)
    // Only GPU sizes stand in for a GPU size, and never a restricted one.
    expect(sizes.length).toBeGreaterThan(0)
    expect(sizes).not.toContain('Standard_NC6s_v3')
    for (const s of sizes) expect(String(s)).toMatch(/^Standard_N/)
    expect(checkOf(result, 'quota').status).toBe('skipped')
  })

  it('asks for the marketplace terms of an image with a plan and accepts them on request', async () => {
    const { service: deploy } = service()
    const plan = { publisher: 'contoso-ml', product: 'dsvm-plus', name: 'gpu-2204' }
    const before = checkOf(await deploy.preflight(spec(), plan), 'terms')
    expect(before.status).toBe('problem')
    expect(before.fixes).toEqual([
      {
        kind: 'acceptTerms',
        label: 'Read and accept the terms',
        publisher: 'contoso-ml',
        offer: 'dsvm-plus',
        plan: 'gpu-2204',
      },
    ])
    expect(await deploy.acceptTerms(test.sandbox.subscriptionId, plan)).toBe(true)
    expect(checkOf(await deploy.preflight(spec(), plan), 'terms').status).toBe('ok')
  })

  it('tells a Reader which role is missing', async () => {
    const { service: deploy } = service('alan@contoso.example')
    const permissions = checkOf(await deploy.preflight(spec()), 'permissions')
    expect(permissions.status).toBe('problem')
    expect(permissions.message).toContain('Contributor')
    expect(permissions.message).toContain('Microsoft.Resources/subscriptions/resourceGroups/write')
  })

  it('tells a Contributor, who may not assign roles, that the storage key travels in protected settings, and deploys that way', async () => {
    const { service: deploy, progress } = service('grace@contoso.example')
    const pool = spec({ poolName: 'graces-pool' })
    const storageKey = checkOf(await deploy.preflight(pool), 'storageKey')
    expect(storageKey.status).toBe('warning')
    expect(storageKey.message).toMatch(/may not assign roles/)
    expect(storageKey.message).toMatch(/protected settings/)
    expect(storageKey.message).toMatch(/Owner or User Access Administrator/)
    await deploy.start(pool)
    const done = await until(progress, (s) => s.state === 'Succeeded' || s.state === 'Failed')
    expect(done.failures).toEqual([])
    const types = done.resources.map((r) => r.type)
    expect(types).not.toContain('Microsoft.ManagedIdentity/userAssignedIdentities')
    expect(types).toContain('Microsoft.Compute/virtualMachineScaleSets')
    // Without the pool's identity JupyterHub cannot check membership: it keeps local sign-in,
    // and the person is told why and what else there is.
    expect(done.signIn).toMatch(
      /^JupyterHub keeps its own sign-in with local accounts: .*right to assign roles on the pool/,
    )
    expect(registeredApps().filter((a) => a.displayName.includes('graces-pool'))).toEqual([])
  })

  it('deploys a Linux pool, reports each resource from the operations, and ends with its URL', async () => {
    const { service: deploy, progress } = service()
    const first = await deploy.start(spec({ poolName: 'linux-one' }))
    expect(first.ref).toEqual({
      subscriptionId: test.sandbox.subscriptionId,
      resourceGroup: 'linux-one-rg',
      deploymentName: 'dsvm-pool-linux-one',
    })
    expect(progress[0]!.state).toBe('Creating group')
    const done = await until(progress, (s) => s.state === 'Succeeded' || s.state === 'Failed')
    expect(done.failures).toEqual([])
    expect(done.state).toBe('Succeeded')
    const byType = Object.fromEntries(done.resources.map((r) => [r.type, r]))
    expect(byType['Microsoft.Compute/virtualMachineScaleSets']).toMatchObject({
      name: 'linux-one',
      state: 'Succeeded',
    })
    expect(Object.keys(byType)).toEqual(
      expect.arrayContaining([
        'Microsoft.Network/loadBalancers',
        'Microsoft.Network/networkSecurityGroups',
        'Microsoft.Storage/storageAccounts',
        'Microsoft.Insights/autoscalesettings',
      ]),
    )
    expect(done.resources.every((r) => r.elapsedSeconds >= 0)).toBe(true)
    // Progress was seen while it ran: some resource was reported before it succeeded.
    expect(progress.some((s) => s.state === 'Running' && s.resources.length > 0)).toBe(true)
    expect(done.outputs?.jupyterHubUrl).toMatch(/^https:\/\/linux-one\..+:8000$/)
    // Ada may assign roles and register apps: JupyterHub signs members in with Microsoft
    // accounts, through an app registered for the pool's address.
    expect(done.signIn).toBe('Members sign in to JupyterHub with their Microsoft account.')
    expect(registeredApps().filter((a) => a.displayName.includes('linux-one'))).toEqual([
      expect.objectContaining({
        redirectUris: ['https://linux-one.westeurope.cloudapp.azure.com:8000/hub/oauth_callback'],
      }),
    ])
    expect(done.outputs?.scaleSetId).toMatch(
      /\/resourceGroups\/linux-one-rg\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/linux-one$/i,
    )
    expect(deploy.list()[0]).toMatchObject({ poolName: 'linux-one', state: 'Succeeded' })

    // The pool's group exists now: what-if is ARM's, and nothing would be created again.
    const again = await deploy.whatIf(
      spec({ poolName: 'linux-one', resourceGroup: { mode: 'existing', name: 'linux-one-rg' } }),
    )
    expect(again.source).toBe('azure')
    expect(again.changes.filter((c) => c.changeType === 'Create')).toEqual([])

    // A second pool may not reuse the group as "new", nor the storage name someone else has.
    const clash = await deploy.preflight(
      spec({ poolName: 'linux-one', resourceGroup: { mode: 'new', name: 'linux-one-rg' } }),
    )
    expect(checkOf(clash, 'resourceGroup')).toMatchObject({
      status: 'problem',
      fixes: [expect.objectContaining({ field: 'resourceGroup.mode', value: 'existing' })],
    })
    const taken = checkOf(
      await deploy.preflight(
        spec({ poolName: 'other', storage: { ...spec().storage, accountName: 'linuxonefiles' } }),
      ),
      'storage',
    )
    expect(taken.status).toBe('problem')
    expect(taken.message).toContain("'linuxonefiles' is taken")
    const suggestion = taken.fixes[0]
    expect(suggestion).toMatchObject({ kind: 'change', field: 'storage.accountName' })
    expect(String(suggestion && 'value' in suggestion ? suggestion.value : '')).toMatch(
      /^linuxonefiles\d{4}$/,
    )

    // An existing group in another region: allowed, said, with the fix of following the group.
    const elsewhere = checkOf(
      await deploy.preflight(
        spec({
          poolName: 'linux-one',
          location: 'eastus',
          resourceGroup: { mode: 'existing', name: 'linux-one-rg' },
        }),
      ),
      'resourceGroup',
    )
    expect(elsewhere).toMatchObject({
      status: 'warning',
      fixes: [{ kind: 'change', field: 'location', value: 'westeurope' }],
    })
    expect(elsewhere.message).toContain("'linux-one-rg' is in westeurope")

    // Existing group: Azure validates the deployment as part of pre-flight.
    const existing = await deploy.preflight(
      spec({ poolName: 'linux-one', resourceGroup: { mode: 'existing', name: 'linux-one-rg' } }),
    )
    expect(checkOf(existing, 'template').status).toBe('ok')
  })

  it('deploys a Windows Spot pool, internal only, on the existing share (key read at deploy time)', async () => {
    const { service: deploy, progress } = service()
    const windows = spec({
      poolName: 'win-spot',
      osType: 'Windows',
      adminUsername: 'dsvmadmin',
      adminPassword: 'Correct-Horse-42!',
      priority: 'Spot',
      network: { access: 'Internal' },
      storage: {
        mode: 'existing',
        accountName: 'linuxonefiles',
        accountResourceGroup: 'linux-one-rg',
        shareName: 'notebooks',
        mountpointPath: 'Z:',
      },
    })
    expect(checkOf(await deploy.preflight(windows), 'storage').status).toBe('ok')
    await deploy.start(windows)
    const done = await until(progress, (s) => s.state === 'Succeeded' || s.state === 'Failed')
    expect(done.failures).toEqual([])
    expect(done.resources.map((r) => r.type)).not.toContain('Microsoft.Network/publicIPAddresses')
    expect(done.resources.map((r) => r.type)).not.toContain('Microsoft.Storage/storageAccounts')
    expect(done.outputs?.jupyterHubUrl).toMatch(/^https:\/\/10\.0\.0\.\d+:8000$/)
    // Secure values stay out of what Azure shows of the deployment, and of every status.
    expect(JSON.stringify(progress)).not.toContain('Correct-Horse-42!')
  })

  it('explains a deployment that fails in Azure (quota, found only by the scale set)', async () => {
    const { service: deploy, progress } = service()
    // Pre-flight would have said so; this deploys anyway, as an older app or the CLI might.
    await deploy.start(
      spec({
        poolName: 'too-big',
        instanceCount: 30,
        autoscale: { enabled: true, minimum: 0, maximum: 30, default: 30, schedule: null },
      }),
    )
    const failed = await until(progress, (s) => s.state === 'Failed' || s.state === 'Succeeded')
    expect(failed.state).toBe('Failed')
    const quota = failed.failures.find((f) => f.code === 'OperationNotAllowed')
    expect(quota?.whatToDo).toContain('Request a quota increase')
    expect(quota?.resource).toBe('Microsoft.Compute/virtualMachineScaleSets too-big')
    expect(
      failed.resources.find((r) => r.type === 'Microsoft.Compute/virtualMachineScaleSets')?.state,
    ).toBe('Failed')
  })

  it('tells a Reader who presses Deploy anyway which role is missing', async () => {
    const { service: deploy } = service('alan@contoso.example')
    const status = await deploy.start(spec({ poolName: 'readers-pool' }))
    expect(status.state).toBe('Failed')
    expect(status.failures[0]).toMatchObject({ code: 'AuthorizationFailed' })
    expect(status.failures[0]!.whatToDo).toContain('Contributor role')
  })

  /**
   * Runs `steps` with the sandbox's clock standing still, so a deployment stays where the test
   * put it (advance() moves it) however slow the machine is; the clock runs again afterwards.
   */
  async function withClockStopped<T>(steps: () => Promise<T>): Promise<T> {
    test.sandbox.clock.setTimeScale(0)
    try {
      return await steps()
    } finally {
      test.sandbox.clock.setTimeScale(600)
    }
  }

  /** Starts a pool's deployment and moves the stopped clock until Azure says it is Running. */
  async function startRunning(deploy: DeployService, progress: DeploymentStatus[], pool: string) {
    await deploy.start(spec({ poolName: pool }))
    test.sandbox.clock.advance(acceptedDelayMs)
    return until(progress, (s) => s.state === 'Running')
  }

  it('cancels a running deployment', async () => {
    const { service: deploy, progress } = service()
    const cancelled = await withClockStopped(async () => {
      await startRunning(deploy, progress, 'cancelme')
      return deploy.cancel({
        subscriptionId: test.sandbox.subscriptionId,
        resourceGroup: 'cancelme-rg',
        deploymentName: 'dsvm-pool-cancelme',
      })
    })
    expect(['Canceled', 'Canceling']).toContain(cancelled.state)
    const end = await until(progress, (s) => s.state === 'Canceled')
    expect(end.resources.some((r) => r.state === 'Canceled' || r.state === 'Succeeded')).toBe(true)
    expect(end.failures.map((f) => f.whatToDo).join(' ')).not.toContain('quota')
  })

  it('joins simultaneous starts of one pool: one deployment, no false failure', async () => {
    const { service: deploy, progress } = service()
    const other = service()
    const [a, b, c, elsewhere] = await withClockStopped(() =>
      Promise.all([
        deploy.start(spec({ poolName: 'twice' })),
        deploy.start(spec({ poolName: 'twice' })),
        deploy.start(spec({ poolName: 'twice' })),
        // The same pool started a moment later from another computer: Azure says
        // DeploymentActive, which means it is running, not that it failed.
        deploy.start(spec({ poolName: 'twice' })).then(async (first) => ({
          first,
          second: await other.service.start(spec({ poolName: 'twice' })),
        })),
      ]),
    )
    for (const status of [a, b, c, elsewhere.first, elsewhere.second]) {
      expect(status.state).not.toBe('Failed')
      expect(status.ref.deploymentName).toBe('dsvm-pool-twice')
    }
    const done = await until(progress, (s) => s.state === 'Succeeded' || s.state === 'Failed')
    expect(done.state).toBe('Succeeded')
    expect([...progress, ...other.progress].filter((s) => s.state === 'Failed')).toEqual([])
    await until(other.progress, (s) => s.state === 'Succeeded')
  })

  it('picks up a running deployment after a restart and watches it to the end', async () => {
    const before = service()
    const after = service()
    const found = await withClockStopped(async () => {
      await startRunning(before.service, before.progress, 'restarted')
      before.service.close()
      return after.service.resume([test.sandbox.subscriptionId])
    })
    expect(found.map((s) => s.ref.deploymentName)).toEqual(['dsvm-pool-restarted'])
    expect(found[0]!.poolName).toBe('restarted')
    const done = await until(after.progress, (s) => s.state === 'Succeeded' || s.state === 'Failed')
    expect(done.state).toBe('Succeeded')
    expect(done.outputs?.jupyterHubUrl).toContain('restarted')
    // Nothing left running to find.
    expect(await service().service.resume([test.sandbox.subscriptionId])).toEqual([])
  })
})
