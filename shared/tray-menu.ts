import type { PoolSummary } from './pools'

/**
 * The tray's menu, icon and tooltip as a pure function of what the poller knows (unit-tested
 * for every state); electron/desktop/tray.ts only turns this model into Electron's Menu.
 */

export type TrayAction =
  | { kind: 'setScaledToZero'; poolId: string; poolName: string; on: boolean }
  | { kind: 'openJupyterHub'; url: string }
  /** Snooze: autoscale keeps the pool's size until then (an override). */
  | { kind: 'keepUntil'; poolId: string; poolName: string; until: string }
  | { kind: 'openApp' }
  | { kind: 'quit' }

export type TrayItem =
  | { type: 'label'; label: string }
  | { type: 'separator' }
  | { type: 'checkbox'; label: string; checked: boolean; enabled: boolean; action: TrayAction }
  | { type: 'normal'; label: string; enabled: boolean; action: TrayAction }

export interface TrayModel {
  icon: 'running' | 'idle'
  tooltip: string
  items: TrayItem[]
}

export interface TrayState {
  pools: readonly PoolSummary[]
  /** Pools whose scale-to-zero toggle Azure has not confirmed yet. */
  pending: ReadonlySet<string>
  /** The last poll failed (or the user is not signed in): why, in words. */
  problem?: string
  /** Nothing was read yet. */
  loading?: boolean
}

export const productName = 'DSVM Pool Manager'

function money(amount: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount)
}

/** "team-pool — 3 running · $1.20/h", "gpu-pool — scaled to zero", "x — scaling: 1 of 3 running". */
export function poolLine(pool: PoolSummary, pending: boolean): string {
  const cost =
    pool.costPerHour === undefined ? '' : ` · ${money(pool.costPerHour, pool.currency)}/h`
  // The same words as the pool's badge and banner: one derivation (shared/pool-state.ts).
  const what = pending ? 'waiting for Azure…' : pool.view.line
  const override = pool.view.override && !pending ? ` · kept at ${pool.view.override.capacity}` : ''
  return `${pool.name} — ${what}${override}${pool.view.state === 'Scaled to zero' && !pending ? '' : cost}`
}

const key = (id: string) => id.toLowerCase()

export function trayModel(state: TrayState): TrayModel {
  const pools = [...state.pools].sort((a, b) => a.name.localeCompare(b.name))
  const running = pools.reduce((sum, p) => sum + p.running, 0)
  const priced = pools.filter((p) => p.costPerHour !== undefined)
  const perHour = priced.reduce((sum, p) => sum + p.costPerHour!, 0)
  const currency = priced[0]?.currency
  const items: TrayItem[] = []

  if (state.problem)
    items.push({ type: 'label', label: `Couldn’t refresh pools: ${state.problem}` })
  if (pools.length === 0) {
    items.push({
      type: 'label',
      label: state.loading ? 'Looking for pools…' : 'No pools in your chosen subscriptions',
    })
  }
  for (const pool of pools) {
    const pending = state.pending.has(key(pool.id))
    const zero = pool.view.scaledToZero
    items.push({ type: 'label', label: poolLine(pool, pending) })
    items.push({
      type: 'checkbox',
      label: 'Scaled to zero',
      checked: zero,
      enabled: !pending && pool.view.switchBlocked === undefined,
      action: { kind: 'setScaledToZero', poolId: pool.id, poolName: pool.name, on: !zero },
    })
    if (pool.view.goesDownSoon && !pending) {
      const soon = pool.view.goesDownSoon
      items.push({
        type: 'normal',
        label: soon.text.slice(soon.text.indexOf('Keep running')),
        enabled: true,
        action: { kind: 'keepUntil', poolId: pool.id, poolName: pool.name, until: soon.keepUntil },
      })
    }
    if (pool.jupyterHubUrl) {
      items.push({
        type: 'normal',
        label: 'Open JupyterHub',
        enabled: pool.view.jupyterHubBlocked === undefined,
        action: { kind: 'openJupyterHub', url: pool.jupyterHubUrl },
      })
    }
    items.push({ type: 'separator' })
  }
  if (pools.length === 0) items.push({ type: 'separator' })
  items.push({
    type: 'normal',
    label: `Open ${productName}`,
    enabled: true,
    action: { kind: 'openApp' },
  })
  items.push({ type: 'normal', label: 'Quit', enabled: true, action: { kind: 'quit' } })

  const summary =
    running === 0
      ? 'no instances running'
      : `${running} instance${running === 1 ? '' : 's'} running${
          priced.length ? ` · ${money(perHour, currency)}/h` : ''
        }`
  return {
    icon: running > 0 ? 'running' : 'idle',
    tooltip: `${productName} — ${state.problem ? 'pools could not be refreshed' : summary}`,
    items,
  }
}
