import { ComputeManagementClient } from '@azure/arm-compute'
import type { TokenCredential } from '@azure/core-auth'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createAppServices, type AppServices } from '../../../electron/app-services'
import { MemorySecretStore } from '../../../electron/web/memory-secret-store'
import type { Sandbox } from '../../../sandbox/index'
import { signInWithBrowser } from '../sandbox/harness'

/*
 * A pool's monthly budget through the app (cost.setBudget, cost.poolSpend), checked from
 * outside with the real compute client as a teammate's app would see it: the tag on the
 * scale set. Budget alerts become one desktop notification per month and threshold.
 */
describe('pool budget through the app', () => {
  let app: AppServices
  let sandbox: Sandbox
  let credential: TokenCredential
  const dataDir = mkdtempSync(join(tmpdir(), 'dsvm-cost-budget-'))
  const notifications: Array<{ title: string; body: string }> = []
  const subscriptionId = '00000000-0000-4000-8000-000000000001'
  const poolId = `/subscriptions/${subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`

  const call = (name: string, input: unknown) => app.router.call(name, input)
  const value = async (name: string, input: unknown) => {
    const result = await call(name, input)
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
    return result.value as Record<string, unknown>
  }
  const scaleSetTags = async () => {
    const compute = new ComputeManagementClient(credential, subscriptionId, {
      endpoint: sandbox.armEndpoint,
      tlsOptions: { ca: sandbox.caCert },
    })
    return (await compute.virtualMachineScaleSets.get('rg-team-pool', 'team-pool')).tags ?? {}
  }

  /** The pools list follows Azure (at the latest with the poller's next read of the pool). */
  const budgetShown = (budget: number | undefined) =>
    vi.waitFor(
      async () => {
        const { pools } = (await value('pools.list', {})) as {
          pools: Array<Record<string, unknown>>
        }
        expect(pools.find((p) => p.name === 'team-pool')?.budget).toBe(budget)
      },
      { timeout: 40_000, interval: 250 },
    )

  beforeAll(async () => {
    app = createAppServices({
      shell: 'web',
      version: 'test',
      platform: 'linux',
      dataDir,
      secretStore: new MemorySecretStore(),
      sandbox: { seed: 'demo' },
      pools: { updateIntervalInMs: 10 },
      notify: (notification) => notifications.push(notification),
      log: () => undefined,
      openExternal: async (url) => {
        const current = app.sandbox.current
        if (current && url.startsWith(current.authorityHost))
          void signInWithBrowser(url, 'ada@contoso.example', current.caCert)
      },
    })
    await value('sandbox.start', {})
    sandbox = app.sandbox.current!
    await value('auth.signIn', { method: 'browser' })
    await value('settings.update', { chosenSubscriptionIds: [subscriptionId] })
    // Azure's own view, through the real compute client with the signed-in account's token.
    credential = (await (await app.session()).arm.for(subscriptionId)).credential
  })
  afterAll(async () => {
    await app?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('sets the budget as a tag on the scale set that the pools list reads back', async () => {
    const { pools } = (await value('pools.list', {})) as { pools: Array<Record<string, unknown>> }
    const before = pools.find((p) => p.name === 'team-pool')!
    expect(before.budget).toBeUndefined()

    expect(await value('cost.setBudget', { poolId, budget: 5000, etag: before.etag })).toEqual({
      budget: 5000,
    })
    expect(await scaleSetTags()).toMatchObject({
      'dsvm-pool': 'team-pool',
      'dsvm-pool-budget': '5000',
    })
    await budgetShown(5000)

    // The ETag seen before the write is stale now: a write with it is a Conflict.
    expect(await call('cost.setBudget', { poolId, budget: 400, etag: before.etag })).toMatchObject({
      ok: false,
      error: { code: 'Conflict' },
    })
    expect((await scaleSetTags())['dsvm-pool-budget']).toBe('5000')
  })

  it('warns against the budget and notifies each threshold once a month', async () => {
    // 5,000 a month is far more than the demo pool spends: no warning, no notification.
    const within = await value('cost.poolSpend', { poolId })
    const projected = (within.projection as { projected: number }).projected
    const month = (within.projection as { month: string }).month
    expect(within.monthToDate).toBeGreaterThan(0)
    expect(within.budget).toMatchObject({ budget: 5000, level: 'ok', alerts: [] })
    expect(notifications).toEqual([])

    // A budget below the projection: over by projection, at 80 % or more by actual spend.
    const budget = Math.floor(projected * 0.9)
    const etag = (
      (await value('pools.list', {})) as { pools: Array<Record<string, unknown>> }
    ).pools.find((p) => p.name === 'team-pool')!.etag
    await value('cost.setBudget', { poolId, budget, etag })
    await budgetShown(budget)
    const over = await value('cost.poolSpend', { poolId })
    const status = over.budget as { level: string; projectedRatio: number; alerts: unknown[] }
    expect(status.level).toBe('over')
    expect(status.projectedRatio).toBeCloseTo(projected / budget, 2)
    expect(status.alerts).toContainEqual({
      basis: 'projected',
      threshold: 100,
      amount: expect.closeTo(projected, 2),
    })
    expect(notifications).toHaveLength(1)
    expect(notifications[0]!.title).toMatch(/^team-pool is over its budget$/)
    expect(notifications[0]!.body).toMatch(/^team-pool (has spent|is on course to spend) \$/)
    expect(JSON.parse(readFileSync(join(dataDir, 'budget-alerts.json'), 'utf8')).sent).toContain(
      `${poolId.toLowerCase()}|${month}:projected:100`,
    )

    // Asking again (and after a refresh) is no second notification.
    await value('cost.poolSpend', { poolId, refresh: true })
    expect(notifications).toHaveLength(1)
  })

  it('removes the budget with null; a pool without one has no budget status', async () => {
    expect(await value('cost.setBudget', { poolId, budget: null })).toEqual({})
    expect(await scaleSetTags()).not.toHaveProperty('dsvm-pool-budget')
    expect(await scaleSetTags()).toHaveProperty('dsvm-pool', 'team-pool')
    await budgetShown(undefined)
    const spend = await value('cost.poolSpend', { poolId })
    expect(spend).not.toHaveProperty('budget')
    expect(existsSync(join(dataDir, 'budget-alerts.json'))).toBe(true)
  })

  it('refuses a budget that is not a positive amount, and a pool that is not there', async () => {
    expect(await call('cost.setBudget', { poolId, budget: 0 })).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    })
    expect(
      await call('cost.poolSpend', { poolId: poolId.replace('team-pool', 'no-such-pool') }),
    ).toMatchObject({ ok: false, error: { code: 'NotFound' } })
  })
})
