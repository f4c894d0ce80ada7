import { useEffect, useState } from 'react'
import type { CallOutput } from '../../../shared/api'
import type { PoolSummary } from '../../../shared/pools'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert, Notice } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { Loading } from '../../components/Spinner'
import { useLoad } from '../../lib/use-load'
import './team.css'

/**
 * "Set up team access" on an existing pool (docs/team.md): adds Microsoft's Entra ID login
 * to its scale set where it is missing and, on Linux, JupyterHub sign-in with Microsoft
 * accounts (the pool's app registration), so every instance, running or added later, lets
 * members sign in as themselves. Running instances are updated in place. Where it is set up,
 * the JupyterHub secret's end is shown, with "Renew" when it is near.
 */
type Status = CallOutput<'team.accessStatus'>

const dateText = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' })

export function SetUpTeamAccess({ pool }: { pool: PoolSummary }) {
  const poolId = pool.id
  const [status, reload] = useLoad(poolId, () => api.call('team.accessStatus', { poolId }), {
    keepWhileReloading: true,
  })
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<ApiError>()

  useEffect(
    () =>
      api.on('team.accessProgress', (progress) => {
        if (progress.poolId === poolId) setMessage(progress.text)
      }),
    [poolId],
  )

  const current: Status | undefined = status.status === 'loaded' ? status.value : undefined
  const hub = current?.jupyterHub
  const complete =
    !!current?.entraLogin && (pool.os !== 'Linux' || !!hub?.microsoftAccounts || !!hub?.unavailable)
  const how =
    pool.os === 'Windows' ? 'Remote Desktop' : hub?.microsoftAccounts ? 'SSH and JupyterHub' : 'SSH'

  const run = async (work: () => Promise<string>, failedNote = '') => {
    setBusy(true)
    setError(undefined)
    setNote('')
    try {
      setMessage(await work())
    } catch (caught) {
      setError(toApiError(caught))
      setMessage(failedNote)
    } finally {
      setBusy(false)
      reload()
    }
  }

  const setUp = () =>
    run(async () => {
      setMessage(
        'Adding Microsoft sign-in to the pool: its scale set first, then every running instance…',
      )
      const result = await api.call('team.setUpEntra', { poolId })
      const hubToo = result.jupyterHub?.state === 'added' || result.jupyterHub?.state === 'already'
      const over = pool.os === 'Windows' ? 'Remote Desktop' : hubToo ? 'SSH and JupyterHub' : 'SSH'
      const instances = `${result.upgradedInstances.length} running ${result.upgradedInstances.length === 1 ? 'instance' : 'instances'} updated in place; new ones get it too`
      if (result.jupyterHub?.state === 'skipped') setNote(result.jupyterHub.message)
      return result.added
        ? `Done: members can sign in with their Microsoft accounts over ${over} (${instances}).`
        : `Already set up: members sign in with their Microsoft accounts over ${over}.`
    })

  const renew = () =>
    run(async () => {
      const result = await api.call('team.renewJupyterHubSecret', { poolId })
      return `JupyterHub has a new secret, valid until ${dateText(result.secretEndsAt)} (${result.upgradedInstances.length} running ${result.upgradedInstances.length === 1 ? 'instance' : 'instances'} updated in place); the old one was removed.`
    })

  return (
    <section className="card stack" aria-labelledby="team-access-title">
      <h2 id="team-access-title">Sign-in on the instances</h2>
      {status.status === 'loading' && <Loading label="Reading how members sign in…" />}
      {status.status === 'failed' && (
        <ErrorAlert
          error={status.error}
          title="Couldn’t read how members sign in"
          onRetry={reload}
        />
      )}
      {current && complete && (
        <p>
          Already set up: members sign in with their Microsoft accounts over {how}, on every
          instance.
        </p>
      )}
      {current && !complete && (
        <p className="muted">
          This pool does not yet let every member sign in with their Microsoft account
          {current.entraLogin ? ' to JupyterHub' : ''}. Setting it up adds Microsoft’s sign-in to
          every instance, without restarting them
          {pool.os === 'Linux'
            ? ', and registers the pool’s JupyterHub application with your organisation'
            : ''}
          . Members still need a role under Team.
        </p>
      )}
      {hub?.unavailable && current?.entraLogin && <p className="muted">{hub.unavailable}</p>}
      {hub?.microsoftAccounts && hub.secretEndsAt && (
        <p className={hub.renewDue ? undefined : 'muted'}>
          JupyterHub’s secret with Microsoft Entra ends on {dateText(hub.secretEndsAt)}.{' '}
          {hub.renewDue
            ? 'Renew it now: after that day nobody can sign in to JupyterHub.'
            : 'Renew it before then (the app suggests it 30 days ahead).'}
        </p>
      )}
      {error && <ErrorAlert error={error} title="Sign-in on the instances was not changed" />}
      {note && (
        <Notice title="JupyterHub keeps its own sign-in">
          <p>{note}</p>
        </Notice>
      )}
      <p className="team-status" role="status">
        {message}
      </p>
      <div className="alert-actions">
        {current && !complete && (
          <Button busy={busy} onClick={() => void setUp()}>
            Set up team access
          </Button>
        )}
        {hub?.microsoftAccounts && (
          <Button
            busy={busy}
            variant={hub.renewDue ? 'primary' : 'secondary'}
            onClick={() => void renew()}
          >
            Renew JupyterHub secret
          </Button>
        )}
      </div>
    </section>
  )
}
