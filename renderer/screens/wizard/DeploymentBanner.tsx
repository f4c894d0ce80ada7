import { useEffect, useState } from 'react'
import { api } from '../../api'
import { Button } from '../../components/Button'
import { terminalStates, type DeploymentStatus } from '../../../shared/deploy'
import { stores } from '../../stores'
import type { View } from '../../stores/navigation'
import { wizardStore } from './wizard-store'

const keyOf = (status: DeploymentStatus) =>
  `${status.ref.subscriptionId}/${status.ref.resourceGroup}/${status.ref.deploymentName}`.toLowerCase()

/**
 * Pool deployments still running (also those found again after the app restarted), shown on
 * every screen but the wizard's, with the way back to their progress.
 */
export function DeploymentBanner({ view }: { view: View }) {
  const [running, setRunning] = useState<DeploymentStatus[]>([])

  useEffect(() => {
    let current = true
    const merge = (statuses: DeploymentStatus[]) =>
      setRunning((previous) => {
        const byKey = new Map(previous.map((s) => [keyOf(s), s]))
        for (const status of statuses) byKey.set(keyOf(status), status)
        return [...byKey.values()].filter((s) => !terminalStates.includes(s.state))
      })
    const off = api.on('deploy.progress', (status) => merge([status]))
    api.call('deploy.list').then(
      (list) => current && merge(list),
      // Not knowing about a deployment here is not worth an error on every screen.
      () => undefined,
    )
    return () => {
      current = false
      off()
    }
  }, [])

  if (view === 'create' || running.length === 0) return null
  const first = running[0]!
  return (
    <div className="banner" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="topbar-spacer">
        Deploying the pool {first.poolName}
        {running.length > 1 ? ` and ${running.length - 1} more` : ''}…
      </span>
      <Button
        size="small"
        onClick={() => {
          wizardStore.getState().watch(first.ref)
          stores.navigation.getState().go('create')
        }}
      >
        Show progress
      </Button>
    </div>
  )
}
