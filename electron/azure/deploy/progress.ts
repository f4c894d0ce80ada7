import type { DeploymentExtended, DeploymentOperation } from '@azure/arm-resourcesdeployments'
import type {
  DeploymentRef,
  DeploymentResource,
  DeploymentState,
  DeploymentStatus,
  Failure,
} from '../../../shared/deploy'
import { failuresOf, type AzureErrorBody } from './azure-errors'
import { typeAndName } from './what-if'

/**
 * A deployment's progress as the person sees it, from ARM's deployment and its operations:
 * one row per resource (type, name, state, elapsed time) and the failures explained.
 */

/** ISO 8601 duration (PT1M30.5S) in seconds. */
export function durationSeconds(duration: string | undefined): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(duration ?? '')
  if (!match) return 0
  const [, d, h, m, s] = match
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)
}

const knownStates: DeploymentState[] = ['Accepted', 'Running', 'Succeeded', 'Failed', 'Canceled']

export function stateOf(provisioningState: string | undefined): DeploymentState {
  const found = knownStates.find((s) => s.toLowerCase() === provisioningState?.toLowerCase())
  if (found) return found
  // Creating, Updating, Waiting, Validating...: all still on their way.
  return provisioningState?.toLowerCase() === 'canceling' ? 'Canceling' : 'Running'
}

export function resourcesOf(operations: DeploymentOperation[]): DeploymentResource[] {
  const latest = new Map<string, DeploymentOperation>()
  for (const operation of operations) {
    const target = operation.properties?.targetResource
    if (!target?.id) continue
    if (operation.properties?.provisioningOperation === 'EvaluateDeploymentOutput') continue
    const key = target.id.toLowerCase()
    const previous = latest.get(key)
    const time = (o: DeploymentOperation) => o.properties?.timestamp?.getTime?.() ?? 0
    if (!previous || time(operation) >= time(previous)) latest.set(key, operation)
  }
  return [...latest.values()].map((operation) => {
    const properties = operation.properties!
    const target = properties.targetResource!
    const { type, name } = target.resourceType
      ? { type: target.resourceType, name: target.resourceName ?? typeAndName(target.id!).name }
      : typeAndName(target.id!)
    const error = operationError(operation)
    const failure = error ? failuresOf(error, `${type} ${name}`)[0] : undefined
    return {
      type,
      name,
      state: properties.provisioningState ?? 'Running',
      elapsedSeconds: Math.round(durationSeconds(properties.duration)),
      ...(failure ? { failure } : {}),
    }
  })
}

function operationError(operation: DeploymentOperation): AzureErrorBody | undefined {
  const message = operation.properties?.statusMessage as
    { error?: AzureErrorBody; status?: string } | AzureErrorBody | undefined
  if (!message) return undefined
  if ('error' in message && message.error) return message.error
  return 'code' in message && message.code ? (message as AzureErrorBody) : undefined
}

const outputValue = (outputs: unknown, name: string): string | undefined => {
  const value = (outputs as Record<string, { value?: unknown }> | undefined)?.[name]?.value
  return typeof value === 'string' && value ? value : undefined
}

const parameterValue = (deployment: DeploymentExtended, name: string): string | undefined => {
  const parameters = deployment.properties?.parameters as
    Record<string, { value?: unknown }> | undefined
  const value = parameters?.[name]?.value
  return typeof value === 'string' ? value : undefined
}

export function statusOf(
  ref: DeploymentRef,
  deployment: DeploymentExtended,
  operations: DeploymentOperation[],
  now: number,
  startedAt?: number,
): DeploymentStatus {
  const properties = deployment.properties
  const state = stateOf(properties?.provisioningState)
  const duration = durationSeconds(properties?.duration)
  const updated = properties?.timestamp?.getTime?.() ?? now
  const started = startedAt ?? updated - duration * 1000
  const terminal = state === 'Succeeded' || state === 'Failed' || state === 'Canceled'
  const resources = resourcesOf(operations).sort(
    (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
  )
  const failures: Failure[] = resources.flatMap((r) => (r.failure ? [r.failure] : []))
  if (properties?.error && failures.length === 0)
    failures.push(...failuresOf(properties.error as AzureErrorBody))
  const outputs = properties?.outputs
  const poolName =
    parameterValue(deployment, 'vmssName') ?? ref.deploymentName.replace(/^dsvm-pool-/, '')
  const location = parameterValue(deployment, 'location')
  return {
    ref,
    poolName,
    ...(location ? { location } : {}),
    state,
    startedAt: new Date(started).toISOString(),
    elapsedSeconds: Math.max(
      0,
      Math.round(terminal ? duration : Math.max(duration, (now - started) / 1000)),
    ),
    resources,
    failures,
    ...(state === 'Succeeded'
      ? {
          outputs: {
            ...optional('jupyterHubUrl', outputValue(outputs, 'jupyterHubUrl')),
            ...optional('fqdn', outputValue(outputs, 'fqdn')),
            ...optional('natPortRange', outputValue(outputs, 'natPortRange')),
            ...optional('shareUrl', outputValue(outputs, 'shareUrl')),
            ...optional('scaleSetId', outputValue(outputs, 'scaleSetId')),
          },
        }
      : {}),
  }
}

const optional = (key: string, value: string | undefined) => (value ? { [key]: value } : {})
