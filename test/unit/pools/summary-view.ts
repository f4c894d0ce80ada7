import { poolView, type InstanceFacts } from '../../../shared/pool-state'
import type { PoolSummary } from '../../../shared/pools'

/**
 * A test pool summary's derived view, from its counts the way the poller would derive it:
 * `running` running instances, the rest of `total` deallocated (or being created while the
 * summary says Scaling), the restore tag, and whether autoscale is on.
 */
export function viewFor(
  summary: Omit<PoolSummary, 'view'>,
  now = Date.parse('2026-12-07T12:00:00Z'),
): PoolSummary['view'] {
  const instance = (powerState: string, provisioningState = 'Succeeded'): InstanceFacts => ({
    powerState,
    provisioningState,
    protectedFromScaleIn: false,
  })
  const others =
    summary.state === 'Scaling' ? instance('starting', 'Creating') : instance('deallocated')
  const count = Math.max(summary.total, summary.state === 'Scaling' ? summary.capacity : 0)
  const instances = Array.from({ length: count }, (_, i) =>
    i < summary.running ? instance('running') : others,
  )
  return poolView({
    provisioningState: summary.state === 'Failed' ? 'Failed' : 'Succeeded',
    capacity: summary.capacity,
    instances,
    ...(summary.restoreCapacity !== undefined ? { restoreCapacity: summary.restoreCapacity } : {}),
    ...(summary.hasAutoscale ? { autoscale: { enabled: summary.autoscaleEnabled } } : {}),
    now,
    timeZone: 'UTC',
  })
}
