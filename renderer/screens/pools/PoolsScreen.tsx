import { useEffect } from 'react'
import { ErrorAlert } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { Loading } from '../../components/Spinner'
import { PlusIcon, PoolIcon, RefreshIcon } from '../../components/icons'
import { stores, useSession, useSettings } from '../../stores'
import { PoolCard } from './PoolCard'
import { PoolDetail } from './PoolDetail'
import { poolsStore, usePools } from './use-pools'
import './pools.css'

/** The pools in the chosen subscriptions (cards), or one pool's detail. */
export function PoolsScreen({ chosenCount }: { chosenCount: number }) {
  const status = usePools((s) => s.status)
  const error = usePools((s) => s.error)
  const pools = usePools((s) => s.pools)
  const selected = usePools((s) => s.selectedPoolId)
  const pollerStatus = usePools((s) => s.pollerStatus)

  // Other subscriptions or another account: other pools (the list comes from main's poller).
  const chosenKey = useSettings((s) => s.settings?.chosenSubscriptionIds.join(',') ?? '')
  const accountsKey = useSession((s) => s.accounts.map((a) => `${a.id}:${a.signedIn}`).join(','))
  useEffect(() => {
    void poolsStore.getState().load()
  }, [chosenKey, accountsKey])

  const selectedPool = selected ? pools[selected.toLowerCase()] : undefined
  if (selectedPool) return <PoolDetail pool={selectedPool} />

  const list = Object.values(pools).sort((a, b) => a.name.localeCompare(b.name))
  return (
    <main className="page pools-page" aria-labelledby="pools-title">
      <div className="page-header">
        <div className="stack">
          <h1 id="pools-title">Pools</h1>
          <p className="muted">
            Shared pools of Data Science VMs in your{' '}
            {chosenCount === 1 ? 'chosen subscription' : `${chosenCount} chosen subscriptions`},
            found by their tag.
          </p>
        </div>
        <Button
          size="small"
          icon={<RefreshIcon />}
          onClick={() => void poolsStore.getState().refresh()}
          busy={status === 'loading'}
        >
          Refresh
        </Button>
      </div>

      {pollerStatus?.throttledUntil && (
        <p className="banner" role="status">
          Azure is limiting requests; the list refreshes again after{' '}
          {new Date(pollerStatus.throttledUntil).toLocaleTimeString()}.
        </p>
      )}
      {pollerStatus?.problem && !pollerStatus.throttledUntil && status === 'loaded' && (
        <p className="banner" role="status">
          The last refresh failed: {pollerStatus.problem} Showing what was read before.
        </p>
      )}

      {status === 'loading' && list.length === 0 && <Loading label="Looking for pools…" />}
      {status === 'failed' && error && (
        <ErrorAlert
          error={error}
          title="Couldn’t look for pools"
          onRetry={() => void poolsStore.getState().load()}
          onSignIn={() => void stores.session.getState().startSignIn('browser')}
        />
      )}

      {status === 'loaded' && list.length === 0 && (
        <section className="empty-state" aria-label="No pools">
          <span className="empty-state-icon" aria-hidden="true">
            <PoolIcon />
          </span>
          <h2>No pools yet</h2>
          <p>
            No scale set tagged as a pool was found in your chosen subscriptions. Create one, or
            choose the subscription a teammate’s pool is in.
          </p>
          <div className="pool-card-actions">
            <Button
              variant="primary"
              icon={<PlusIcon />}
              onClick={() => stores.navigation.getState().go('create')}
            >
              Create a pool
            </Button>
            <Button onClick={() => stores.navigation.getState().go('subscriptions')}>
              Change subscriptions
            </Button>
          </div>
        </section>
      )}

      {list.length > 0 && (
        <ul className="pool-cards" aria-label="Pools">
          {list.map((pool) => (
            <li key={pool.id}>
              <PoolCard pool={pool} />
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}
