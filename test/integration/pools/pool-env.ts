import { resolveCloud } from '../../../electron/azure/auth/clouds'
import type { ArmContext } from '../../../electron/azure/arm-context'
import type { ActionDone, PoolServiceOptions } from '../../../electron/azure/pools/pool-service'
import { PoolService } from '../../../electron/azure/pools/pool-service'
import type { PollerStatus, PoolActivity, PoolInstance, PoolSummary } from '../../../shared/pools'
import { defaultUser, type TestSandbox } from '../sandbox/harness'

/**
 * The app's pool service against a test sandbox, signed in as a seeded user through real
 * MSAL, with every event it sends recorded. Intervals are the app's own; tests drive polls
 * with pollNow() and sandbox time with clock.advance().
 */

export interface RecordedEvents {
  poolsChanged: Array<{ pools: PoolSummary[]; removed: string[] }>
  instancesChanged: Array<{ poolId: string; upserts: PoolInstance[]; removed: string[] }>
  status: PollerStatus[]
  actionDone: ActionDone[]
  activity: Array<{ poolId: string; poolName: string; entries: PoolActivity[] }>
}

export function poolServiceFor(
  env: TestSandbox,
  options: Partial<PoolServiceOptions> & { username?: string } = {},
): { service: PoolService; events: RecordedEvents } {
  const { sandbox } = env
  const cloud = resolveCloud('Sandbox', sandbox)
  const credential = env.credential(options.username)
  const context = async (subscriptionId: string): Promise<ArmContext> => ({
    cloud,
    subscriptionId,
    tenantId: sandbox.tenantId,
    accountId: 'test',
    credential,
    tlsCa: sandbox.caCert,
  })
  const events: RecordedEvents = {
    poolsChanged: [],
    instancesChanged: [],
    status: [],
    actionDone: [],
    activity: [],
  }
  const service = new PoolService({
    context,
    subscriptions: () => [sandbox.subscriptionId],
    usernameOf: async () => options.username ?? defaultUser,
    updateIntervalInMs: 10,
    now: () => sandbox.clock.now(),
    events: {
      poolsChanged: (pools, removed) => events.poolsChanged.push({ pools, removed }),
      instancesChanged: (poolId, upserts, removed) =>
        events.instancesChanged.push({ poolId, upserts, removed }),
      status: (status) => events.status.push(status),
      actionDone: (done) => events.actionDone.push(done),
      activity: (poolId, poolName, entries) => events.activity.push({ poolId, poolName, entries }),
    },
    ...options,
  })
  return { service, events }
}

export const teamPoolId = (subscriptionId: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`
export const gpuPoolId = (subscriptionId: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/rg-gpu-pool/providers/Microsoft.Compute/virtualMachineScaleSets/gpu-pool`

/** Polls until `check` passes, advancing sandbox time by `stepMs` between polls. */
export async function pollUntil(
  env: TestSandbox,
  service: PoolService,
  check: () => boolean,
  { stepMs = 15_000, tries = 40 } = {},
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    await service.poller.pollNow()
    if (check()) return
    await env.sandbox.context.lro.idle()
    env.sandbox.clock.advance(stepMs)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error('The pool never reached the expected state')
}

export function poolOf(service: PoolService, id: string): PoolSummary {
  const pool = service.poller.pools().find((p) => p.id.toLowerCase() === id.toLowerCase())
  if (!pool) throw new Error(`No pool ${id}`)
  return pool
}

/**
 * Waits for a pool action to finish, moving sandbox time on meanwhile (30 s at a time, never
 * while work that takes real time, an instance's script, holds an operation).
 */
export const finishAction =
  (env: TestSandbox) => async (started: { done: Promise<{ ok: boolean; message: string }> }) => {
    const advancing = setInterval(() => {
      if (!env.sandbox.context.lro.busy) env.sandbox.clock.advance(30_000)
    }, 5)
    try {
      return await started.done
    } finally {
      clearInterval(advancing)
    }
  }
