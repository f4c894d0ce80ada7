import type { ReactNode } from 'react'
import type { PoolSummary } from '../../../shared/pools'

/**
 * The pool's banner: what its size is and why, in the words of the one derived view
 * (shared/pool-state.ts), with the action the view offers when the screen can run it.
 */

export type BannerOffer = NonNullable<NonNullable<PoolSummary['view']['banner']>['offer']>

export function PoolBanner({
  pool,
  offers,
}: {
  pool: PoolSummary
  /** Buttons for the offers this screen can run, by offer. */
  offers: Partial<Record<BannerOffer, ReactNode>>
}) {
  const banner = pool.view.banner
  if (!banner) return null
  const action = banner.offer ? offers[banner.offer] : undefined
  return (
    <div
      className={`alert pool-banner ${banner.tone === 'warning' ? 'warning' : 'info'}`}
      role="note"
      aria-label="Pool size"
    >
      <div className="alert-body">
        <p>{banner.text}</p>
      </div>
      {action && <div className="alert-actions">{action}</div>}
    </div>
  )
}
