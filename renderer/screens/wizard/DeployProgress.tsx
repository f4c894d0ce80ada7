import { useEffect, useState } from 'react'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { ExternalLink } from '../../components/ExternalLink'
import { Loading } from '../../components/Spinner'
import { AlertIcon, CheckIcon } from '../../components/icons'
import { terminalStates, type DeploymentRef, type DeploymentStatus } from '../../../shared/deploy'
import { stores } from '../../stores'
import { AtZeroNotice } from '../pools/AtZeroNotice'
import { poolsStore, usePools } from '../pools/use-pools'
import { wizardStore } from './wizard-store'

const sameRef = (a: DeploymentRef, b: DeploymentRef) =>
  a.subscriptionId.toLowerCase() === b.subscriptionId.toLowerCase() &&
  a.resourceGroup.toLowerCase() === b.resourceGroup.toLowerCase() &&
  a.deploymentName === b.deploymentName

export const elapsed = (seconds: number) =>
  seconds < 60
    ? `${seconds} s`
    : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`

/** A deployment as it runs: each resource's state and time, Cancel, the result. */
export function DeployProgress({ deployment }: { deployment: DeploymentRef }) {
  const [status, setStatus] = useState<DeploymentStatus | undefined>()
  const [error, setError] = useState<ApiError | undefined>()
  const [cancelling, setCancelling] = useState(false)
  const [confirmCancel, setConfirmCancel] = useState(false)
  const [now, setNow] = useState(() => Date.now())

  useEffect(() => {
    const off = api.on('deploy.progress', (next) => {
      if (sameRef(next.ref, deployment)) setStatus(next)
    })
    api.call('deploy.status', deployment).then(setStatus, (e: unknown) => setError(toApiError(e)))
    return off
  }, [deployment])

  const running = status !== undefined && !terminalStates.includes(status.state)
  // The new pool as the poller sees it: at zero after a deployment outside working hours.
  const scaleSetId = status?.state === 'Succeeded' ? status.outputs?.scaleSetId : undefined
  const pool = usePools((s) => (scaleSetId ? s.pools[scaleSetId.toLowerCase()] : undefined))
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [running])

  const cancel = async () => {
    setCancelling(true)
    try {
      setStatus(await api.call('deploy.cancel', deployment))
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setCancelling(false)
      setConfirmCancel(false)
    }
  }

  const header = (
    <div className="page-header">
      <h1 id="wizard-title">{pageTitle(status?.state)}</h1>
    </div>
  )
  if (error && !status)
    return (
      <>
        {header}
        <ErrorAlert error={error} title="Couldn’t read the deployment" />
      </>
    )
  if (!status)
    return (
      <>
        {header}
        <Loading label="Reading the deployment…" />
      </>
    )
  const seconds = running
    ? Math.max(status.elapsedSeconds, Math.round((now - Date.parse(status.startedAt)) / 1000))
    : status.elapsedSeconds

  return (
    <div className="stack-l">
      {header}
      <div className={`deploy-state ${status.state.toLowerCase().replace(' ', '-')}`} role="status">
        {status.state === 'Succeeded' ? (
          <CheckIcon />
        ) : running ? (
          <span className="spinner" aria-hidden="true" />
        ) : (
          <AlertIcon />
        )}
        <span className="stack-tight">
          <span className="deploy-state-title">{headline(status)}</span>
          <span className="muted">
            {status.ref.deploymentName} in {status.ref.resourceGroup} · {elapsed(seconds)}
          </span>
        </span>
      </div>

      {status.state === 'Succeeded' && (
        <section className="card stack" aria-label="Your pool">
          {pool && <AtZeroNotice pool={pool} />}
          {status.outputs?.jupyterHubUrl && (
            <p>
              JupyterHub:{' '}
              <ExternalLink href={status.outputs.jupyterHubUrl}>
                {status.outputs.jupyterHubUrl}
              </ExternalLink>
            </p>
          )}
          {status.signIn && <p>{status.signIn}</p>}
          {status.outputs?.natPortRange && (
            <p className="muted">
              SSH to an instance on a port in {status.outputs.natPortRange} of{' '}
              {status.outputs.fqdn ?? 'the pool’s address'}.
            </p>
          )}
          <div className="row">
            <Button
              variant="primary"
              onClick={() => {
                poolsStore.getState().select(status.outputs?.scaleSetId)
                stores.navigation.getState().go('pools')
              }}
            >
              Go to the pool
            </Button>
            <Button
              onClick={() => {
                wizardStore.getState().watch(undefined)
                wizardStore.getState().reset()
              }}
            >
              Create another pool
            </Button>
          </div>
        </section>
      )}

      {(status.state === 'Failed' || status.state === 'Canceled') && (
        <section className="stack" aria-label="What went wrong">
          {status.state === 'Canceled' && (
            <p>
              What was created before the deployment stopped stays in {status.ref.resourceGroup}.
              Deploy again with the same answers to finish the pool, or delete the group in the
              Azure portal.
            </p>
          )}
          {status.failures.map((failure, i) => (
            <div key={i} className="alert" role="alert">
              <AlertIcon className="alert-icon" />
              <div className="alert-body">
                <p className="alert-title">
                  {failure.code}
                  {failure.resource ? ` — ${failure.resource}` : ''}
                </p>
                <p>{failure.message}</p>
                <p className="alert-detail">{failure.whatToDo}</p>
              </div>
            </div>
          ))}
          <div className="row">
            <Button onClick={() => wizardStore.getState().watch(undefined)}>
              Back to the answers
            </Button>
          </div>
        </section>
      )}

      <section className="stack" aria-labelledby="resources-title">
        <h2 id="resources-title">Resources</h2>
        {status.resources.length === 0 ? (
          <p className="muted">
            {status.state === 'Creating group'
              ? 'Creating the resource group…'
              : 'Azure is preparing the deployment…'}
          </p>
        ) : (
          <table className="data-table" aria-label="Deployment progress">
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Time
                </th>
              </tr>
            </thead>
            <tbody>
              {status.resources.map((resource) => (
                <tr key={`${resource.type}/${resource.name}`}>
                  <td className="mono">{resource.name}</td>
                  <td className="muted">{resource.type.replace(/^Microsoft\./, '')}</td>
                  <td>
                    <span className={`change-badge ${resource.state.toLowerCase()}`}>
                      {resource.state}
                    </span>
                  </td>
                  <td className="num">{elapsed(resource.elapsedSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {running && (
        <div className="sticky-footer">
          <span className="muted">
            You can close the app: the deployment goes on in Azure and shows here again.
          </span>
          {confirmCancel ? (
            <div className="row">
              <span>Stop the deployment? What was created so far stays.</span>
              <Button variant="danger" busy={cancelling} onClick={() => void cancel()}>
                Stop deployment
              </Button>
              <Button variant="ghost" onClick={() => setConfirmCancel(false)}>
                Keep going
              </Button>
            </div>
          ) : (
            <Button variant="danger" onClick={() => setConfirmCancel(true)}>
              Cancel deployment
            </Button>
          )}
        </div>
      )}
      {error && <ErrorAlert error={error} title="That did not work" />}
    </div>
  )
}

/** The page's title follows the deployment: it no longer says "Deploying" once it ended. */
export function pageTitle(state: DeploymentStatus['state'] | undefined): string {
  switch (state) {
    case 'Succeeded':
      return 'Pool created'
    case 'Failed':
      return 'The deployment failed'
    case 'Canceled':
      return 'Deployment cancelled'
    default:
      return 'Deploying a pool'
  }
}

function headline(status: DeploymentStatus): string {
  switch (status.state) {
    case 'Succeeded':
      return `The pool ${status.poolName} is ready`
    case 'Failed':
      return `The deployment of ${status.poolName} failed`
    case 'Canceled':
      return `The deployment of ${status.poolName} was cancelled`
    case 'Canceling':
      return `Stopping the deployment of ${status.poolName}…`
    case 'Creating group':
      return `Creating the resource group for ${status.poolName}…`
    default:
      return `Deploying ${status.poolName}…`
  }
}
