import { useState, type FormEvent } from 'react'
import type { PoolSummary } from '../../../shared/pools'
import { checkPoolAccountUser } from '../../../shared/pool-accounts'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert } from '../../components/Alerts'
import { describeError } from '../../lib/error-text'
import { Button } from '../../components/Button'
import { Loading } from '../../components/Spinner'
import { useLoad } from '../../lib/use-load'
import './team.css'

type Accounts = Array<{ user: string; keyComment: string }>

/**
 * Pool accounts (docs/team.md), for Linux pools where Microsoft sign-in cannot be set up:
 * each member makes their own account here. The app makes their SSH key and turns their
 * JupyterHub password into a hash on this computer; only the public key and the hash go
 * to the pool. Removing an account removes it from every instance.
 *
 * Where pool accounts are the way in (the pool was made with them, has no Microsoft sign-in,
 * or you made one), the card is open. Where members sign in with their Microsoft accounts it
 * stays a closed, labelled fallback: every pool the app makes has Microsoft's sign-in on its
 * instances, and pool accounts there only help a teammate who cannot be given a role (the
 * Team section points them here). A pool that cannot take accounts says why at once.
 */
export function PoolAccountsSection({ pool }: { pool: PoolSummary }) {
  const poolId = pool.id
  const [wayIn, reloadWayIn] = useLoad(
    poolId,
    () => api.call('team.poolAccounts.wayIn', { poolId }),
    { keepWhileReloading: true },
  )
  const [openedFor, setOpenedFor] = useState<string>()

  if (wayIn.status === 'loaded' && (wayIn.value.mode === 'accounts' || openedFor === poolId))
    return <PoolAccountsCard pool={pool} />
  return (
    <section className="card stack team-section" aria-labelledby="pool-accounts-title">
      <h2 id="pool-accounts-title">
        {wayIn.status === 'loaded' ? 'Pool accounts (fallback)' : 'Pool accounts'}
      </h2>
      {wayIn.status === 'loading' && <Loading label="Reading how members sign in…" />}
      {wayIn.status === 'failed' &&
        (wayIn.error.code === 'Validation' ? (
          // Not a failure: the pool cannot take accounts, and the reason says what to do.
          <div className="stack tight" role="note" aria-label="Why this pool has no pool accounts">
            <p>{wayIn.error.message}</p>
            <p className="muted">{describeError(wayIn.error).whatToDo}</p>
          </div>
        ) : (
          <ErrorAlert
            error={wayIn.error}
            title="Couldn’t read how members sign in to this pool"
            onRetry={reloadWayIn}
          />
        ))}
      {wayIn.status === 'loaded' && (
        <>
          <p className="muted">
            Members of this pool sign in with their Microsoft accounts (see Team), so most teammates
            need nothing here. Pool accounts are for a teammate who can’t be given a role on the
            pool: their own Linux user name, SSH key and JupyterHub password, on every instance.
          </p>
          <div>
            <Button onClick={() => setOpenedFor(poolId)}>Use pool accounts on this pool</Button>
          </div>
        </>
      )}
    </section>
  )
}

function PoolAccountsCard({ pool }: { pool: PoolSummary }) {
  const poolId = pool.id
  const [load, reload, showAccounts] = useLoad(
    poolId,
    () => api.call('team.poolAccounts', { poolId }),
    { keepWhileReloading: true },
  )
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')
  const [actionError, setActionError] = useState<ApiError>()
  const [removing, setRemoving] = useState<string>()

  const change = async <R extends { accounts: Accounts }>(
    run: () => Promise<R>,
    done: (result: R) => string,
  ) => {
    setBusy(true)
    setActionError(undefined)
    setMessage(
      'Sending the accounts to the pool: the scale set first, then every running instance…',
    )
    try {
      const outcome = await run()
      showAccounts({ accounts: outcome.accounts })
      setMessage(done(outcome))
      return true
    } catch (error) {
      setActionError(toApiError(error))
      setMessage('')
      return false
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card stack team-section" aria-labelledby="pool-accounts-title">
      <div className="stack">
        <h2 id="pool-accounts-title">Pool accounts</h2>
        <p className="muted">
          Where signing in with Microsoft accounts can’t be set up, each member makes their own
          account here: a user name and a JupyterHub password. Your SSH key is made on this computer
          and your password never leaves it — only the public key and a one-way hash of the password
          are sent to the pool, and every instance, including new ones, gets the account.
        </p>
      </div>
      {load.status === 'loading' && <Loading label="Reading the pool’s accounts…" />}
      {load.status === 'failed' && (
        <ErrorAlert error={load.error} title="Couldn’t read the pool’s accounts" onRetry={reload} />
      )}
      {actionError && <ErrorAlert error={actionError} title="The accounts were not changed" />}
      <p className="team-status" role="status">
        {message}
      </p>
      {load.status === 'loaded' &&
        (load.value.accounts.length === 0 ? (
          <p className="muted">This pool has no pool accounts yet.</p>
        ) : (
          <ul className="team-members" aria-label="Pool accounts">
            {load.value.accounts.map((a) => (
              <li key={a.user} className="team-member" aria-label={a.user}>
                <div className="stack tight">
                  <span className="team-name">{a.user}</span>
                  <span className="muted">key {a.keyComment || '(no comment)'}</span>
                </div>
                <Button
                  size="small"
                  variant="ghost"
                  disabled={busy}
                  onClick={() => setRemoving(a.user)}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        ))}
      {removing && (
        <div
          className="card confirm-panel"
          role="alertdialog"
          aria-labelledby="remove-account-title"
        >
          <h3 id="remove-account-title">Remove the account {removing}?</h3>
          <p>
            The account is removed from every instance, with its home folder on the instances;
            running programs of {removing} are stopped. The folder notebooks/{removing} on the share
            stays.
          </p>
          <div className="alert-actions">
            <Button
              variant="danger"
              onClick={() => {
                const user = removing
                setRemoving(undefined)
                void change(
                  () => api.call('team.poolAccounts.remove', { poolId, user }),
                  () => `The account ${user} was removed from the pool.`,
                )
              }}
            >
              Remove {removing}
            </Button>
            <Button onClick={() => setRemoving(undefined)}>Cancel</Button>
          </div>
        </div>
      )}
      <MyAccountForm
        busy={busy}
        onMake={(user, password) =>
          change(
            () => api.call('team.poolAccounts.setMine', { poolId, user, password }),
            ({ privateKeyPath }) =>
              `Your account ${user} is on the pool. Sign in to JupyterHub as ${user} with your password; SSH, the copied command and VS Code connect as ${user} with the key the app made for you (${privateKeyPath}), unless your Microsoft account may sign in to the instances.`,
          )
        }
      />
    </section>
  )
}

function MyAccountForm({
  busy,
  onMake,
}: {
  busy: boolean
  onMake(user: string, password: string): Promise<boolean>
}) {
  const [user, setUser] = useState('')
  const [password, setPassword] = useState('')
  const [again, setAgain] = useState('')
  const [tried, setTried] = useState(false)
  const userProblem = user ? checkPoolAccountUser(user) : 'Choose a user name.'
  const passwordProblem =
    password.length < 12
      ? 'Use 12 or more characters.'
      : again !== password
        ? 'The two passwords differ.'
        : undefined

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    if (userProblem || passwordProblem) return
    if (await onMake(user, password)) {
      // The password is not kept anywhere once it is sent.
      setPassword('')
      setAgain('')
      setTried(false)
    }
  }

  return (
    <form className="stack team-add" onSubmit={(e) => void submit(e)} noValidate>
      <h3>Make my pool account</h3>
      <div className="stack tight">
        <label htmlFor="pool-account-user">User name on the instances</label>
        <input
          id="pool-account-user"
          className="input"
          autoComplete="username"
          value={user}
          maxLength={32}
          aria-invalid={tried && !!userProblem}
          aria-describedby={tried && userProblem ? 'pool-account-user-problem' : undefined}
          onChange={(e) => setUser(e.target.value)}
        />
        {tried && userProblem && (
          <span id="pool-account-user-problem" className="field-error">
            {userProblem}
          </span>
        )}
      </div>
      <div className="stack tight">
        <label htmlFor="pool-account-password">JupyterHub password</label>
        <input
          id="pool-account-password"
          className="input"
          type="password"
          autoComplete="new-password"
          value={password}
          maxLength={256}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor="pool-account-again">The same password again</label>
        <input
          id="pool-account-again"
          className="input"
          type="password"
          autoComplete="new-password"
          value={again}
          maxLength={256}
          aria-invalid={tried && !!passwordProblem}
          aria-describedby={tried && passwordProblem ? 'pool-account-password-problem' : undefined}
          onChange={(e) => setAgain(e.target.value)}
        />
        {tried && passwordProblem && (
          <span id="pool-account-password-problem" className="field-error">
            {passwordProblem}
          </span>
        )}
      </div>
      <div>
        <Button type="submit" busy={busy}>
          Make my account
        </Button>
      </div>
    </form>
  )
}
