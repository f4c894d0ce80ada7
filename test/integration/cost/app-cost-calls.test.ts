import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../../electron/app-services'
import { MemorySecretStore } from '../../../electron/web/memory-secret-store'
import type { Account } from '../../../shared/api'
import { signInWithBrowser } from '../sandbox/harness'

/*
 * The cost calls as the renderer makes them: through the app's validating router, with the
 * app's own sign-in (real MSAL against the sandbox, a scripted browser clicking Ada) and the
 * sandbox cloud's endpoints and certificate.
 */
describe('cost calls through the app', () => {
  let app: AppServices
  const dataDir = mkdtempSync(join(tmpdir(), 'dsvm-cost-app-'))
  const spec = {
    region: 'eastus',
    vmSize: 'Standard_D4s_v5',
    os: 'Linux',
    priority: 'Regular',
    instanceCount: 2,
    osDisk: { storageAccountType: 'Premium_LRS', sizeGiB: 128 },
    share: { tier: 'Premium', redundancy: 'LRS', sizeGiB: 100 },
    network: { publicIps: 1, loadBalancerRules: 2 },
  }

  const value = async (name: string, input: unknown) => {
    const result = await app.router.call(name, input)
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
    return result.value as Record<string, unknown>
  }

  beforeAll(async () => {
    app = createAppServices({
      shell: 'web',
      version: 'test',
      platform: 'linux',
      dataDir,
      secretStore: new MemorySecretStore(),
      sandbox: { seed: 'demo' },
      log: () => undefined,
      openExternal: async (url) => {
        const sandbox = app.sandbox.current
        if (sandbox && url.startsWith(sandbox.authorityHost))
          void signInWithBrowser(url, 'ada@contoso.example', sandbox.caCert)
      },
    })
    await value('sandbox.start', {})
  })
  afterAll(async () => {
    await app?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('cost.estimate prices a spec from the sandbox price list and caches it under the data folder', async () => {
    const result = await value('cost.estimate', {
      spec,
      schedule: { days: [0, 1, 2, 3, 4, 5, 6], start: '06:00', end: '18:00' },
    })
    expect(result).toMatchObject({
      stale: false,
      rates: { currency: 'USD', computePerHour: 0.192 },
    })
    // The hand-worked case of test/unit/cost/estimate.test.ts: 357.64 always on, 197.77 half the time.
    expect(result.estimate).toMatchObject({
      perMonthAlwaysOn: expect.closeTo(357.64, 6),
      perMonthOnSchedule: expect.closeTo(197.77, 6),
    })
    expect(
      readdirSync(join(dataDir, 'prices-cache')).filter((f) => f.endsWith('.json')),
    ).toHaveLength(5)

    const inEuro = await value('cost.estimate', { spec, currency: 'EUR' })
    expect(inEuro.rates).toMatchObject({
      currency: 'EUR',
      computePerHour: expect.closeTo(0.192 * 0.92, 6),
    })
  })

  it('cost.estimate refuses a spec that is not one and names a price it cannot find', async () => {
    expect(
      await app.router.call('cost.estimate', { spec: { ...spec, vmSize: "x' or 'a" } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    })
    expect(
      await app.router.call('cost.estimate', {
        spec: { ...spec, vmSize: 'Standard_B2s', priority: 'Spot' },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NotFound', message: expect.stringContaining('Standard_B2s') },
    })
  })

  it("cost.spend needs a sign-in, then reads the pool's month with the signed-in account", async () => {
    const scope = {
      subscriptionId: '00000000-0000-4000-8000-000000000001',
      resourceGroup: 'rg-team-pool',
    }
    expect(
      await app.router.call('cost.spend', { accountId: 'a1a1a1a1-0000.not-signed-in', ...scope }),
    ).toMatchObject({ ok: false, error: { code: 'AuthRequired' } })

    const account = (await value('auth.signIn', { method: 'browser' })) as unknown as Account
    const spend = await value('cost.spend', { accountId: account.id, ...scope })
    expect(spend).toMatchObject({
      currency: 'USD',
      resourceGroup: 'rg-team-pool',
      fromCache: false,
    })
    expect(spend.monthToDate).toBeGreaterThan(0)
    // The share, IP and load balancer cost every hour (instances only on weekdays).
    expect(spend.services).toEqual(
      expect.arrayContaining(['Storage', 'Load Balancer', 'Virtual Network']),
    )

    // The same group name in a subscription that has no such group.
    expect(
      await app.router.call('cost.spend', {
        accountId: account.id,
        subscriptionId: '00000000-0000-4000-8000-000000000002',
        resourceGroup: 'rg-team-pool',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NotFound', message: expect.stringContaining('rg-team-pool') },
    })
  })
})
