import { useState } from 'react'
import type { PoolSummary } from '../../../shared/pools'
import { api } from '../../api'
import { Button } from '../../components/Button'
import { fromLocalInput, toLocalInput } from './until-input'
import { poolsStore, usePools } from './use-pools'

/**
 * A pool that is at zero when someone expects it to run (right after its deployment outside
 * working hours): says so and why, in the words of the pool's derived view, and offers
 * "Start now until …" (an override autoscale keeps until the chosen time).
 */
export function AtZeroNotice({ pool }: { pool: PoolSummary }) {
  const [until, setUntil] = useState(() => toLocalInput(pool.view.suggestedUntil))
  const action = usePools((s) => s.actions[pool.id.toLowerCase()])
  // After "Start now" the pool leaves zero: the notice stays to say how that went.
  if (pool.view.state !== 'Scaled to zero') {
    if (!action) return null
    return (
      <div className="alert info" role="note" aria-label="Pool size">
        <div className="alert-body">
          <p role="status">{action.result ? action.result.message : action.message}</p>
          {pool.view.overrideLine && <p>{pool.view.overrideLine}.</p>}
        </div>
      </div>
    )
  }
  const iso = fromLocalInput(until)
  const canStart = pool.view.heldAtZeroBy === 'schedule'
  return (
    <div className="alert info stack" role="note" aria-label="Pool size">
      <div className="alert-body">
        <p>
          {pool.name} is at zero instances, so JupyterHub and SSH have nothing to answer yet.{' '}
          {pool.view.banner?.text}
        </p>
      </div>
      {canStart && (
        <div className="inline-form">
          <label htmlFor="start-until">Start now, keep running until</label>
          <input
            id="start-until"
            className="input"
            type="datetime-local"
            value={until}
            aria-invalid={iso === undefined}
            onChange={(e) => setUntil(e.target.value)}
          />
          <Button
            variant="primary"
            disabled={iso === undefined || (!!action && !action.result)}
            onClick={() =>
              void poolsStore
                .getState()
                .run(pool.id, () => api.call('pools.keepUntil', { poolId: pool.id, until: iso! }))
            }
          >
            Start now
          </Button>
        </div>
      )}
      {action && <p role="status">{action.result ? action.result.message : action.message}</p>}
    </div>
  )
}
