import { createHash } from 'node:crypto'
import type { SandboxContext } from '../../core/context'
import type { Principal } from '../../core/http'
import type { OutputValue } from '../template/template'

export type DeploymentState = 'Accepted' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled'
export type OperationState = 'Running' | 'Succeeded' | 'Failed' | 'Canceled'

export interface ErrorBody {
  code: string
  message: string
  target?: string
  details?: unknown[]
}

/** One resource operation of a deployment, as the deployment operations list shows it. */
export interface DeploymentOperation {
  operationId: string
  provisioningOperation: 'Create' | 'EvaluateDeploymentOutput'
  provisioningState: OperationState
  /** Sandbox ms when it started and (once done) ended. */
  startedAt: number
  endedAt?: number
  trackingId: string
  serviceRequestId: string
  statusCode?: string
  error?: ErrorBody
  target?: { id: string; resourceType: string; resourceName: string; apiVersion: string }
  /** The provider's long-running operation being waited for (survives a restart). */
  asyncOperationId?: string
}

/** A deployment at resource-group scope, with what it needs to run and to be shown. */
export interface DeploymentRecord {
  id: string
  name: string
  subscriptionId: string
  resourceGroup: string
  mode: 'Incremental' | 'Complete'
  provisioningState: DeploymentState
  correlationId: string
  templateHash: string
  /** The template (no secrets: those come as parameters); kept for exportTemplate and resume. */
  template: unknown
  /** Given parameter values, kept only while the deployment runs (they may be secret). */
  pendingParameters?: unknown
  parametersView: Record<string, OutputValue>
  principal: Principal
  /** Sandbox ms. */
  startedAt: number
  endedAt?: number
  /** Id of the status resource behind the PUT's Azure-AsyncOperation header. */
  statusId: string
  outputs?: Record<string, OutputValue>
  error?: ErrorBody
  operations: DeploymentOperation[]
  /** Resource ids (lower case) each resource waits for, for the `dependencies` view. */
  dependencies: Array<{ id: string; type: string; name: string; dependsOn: string[] }>
  providers: Array<{
    namespace: string
    resourceTypes: Array<{ resourceType: string; locations: string[] }>
  }>
}

export const deploymentTable = (ctx: SandboxContext) =>
  ctx.state.table<DeploymentRecord>('deployments')

export const deploymentId = (subscriptionId: string, resourceGroup: string, name: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Resources/deployments/${name}`

export const isActive = (record: DeploymentRecord) =>
  record.provisioningState === 'Accepted' || record.provisioningState === 'Running'

/** ARM's templateHash: a decimal number derived from the template. */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest()
  return (digest.readBigUInt64BE(0) % 10n ** 19n).toString()
}

/** ISO 8601 duration as ARM writes it, e.g. PT22.8356799S. */
export function isoDuration(ms: number): string {
  return `PT${(Math.max(0, ms) / 1000).toFixed(7).replace(/\.?0+$/, '')}S`
}

const statusNames: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'NoContent',
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
}
export const statusName = (status: number) => statusNames[status] ?? String(status)

/** The `dependencies` a deployment shows: each resource that waits, and for what. */
export function dependenciesView(dependencies: DeploymentRecord['dependencies']) {
  return dependencies
    .filter((d) => d.dependsOn.length > 0)
    .map((d) => ({
      id: d.id,
      resourceType: d.type,
      resourceName: d.name,
      dependsOn: d.dependsOn.map((id) => {
        const target = dependencies.find((x) => x.id.toLowerCase() === id)
        return {
          id: target?.id ?? id,
          resourceType: target?.type ?? '',
          resourceName: target?.name ?? '',
        }
      }),
    }))
}

export function deploymentView(ctx: SandboxContext, record: DeploymentRecord) {
  const end = record.endedAt ?? ctx.clock.now()
  const properties: Record<string, unknown> = {
    templateHash: record.templateHash,
    parameters: record.parametersView,
    mode: record.mode,
    provisioningState: record.provisioningState,
    timestamp: new Date(record.endedAt ?? record.startedAt).toISOString(),
    duration: isoDuration(end - record.startedAt),
    correlationId: record.correlationId,
    providers: record.providers,
    dependencies: dependenciesView(record.dependencies),
  }
  if (record.provisioningState === 'Succeeded') {
    properties.outputs = record.outputs ?? {}
    properties.outputResources = record.operations
      .filter((o) => o.target && o.provisioningState === 'Succeeded')
      .map((o) => ({ id: o.target!.id }))
  }
  if (record.error) properties.error = record.error
  return { id: record.id, name: record.name, type: 'Microsoft.Resources/deployments', properties }
}

export function operationView(
  ctx: SandboxContext,
  record: DeploymentRecord,
  op: DeploymentOperation,
) {
  const properties: Record<string, unknown> = {
    provisioningOperation: op.provisioningOperation,
    provisioningState: op.provisioningState,
    timestamp: new Date(op.endedAt ?? op.startedAt).toISOString(),
    duration: isoDuration((op.endedAt ?? ctx.clock.now()) - op.startedAt),
    trackingId: op.trackingId,
    serviceRequestId: op.serviceRequestId,
  }
  if (op.statusCode) properties.statusCode = op.statusCode
  if (op.error) properties.statusMessage = { status: 'Failed', error: op.error }
  if (op.target) properties.targetResource = op.target
  return {
    id: `${record.id}/operations/${op.operationId}`,
    operationId: op.operationId,
    properties,
  }
}
