import { execFile, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

/**
 * A second, independent client against the sandbox: Debian's Azure CLI (`apt-get install
 * azure-cli`) walks the original guide's journey, signed in with a managed identity through
 * the sandbox's identityEndpoint (MSAL Python will not sign in to an authority it cannot
 * check with login.microsoftonline.com, so interactive and service-principal logins cannot
 * run offline). Skips, saying why, only when `az` is not installed.
 */

const azInstalled = spawnSync('az', ['version'], { stdio: 'ignore' }).status === 0
const group = 'guide-pool'
const pool = 'guidepool'
const account = 'guidepoolfiles'

let env: TestSandbox
let dir: string
let azEnv: NodeJS.ProcessEnv

/** Runs `az …` and returns its JSON output; throws with az's stderr on failure. */
function az(...args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      'az',
      [...args, '--only-show-errors', '--output', 'json'],
      { env: azEnv, maxBuffer: 32 * 1024 * 1024, timeout: 240_000 },
      (error, stdout, stderr) => {
        if (error)
          return reject(new Error(`az ${args.join(' ')} failed: ${stderr || error.message}`))
        resolve(stdout.trim() ? (JSON.parse(stdout) as unknown) : undefined)
      },
    )
  })
}

beforeAll(async () => {
  if (!azInstalled) return
  env = await startTestSandbox({ timeScale: 600 })
  env.sandbox.identities.addManagedIdentity({
    name: 'guide-operator',
    roles: { [env.sandbox.subscriptionId]: 'Owner' },
  })
  dir = mkdtempSync(join(tmpdir(), 'az-journey-'))
  writeFileSync(join(dir, 'ca.pem'), env.sandbox.caCert)
  azEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    // Keep away from the user's own az configuration and trust only the sandbox.
    AZURE_CONFIG_DIR: join(dir, 'azure'),
    REQUESTS_CA_BUNDLE: join(dir, 'ca.pem'),
    AZURE_CORE_COLLECT_TELEMETRY: 'false',
    AZURE_CORE_NO_COLOR: 'true',
    MSI_ENDPOINT: env.sandbox.identityEndpoint,
  }
  await az(
    'cloud',
    'register',
    '--name',
    'DsvmSandbox',
    '--endpoint-resource-manager',
    `${env.sandbox.armEndpoint}/`,
    // Debian's azure-cli lacks the default profile's compute and network API versions.
    '--profile',
    '2020-09-01-hybrid',
  )
  await az('cloud', 'set', '--name', 'DsvmSandbox')
}, 240_000)

afterAll(async () => {
  await env?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const parameters = () => ({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
  contentVersion: '1.0.0.0',
  parameters: {
    vmssName: { value: pool },
    adminUsername: { value: 'azureuser' },
    sshPublicKey: {
      value: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGuideJourneyKeyForTheSandbox guide',
    },
    allowedSourceRanges: { value: ['203.0.113.0/24'] },
    storageAccountName: { value: account },
    instanceCount: { value: 2 },
    // Sandbox time runs fast here; autoscale would otherwise resize the pool between commands.
    autoscaleEnabled: { value: false },
    mountScript: { value: readFileSync('resources/scripts/mount-share.sh', 'utf8') },
  },
})

describe.skipIf(!azInstalled)(
  azInstalled
    ? "the Azure CLI through the guide's journey"
    : 'the Azure CLI journey (skipped: az is not installed; apt-get install azure-cli)',
  { timeout: 300_000 },
  () => {
    it('signs in with the managed identity and sees the subscription', async () => {
      const subscriptions = (await az('login', '--identity')) as Array<{
        id: string
        user: { type: string }
      }>
      expect(subscriptions.map((s) => s.id)).toContain(env.sandbox.subscriptionId)
      expect(subscriptions[0]!.user.type).toBe('servicePrincipal')
      await az('account', 'set', '--subscription', env.sandbox.subscriptionId)
      const account = (await az('account', 'show')) as { id: string }
      expect(account.id).toBe(env.sandbox.subscriptionId)
    })

    it('creates the resource group', async () => {
      const created = (await az('group', 'create', '--name', group, '--location', 'eastus')) as {
        properties: { provisioningState: string }
      }
      expect(created.properties.provisioningState).toBe('Succeeded')
    })

    it("validates, previews and deploys the app's template", async () => {
      writeFileSync(join(dir, 'parameters.json'), JSON.stringify(parameters()))
      const common = [
        '--resource-group',
        group,
        '--name',
        'dsvm-pool',
        '--template-file',
        'resources/templates/dsvm-pool.json',
        '--parameters',
        `@${join(dir, 'parameters.json')}`,
      ]
      const validated = (await az('deployment', 'group', 'validate', ...common)) as {
        properties: { provisioningState: string }
      }
      expect(validated.properties.provisioningState).toBe('Succeeded')
      const whatIf = (await az(
        'deployment',
        'group',
        'what-if',
        ...common,
        '--no-pretty-print',
      )) as {
        changes: Array<{ changeType: string; resourceId: string }>
      }
      expect(
        whatIf.changes.some((c) => /virtualMachineScaleSets\/guidepool$/.test(c.resourceId)),
      ).toBe(true)
      const deployed = (await az('deployment', 'group', 'create', ...common)) as {
        properties: { provisioningState: string; outputs: Record<string, { value: unknown }> }
      }
      expect(deployed.properties.provisioningState).toBe('Succeeded')
      expect(String(deployed.properties.outputs.jupyterHubUrl?.value)).toMatch(
        /^https:\/\/.+:8000$/,
      )
      const operations = (await az(
        'deployment',
        'operation',
        'group',
        'list',
        '--resource-group',
        group,
        '--name',
        'dsvm-pool',
      )) as unknown[]
      expect(operations.length).toBeGreaterThan(5)
    })

    it("takes a Windows password on its standard input, as the Review step's commands hand it over", async () => {
      // shared/az-commands.ts: printf '%s' "$DSVM_ADMIN_PASSWORD" | az … --parameters adminPassword=@-
      const password = 'Correct-Horse-42!'
      const sent: Array<{ properties: { parameters: Record<string, { value: unknown }> } }> = []
      const stopWatching = env.sandbox.requests.listen((seen) => {
        if (seen.path.includes('/deployments/windows-password/validate'))
          sent.push(seen.request.json())
      })
      const args = [
        'deployment',
        'group',
        'validate',
        '--resource-group',
        group,
        '--name',
        'windows-password',
        '--template-file',
        'resources/templates/dsvm-pool.json',
        '--parameters',
        `@${join(dir, 'parameters.json')}`,
        '--parameters',
        'adminPassword=@-',
        '--only-show-errors',
        '--output',
        'json',
      ]
      const status = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('az', args, { env: azEnv, stdio: ['pipe', 'ignore', 'pipe'] })
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        child.on('error', reject)
        child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(stderr))))
        child.stdin.end(password)
      })
      stopWatching()
      expect(status).toBe(0)
      expect(args.join(' ')).not.toContain(password)
      expect(sent).toHaveLength(1)
      expect(sent[0]!.properties.parameters.adminPassword).toEqual({ value: password })
    })

    it('shows the scale set, its instances, their instance view and the mount extension that ran', async () => {
      const scaleSets = (await az('vmss', 'list', '--resource-group', group)) as Array<{
        name: string
      }>
      expect(scaleSets.map((s) => s.name)).toEqual([pool])
      const shown = (await az('vmss', 'show', '--resource-group', group, '--name', pool)) as {
        sku: { capacity: number }
      }
      expect(shown.sku.capacity).toBe(2)
      const instances = (await az(
        'vmss',
        'list-instances',
        '--resource-group',
        group,
        '--name',
        pool,
      )) as unknown[]
      expect(instances).toHaveLength(2)
      const view = (await az(
        'vmss',
        'get-instance-view',
        '--resource-group',
        group,
        '--name',
        pool,
      )) as {
        extensions?: Array<{
          name: string
          statusesSummary: Array<{ code: string; count: number }>
        }>
      }
      expect(view.extensions?.[0]).toMatchObject({
        name: 'mount-share',
        statusesSummary: [{ code: 'ProvisioningState/succeeded', count: 2 }],
      })
      const ips = (await az(
        'vmss',
        'list-instance-public-ips',
        '--resource-group',
        group,
        '--name',
        pool,
      )) as unknown[]
      expect(ips).toEqual([])
    })

    it('scales, deallocates, starts and restarts the pool', async () => {
      const scaled = (await az(
        'vmss',
        'scale',
        '--resource-group',
        group,
        '--name',
        pool,
        '--new-capacity',
        '3',
      )) as {
        sku: { capacity: number }
      }
      expect(scaled.sku.capacity).toBe(3)
      await az('vmss', 'deallocate', '--resource-group', group, '--name', pool)
      await az('vmss', 'start', '--resource-group', group, '--name', pool)
      await az('vmss', 'restart', '--resource-group', group, '--name', pool)
      const view = (await az(
        'vmss',
        'get-instance-view',
        '--resource-group',
        group,
        '--name',
        pool,
      )) as {
        virtualMachine: { statusesSummary: Array<{ code: string; count: number }> }
      }
      expect(view.virtualMachine.statusesSummary).toContainEqual({
        code: 'ProvisioningState/succeeded',
        count: 3,
      })
    })

    it('reads the load balancer, its NAT rules and the public IP', async () => {
      const balancers = (await az('network', 'lb', 'list', '--resource-group', group)) as Array<{
        name: string
      }>
      expect(balancers).toHaveLength(1)
      const rules = (await az(
        'network',
        'lb',
        'inbound-nat-rule',
        'list',
        '--resource-group',
        group,
        '--lb-name',
        balancers[0]!.name,
      )) as Array<{ frontendPort: number; backendPort: number }>
      // One SSH rule per instance from the NAT pool.
      expect(rules).toHaveLength(3)
      expect(new Set(rules.map((r) => r.frontendPort)).size).toBe(3)
      const ips = (await az('network', 'public-ip', 'list', '--resource-group', group)) as Array<{
        sku: { name: string }
        ipAddress: string
      }>
      expect(ips[0]!.sku.name).toBe('Standard')
      expect(ips[0]!.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    })

    it('lists the storage keys and the share', async () => {
      const keys = (await az(
        'storage',
        'account',
        'keys',
        'list',
        '--resource-group',
        group,
        '--account-name',
        account,
      )) as Array<{ keyName: string }>
      expect(keys.map((k) => k.keyName)).toEqual(['key1', 'key2'])
      const shares = (await az(
        'storage',
        'share-rm',
        'list',
        '--resource-group',
        group,
        '--storage-account',
        account,
      )) as Array<{ name: string }>
      expect(shares.map((s) => s.name)).toEqual(['notebooks'])
    })

    it('shows the autoscale setting and the metrics it reads', async () => {
      // The 2020-09-01-hybrid profile has no `az monitor`: generic resource and REST calls.
      const settings = (await az(
        'resource',
        'list',
        '--resource-group',
        group,
        '--resource-type',
        'Microsoft.Insights/autoscalesettings',
      )) as Array<{ name: string }>
      expect(settings).toHaveLength(1)
      const scaleSetId = `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachineScaleSets/${pool}`
      const metrics = (await az(
        'rest',
        '--method',
        'get',
        '--url',
        `${env.sandbox.armEndpoint}${scaleSetId}/providers/Microsoft.Insights/metrics?api-version=2018-01-01&metricnames=Percentage CPU`,
      )) as { value: Array<{ name: { value: string } }> }
      expect(metrics.value[0]!.name.value).toBe('Percentage CPU')
    })

    it('lists VM sizes, usage, resource SKUs and image SKUs, and reads a provider', async () => {
      const sizes = (await az('vm', 'list-sizes', '--location', 'westeurope')) as Array<{
        name: string
      }>
      expect(sizes.map((s) => s.name)).toContain('Standard_D2s_v3')
      const usage = (await az('vm', 'list-usage', '--location', 'eastus')) as Array<{
        name: { value: string }
        currentValue: number
      }>
      // Three running Standard_D4s_v5 instances: 12 vCPUs of the family's quota.
      expect(Number(usage.find((u) => u.name.value === 'standardDSv5Family')?.currentValue)).toBe(
        12,
      )
      const skus = (await az(
        'vm',
        'list-skus',
        '--location',
        'eastus',
        '--size',
        'Standard_NC',
      )) as unknown[]
      expect(skus.length).toBeGreaterThan(5)
      const imageSkus = (await az(
        'vm',
        'image',
        'list-skus',
        '--location',
        'eastus',
        '--publisher',
        'microsoft-dsvm',
        '--offer',
        'ubuntu-2204',
      )) as Array<{ name: string }>
      expect(imageSkus.map((s) => s.name)).toContain('2204')
      const provider = (await az('provider', 'show', '--namespace', 'Microsoft.Compute')) as {
        registrationState: string
      }
      expect(provider.registrationState).toBe('Registered')
    })

    it('deletes the resource group and everything in it', async () => {
      await az('group', 'delete', '--name', group, '--yes')
      const exists = await az('group', 'exists', '--name', group)
      expect(exists).toBe(false)
    })
  },
)
