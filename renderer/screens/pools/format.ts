import type { PoolState, PoolSummary } from '../../../shared/pools'

/** How pool figures read in the UI and the tray. */

export function money(amount: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: amount < 1 ? 3 : 2,
  }).format(amount)
}

export function costText(pool: Pick<PoolSummary, 'costPerHour' | 'currency'>): string {
  return pool.costPerHour === undefined
    ? 'cost unknown'
    : `${money(pool.costPerHour, pool.currency)}/h`
}

export const stateTone: Record<PoolState, 'success' | 'warning' | 'danger' | 'neutral' | 'busy'> = {
  Running: 'success',
  Scaling: 'busy',
  Deploying: 'busy',
  'Scaled to zero': 'neutral',
  'Protected running': 'warning',
  Stopped: 'neutral',
  Failed: 'danger',
}

export function instancesText(pool: Pick<PoolSummary, 'running' | 'total' | 'capacity'>): string {
  const target = pool.capacity !== pool.total ? ` (going to ${pool.capacity})` : ''
  return `${pool.running} of ${pool.total} running${target}`
}
