import { useEffect } from 'react'
import type { Subscription, Tenant } from '../../shared/api'
import { ErrorAlert } from '../components/Alerts'
import { Button } from '../components/Button'
import { Loading } from '../components/Spinner'
import { PoolIcon } from '../components/icons'
import { stores, useSession, useSettings, useSubscriptions } from '../stores'

/** One empty list, so the selector's result is stable while settings load. */
const noIds: string[] = []

interface ChosenSubscription {
  id: string
  subscription?: Subscription
  tenant?: Tenant
}

/** Where pools will be listed; for now the chosen subscriptions and an empty state. */
export function PoolsHome() {
  const chosenIds = useSettings((s) => s.settings?.chosenSubscriptionIds ?? noIds)
  const status = useSubscriptions((s) => s.status)
  const tenants = useSubscriptions((s) => s.tenants)
  const error = useSubscriptions((s) => s.error)
  const session = stores.session.getState()
  const navigation = stores.navigation.getState()
  const accountsSignedIn = useSession((s) => s.accounts.some((a) => a.signedIn))

  useEffect(() => {
    if (stores.subscriptions.getState().status === 'idle')
      void stores.subscriptions.getState().load()
  }, [])

  const chosen: ChosenSubscription[] = chosenIds.map((id) => {
    for (const tenant of tenants) {
      const subscription = tenant.subscriptions.find((s) => s.id === id)
      if (subscription) return { id, subscription, tenant }
    }
    return { id }
  })

  return (
    <main className="page" aria-labelledby="pools-title">
      <div className="page-header">
        <div className="stack">
          <h1 id="pools-title">Pools</h1>
          <p className="muted">Shared pools of Data Science VMs in your chosen subscriptions.</p>
        </div>
      </div>

      <section className="empty-state" aria-label="No pools">
        <span className="empty-state-icon" aria-hidden="true">
          <PoolIcon />
        </span>
        <h2>No pools found yet</h2>
        <p>No pools are listed for the subscriptions below yet.</p>
      </section>

      <section className="stack" aria-labelledby="chosen-title">
        <div className="section-header">
          <h2 id="chosen-title">Chosen subscriptions</h2>
          <Button size="small" onClick={() => navigation.go('subscriptions')}>
            Change subscriptions
          </Button>
        </div>
        {status === 'loading' && tenants.length === 0 && (
          <Loading label="Loading subscription names…" />
        )}
        {status === 'failed' && error && (
          <ErrorAlert
            error={error}
            title="Couldn’t load your subscriptions"
            onRetry={() => void stores.subscriptions.getState().load()}
            onSignIn={() => void session.startSignIn('browser')}
          />
        )}
        <ul className="list-card" aria-label="Chosen subscriptions">
          {chosen.map(({ id, subscription, tenant }) => (
            <li key={id}>
              <span className="subscription-text">
                <span>{subscription?.displayName ?? id}</span>
                <span className="subscription-meta">
                  {tenant
                    ? tenant.displayName
                    : status === 'loaded'
                      ? notVisibleReason(accountsSignedIn)
                      : ''}
                  {subscription && (
                    <>
                      {' · '}
                      <span className="mono">{id}</span>
                    </>
                  )}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </section>
    </main>
  )
}

function notVisibleReason(accountsSignedIn: boolean): string {
  return accountsSignedIn
    ? 'Not visible to your signed-in accounts'
    : 'Sign in again to see this subscription'
}
