import type { TransferProgress } from '../../shared/api'
import { terminalStates, type DeploymentStatus } from '../../shared/deploy'
import type { EventHub } from '../ipc/events'

/*
 * What the app is in the middle of, read from its own events: deployments it watches that
 * have not ended, and file transfers still running. The updater asks before it restarts.
 */

export interface Activity {
  /** What the app is in the middle of ("a deployment", "2 file transfers"), or undefined. */
  busy(): string | undefined
  /** Calls back each time the app stops being busy. */
  onIdle(listener: () => void): () => void
  close(): void
}

export function trackActivity(events: EventHub): Activity {
  const deployments = new Set<string>()
  const transfers = new Set<string>()
  const idle = new Set<() => void>()
  const count = (n: number, one: string) => (n === 1 ? `a ${one}` : `${n} ${one}s`)
  const reason = () =>
    deployments.size > 0
      ? count(deployments.size, 'deployment')
      : transfers.size > 0
        ? count(transfers.size, 'file transfer')
        : undefined
  const unsubscribe = events.subscribe((name, payload) => {
    const before = reason()
    if (name === 'deploy.progress') {
      const status = payload as DeploymentStatus
      const key =
        `${status.ref.subscriptionId}/${status.ref.resourceGroup}/${status.ref.deploymentName}`.toLowerCase()
      if (terminalStates.includes(status.state)) deployments.delete(key)
      else deployments.add(key)
    } else if (name === 'files.progress') {
      const progress = payload as TransferProgress
      if (progress.state === 'running') transfers.add(progress.transferId)
      else transfers.delete(progress.transferId)
    } else return
    if (before && !reason()) for (const listener of [...idle]) listener()
  })
  return {
    busy: reason,
    onIdle(listener) {
      idle.add(listener)
      return () => idle.delete(listener)
    },
    close: unsubscribe,
  }
}
