import { formatRate } from '../../../shared/cost/format'
import type { PoolState, PoolSummary } from '../../../shared/pools'

/** How pool figures read in the UI and the tray. */

export function costText(pool: Pick<PoolSummary, 'costPerHour' | 'currency'>): string {
  return pool.costPerHour === undefined
    ? 'cost unknown'
    : `${formatRate(pool.costPerHour, pool.currency ?? 'USD')}/h`
}

/** "1 instance", "3 instances". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`
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
