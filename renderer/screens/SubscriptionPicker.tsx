import { useEffect, useId } from 'react'
import type { Subscription, Tenant } from '../../shared/api'
import { ErrorAlert, Notice } from '../components/Alerts'
import { Button } from '../components/Button'
import { Loading } from '../components/Spinner'
import { AlertIcon, RefreshIcon, SearchIcon } from '../components/icons'
import { countSubscriptions, filterTenants } from '../lib/subscription-filter'
import { stores, useSession, useSettings, useSubscriptions } from '../stores'

/**
 * Tenants and subscriptions the signed-in accounts can see; the ticked ones are where the
 * app looks for pools and creates them. The choice is saved in settings.
 */
export function SubscriptionPicker() {
  const status = useSubscriptions((s) => s.status)
  const tenants = useSubscriptions((s) => s.tenants)
  const error = useSubscriptions((s) => s.error)
  const query = useSubscriptions((s) => s.query)
  const selected = useSubscriptions((s) => s.selected)
  const saving = useSubscriptions((s) => s.saving)
  const saveError = useSubscriptions((s) => s.saveError)
  const accountCount = useSession((s) => s.accounts.length)
  const searchId = useId()
  const picker = stores.subscriptions.getState()
  const session = stores.session.getState()

  useEffect(() => {
    if (stores.subscriptions.getState().status === 'idle')
      void stores.subscriptions.getState().load()
  }, [])

  const save = async () => {
    if (await picker.save()) stores.navigation.getState().go('pools')
  }

  const total = countSubscriptions(tenants)
  const shown = filterTenants(tenants, query)

  return (
    <main className="page" aria-labelledby="subscriptions-title">
      <div className="page-header">
        <div className="stack">
          <h1 id="subscriptions-title">Choose subscriptions</h1>
          <p className="muted">
            Pick the subscriptions where your team’s pools live. The app looks for pools there and
            creates new ones there.
          </p>
        </div>
        <Button
          icon={<RefreshIcon />}
          busy={status === 'loading' && tenants.length > 0}
          onClick={() => void picker.load()}
        >
          Refresh
        </Button>
      </div>

      {status === 'loading' && tenants.length === 0 && (
        <Loading large label="Looking for your subscriptions…" />
      )}

      {status === 'failed' && error && (
        <ErrorAlert
          error={error}
          title="Couldn’t load your subscriptions"
          onRetry={() => void picker.load()}
          onSignIn={() => void session.startSignIn('browser')}
        />
      )}

      {status === 'loaded' && total === 0 && (
        <NoSubscriptions tenants={tenants} onRefresh={() => void picker.load()} />
      )}

      {total > 0 && (
        <>
          <div className="toolbar">
            <div className="field search">
              <label htmlFor={searchId}>Search subscriptions</label>
              <SearchIcon className="search-icon" />
              <input
                id={searchId}
                className="input"
                type="search"
                placeholder="Name, ID or directory"
                value={query}
                onChange={(event) => picker.setQuery(event.target.value)}
              />
            </div>
          </div>

          {shown.length === 0 ? (
            <p role="status" className="muted">
              No subscription matches “{query}”.
            </p>
          ) : (
            <div className="stack-l">
              {shown.map((tenant) => (
                <TenantGroup
                  key={tenant.id}
                  tenant={tenant}
                  selected={selected}
                  showAccount={accountCount > 1}
                  onToggle={picker.toggle}
                />
              ))}
            </div>
          )}

          {saveError && (
            <ErrorAlert
              error={saveError}
              title="Couldn’t save your choice"
              onRetry={() => void save()}
            />
          )}

          <div className="sticky-footer">
            <span role="status" className="muted">
              {selected.length === 0
                ? 'Choose at least one subscription.'
                : `${selected.length} of ${total} ${total === 1 ? 'subscription' : 'subscriptions'} chosen`}
            </span>
            <Button
              variant="primary"
              disabled={selected.length === 0}
              busy={saving}
              onClick={() => void save()}
            >
              Save and continue
            </Button>
          </div>
        </>
      )}
    </main>
  )
}

function TenantGroup({
  tenant,
  selected,
  showAccount,
  onToggle,
}: {
  tenant: Tenant
  selected: string[]
  showAccount: boolean
  onToggle: (id: string) => void
}) {
  const titleId = useId()
  return (
    <div className="tenant" role="group" aria-labelledby={titleId}>
      <div className="tenant-header">
        <h2 id={titleId}>{tenant.displayName}</h2>
        {tenant.defaultDomain && <span className="muted">{tenant.defaultDomain}</span>}
      </div>
      {tenant.problem && (
        <div className="tenant-problem">
          <Notice tone="warning" title="This directory couldn’t be read">
            <p>{tenant.problem}</p>
            <SignInToTenant tenant={tenant} />
          </Notice>
        </div>
      )}
      {tenant.subscriptions.length === 0 ? (
        !tenant.problem && (
          <p className="tenant-empty">No subscriptions you can use in this directory.</p>
        )
      ) : (
        <ul className="subscription-list">
          {tenant.subscriptions.map((subscription) => (
            <li key={`${subscription.accountId}/${subscription.id}`}>
              <SubscriptionRow
                subscription={subscription}
                checked={selected.includes(subscription.id)}
                showAccount={showAccount}
                onToggle={onToggle}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function SubscriptionRow({
  subscription,
  checked,
  showAccount,
  onToggle,
}: {
  subscription: Subscription
  checked: boolean
  showAccount: boolean
  onToggle: (id: string) => void
}) {
  const nameId = useId()
  const metaId = useId()
  const account = useSession((s) => s.accounts.find((a) => a.id === subscription.accountId))
  return (
    <label className="subscription">
      <input
        type="checkbox"
        checked={checked}
        aria-labelledby={nameId}
        aria-describedby={metaId}
        onChange={() => onToggle(subscription.id)}
      />
      <span className="subscription-text">
        <span id={nameId}>{subscription.displayName}</span>
        <span id={metaId} className="subscription-meta">
          <span className="mono">{subscription.id}</span>
          {showAccount && account && <> · {account.username}</>}
        </span>
      </span>
      {subscription.state !== 'Enabled' && (
        <span className="badge warning">{subscription.state}</span>
      )}
    </label>
  )
}

/**
 * Signed in, but no subscription to show: either directories could not be read (say which
 * and why) or the account has no role on any subscription (say who can fix that).
 */
function NoSubscriptions({ tenants, onRefresh }: { tenants: Tenant[]; onRefresh: () => void }) {
  const problems = tenants.filter((t) => t.problem)
  const session = stores.session.getState()
  const unreadable = problems.length > 0
  const inSandbox = useSettings((s) => s.settings?.cloud) === 'Sandbox'
  return (
    <div className="stack-l">
      <div className="alert warning" role="alert">
        <AlertIcon className="alert-icon" />
        <div className="alert-body">
          <p className="alert-title">
            {unreadable ? 'No subscriptions could be read' : 'No subscriptions found'}
          </p>
          <p className="alert-text">
            {unreadable
              ? 'The directories below could not be read, so their subscriptions are missing. Do what each one says, then refresh.'
              : inSandbox
                ? 'This sandbox user has no role on any subscription, like a new colleague whose access was never set up. Sign in as another sandbox user to explore.'
                : 'Your account can’t see any Azure subscription. Ask your Azure administrator to give you a role on one (Contributor lets you create pools), then refresh. Or try the app with the sandbox: it needs no subscription.'}
          </p>
          <div className="alert-actions">
            <Button onClick={onRefresh} icon={<RefreshIcon />}>
              Refresh
            </Button>
            {!unreadable &&
              (inSandbox ? (
                <Button onClick={() => void session.startSignIn('browser')}>
                  Sign in as another user
                </Button>
              ) : (
                <Button onClick={() => void session.exploreSandbox()}>
                  Explore with a sandbox
                </Button>
              ))}
          </div>
        </div>
      </div>
      {problems.map((tenant) => (
        <Notice key={tenant.id} tone="warning" title={tenant.displayName}>
          <p>{tenant.problem}</p>
          <SignInToTenant tenant={tenant} />
        </Notice>
      ))}
    </div>
  )
}

/** A directory that wants more (MFA, consent, a fresh sign-in) gets it through its own sign-in. */
function SignInToTenant({ tenant }: { tenant: Tenant }) {
  const signingIn = useSession((s) => s.signIn !== undefined)
  const signIn = async () => {
    await stores.session.getState().signInToTenant(tenant.id)
    if (!stores.session.getState().signInError) await stores.subscriptions.getState().load()
  }
  return (
    <div className="alert-actions">
      <Button onClick={() => void signIn()} disabled={signingIn}>
        Sign in to {tenant.displayName}
      </Button>
    </div>
  )
}
