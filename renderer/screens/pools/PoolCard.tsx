import type { PoolSummary } from '../../../shared/pools'
import { Button } from '../../components/Button'
import { BudgetBadge } from '../cost/BudgetBadge'
import { JupyterHubButton } from '../connect/ConnectButtons'
import { costText, instancesText, stateTone } from './format'
import { poolsStore } from './use-pools'

/** One pool in the list: what it is, how many instances run, what it costs now. */
export function PoolCard({ pool }: { pool: PoolSummary }) {
  const titleId = `pool-${pool.name}-title`
  return (
    <article className="card pool-card" aria-labelledby={titleId}>
      <div className="pool-card-head">
        <h2 id={titleId}>
          <button
            type="button"
            className="link-button"
            onClick={() => poolsStore.getState().select(pool.id)}
          >
            {pool.name}
          </button>
        </h2>
        <StateBadge view={pool.view} />
      </div>
      <p className="muted pool-card-meta">
        {pool.region} · {pool.os} · {pool.vmSize}
      </p>
      <dl className="pool-figures">
        <div>
          <dt>Instances</dt>
          <dd>{instancesText(pool)}</dd>
        </div>
        <div>
          <dt>Cost now</dt>
          <dd title="Running compute, OS disks, public IP and load balancer; the file share is billed by use and not included">
            {costText(pool)}
          </dd>
        </div>
      </dl>
      <BudgetBadge pool={pool} />
      {pool.view.banner && <p className="muted pool-card-banner">{pool.view.banner.text}</p>}
      {pool.problem && <p className="field-error">{pool.problem}</p>}
      <div className="pool-card-actions">
        <Button
          size="small"
          variant="primary"
          onClick={() => poolsStore.getState().select(pool.id)}
        >
          Open
        </Button>
        <JupyterHubButton pool={pool} size="small" />
      </div>
    </article>
  )
}

/** The pool's state in a word or three, from the one derived view (shared/pool-state.ts). */
export function StateBadge({ view }: { view: PoolSummary['view'] }) {
  const tone = stateTone[view.state]
  return (
    <span className={`badge pool-state ${tone}`} data-state={view.state}>
      {tone === 'busy' && <span className="spinner small" aria-hidden="true" />}
      {view.badge}
    </span>
  )
}
