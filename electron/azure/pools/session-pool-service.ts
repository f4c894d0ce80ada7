import type { LinkAllowList } from '../../desktop/link-allow-list'
import type { EventHub } from '../../ipc/events'
import type { CloudSession } from '../cloud-session'
import type { BudgetWatch } from '../cost/budget-watch'
import type { CostServices } from '../cost/cost-services'
import { perSession } from '../per-session'
import type { PollerIntervals } from './poller'
import { PoolService } from './pool-service'

export interface SessionPoolServiceDeps {
  session(): Promise<CloudSession>
  /** The subscriptions chosen in Settings. */
  subscriptions(): readonly string[]
  /** The sandbox's clock, while a sandbox runs (tests move it forward). */
  sandboxNow(): number | undefined
  costServices(): Promise<CostServices>
  /** A pool's JupyterHub address may be opened in the system browser while the pool lasts. */
  links: Pick<LinkAllowList, 'allow'>
  events: EventHub
  budgetWatch: Pick<BudgetWatch, 'consider' | 'forget'>
  /** A deleted pool's hosts leave ~/.ssh/config with it. */
  removeSshConfig(poolName: string): Promise<void>
  /** Pool poller timing and the LRO poll interval of pool actions (tests use fast ones). */
  options?: { intervals?: Partial<PollerIntervals>; updateIntervalInMs?: number } | undefined
  log(level: 'warn', message: string): void
}

/** Running pools: one poller per cloud session, shared by every window and the tray. */
export function sessionPoolService({
  session,
  subscriptions,
  sandboxNow,
  costServices,
  links,
  events,
  budgetWatch,
  removeSshConfig,
  options,
  log,
}: SessionPoolServiceDeps) {
  const poolLinks = new Map<string, () => void>()
  const pools = perSession(
    session,
    (current) =>
      new PoolService({
        context: (subscriptionId) => current.arm.for(subscriptionId),
        usernameOf: async (context) =>
          (await current.auth.accounts()).find((a) => a.id === context.accountId)?.username,
        subscriptions,
        // Azure's time: the sandbox's own clock (tests move it forward) when it is the cloud.
        now: () => (current.cloud.name === 'Sandbox' ? sandboxNow() : undefined) ?? Date.now(),
        ratesFor: async (spec) => (await (await costServices()).prices.ratesFor(spec)).rates,
        events: {
          poolsChanged: (changed, removed) => {
            // A pool's JupyterHub address may be opened in the system browser.
            for (const pool of changed) {
              const key = pool.id.toLowerCase()
              if (pool.jupyterHubUrl && !poolLinks.has(key))
                poolLinks.set(key, links.allow(new URL(pool.jupyterHubUrl).origin))
            }
            for (const id of removed) {
              poolLinks.get(id.toLowerCase())?.()
              poolLinks.delete(id.toLowerCase())
            }
            events.emit('pools.changed', { pools: changed, removed })
            for (const pool of changed) budgetWatch.consider(pool)
            for (const id of removed) budgetWatch.forget(id)
          },
          activity: (poolId, poolName, entries) =>
            events.emit('pools.activity', { poolId, poolName, entries }),
          instancesChanged: (poolId, upserts, removed) =>
            events.emit('pools.instancesChanged', { poolId, upserts, removed }),
          status: (status) => events.emit('pools.pollerStatus', status),
          actionDone: (result) => {
            events.emit('pools.actionDone', result)
            // A deleted pool's hosts leave ~/.ssh/config with it.
            if (result.action === 'deletePool' && result.ok)
              void removeSshConfig(result.poolName).catch((error: unknown) =>
                log(
                  'warn',
                  `The pool's ssh config entries were not removed: ${(error as Error).name}`,
                ),
              )
          },
        },
        ...(options?.intervals ? { intervals: options.intervals } : {}),
        ...(options?.updateIntervalInMs !== undefined
          ? { updateIntervalInMs: options.updateIntervalInMs }
          : {}),
        log: (message) => log('warn', message),
      }),
    (service) => service.close(),
  )
  return {
    poolService: pools.get,
    /** The pool service built last, if any (without starting a session). */
    current: pools.current,
    /** A new pool: the pools list and the tray find it now, not at their next discovery. */
    refreshSoon: () =>
      void pools
        .current()
        ?.refresh()
        .catch(() => undefined),
    close() {
      pools.close()
      for (const remove of poolLinks.values()) remove()
    },
  }
}
