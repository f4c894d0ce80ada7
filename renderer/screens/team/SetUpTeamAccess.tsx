import { useState } from 'react'
import type { PoolSummary } from '../../../shared/pools'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert } from '../../components/Alerts'
import { Button } from '../../components/Button'
import './team.css'

/**
 * "Set up team access" on an existing pool (docs/team.md): adds Microsoft's Entra ID login
 * to its scale set where it is missing, so every instance, running or added later, lets
 * members sign in with their Microsoft accounts. Running instances are updated in place.
 */
export function SetUpTeamAccess({ pool }: { pool: PoolSummary }) {
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')
  const [error, setError] = useState<ApiError>()
  const how = pool.os === 'Linux' ? 'SSH' : 'Remote Desktop'

  const run = async () => {
    setBusy(true)
    setError(undefined)
    setMessage(
      'Adding Microsoft sign-in to the pool: its scale set first, then every running instance…',
    )
    try {
      const result = await api.call('team.setUpEntra', { poolId: pool.id })
      setMessage(
        result.added
          ? `Done: members can sign in with their Microsoft accounts over ${how} on every instance (${result.upgradedInstances.length} running ${result.upgradedInstances.length === 1 ? 'instance' : 'instances'} updated in place; new ones get it too).`
          : `Already set up: members sign in with their Microsoft accounts over ${how}.`,
      )
    } catch (caught) {
      setError(toApiError(caught))
      setMessage('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card stack" aria-labelledby="team-access-title">
      <h2 id="team-access-title">Sign-in on the instances</h2>
      <p className="muted">
        Pools made by older versions of the app may not let members sign in with their Microsoft
        accounts. Setting it up adds Microsoft’s sign-in to every instance, without restarting them.
        Members still need a role under Team.
      </p>
      {error && <ErrorAlert error={error} title="Team access was not set up" />}
      <p className="team-status" role="status">
        {message}
      </p>
      <div>
        <Button busy={busy} onClick={() => void run()}>
          Set up team access
        </Button>
      </div>
    </section>
  )
}
