import type { SandboxContext } from '../../core/context'
import type { SandboxReply } from '../../core/http'
import { parseResourceId } from '../../core/resources'
import type { TemplateRuntime } from '../template/env'
import { ResourceCallError, TemplateError } from '../template/errors'
import type { PlannedResource } from '../template/plan'
import type { PreparedTemplate } from '../template/template'
import {
  deploymentTable,
  isActive,
  statusName,
  type DeploymentOperation,
  type DeploymentRecord,
  type ErrorBody,
} from './records'
import { deploymentRuntime } from './runtime'

/** Sandbox ms a deployment stays Accepted before it starts creating resources. */
export const acceptedDelayMs = 1_500
/** How often a resource without an operation status is re-read while it provisions. */
const resourcePollMs = 2_000
/** An accepted (202) resource may take a while to appear; give up after this many reads. */
const maxNotFoundPolls = 30
const terminal = new Set(['succeeded', 'failed', 'canceled'])

export const newOperationId = (ctx: SandboxContext) =>
  ctx.newId().replace(/-/g, '').slice(0, 16).toUpperCase()

export const deploymentFailedMessage =
  'At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.'

function headerOf(reply: SandboxReply, name: string): string | undefined {
  const key = Object.keys(reply.headers ?? {}).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : String(reply.headers![key])
}

const errorOfReply = (reply: SandboxReply): ErrorBody => {
  const error = (reply.body as { error?: ErrorBody } | undefined)?.error
  return (
    error ?? {
      code: statusName(reply.status),
      message: `The resource request failed with status ${reply.status}.`,
    }
  )
}

/**
 * Runs one deployment: creates every resource through its provider's own PUT handler as
 * the deployer, independent resources in parallel, each after what it depends on; waits for
 * each provider's long-running operation on the sandbox clock; then evaluates outputs.
 * All progress lives in the deployment record, so a restarted sandbox can resume it.
 */
export class DeploymentRun {
  private readonly runtime: TemplateRuntime
  private finishing = false

  constructor(
    private readonly ctx: SandboxContext,
    private readonly recordId: string,
    private readonly prepared: PreparedTemplate,
    principal: DeploymentRecord['principal'],
  ) {
    this.runtime = deploymentRuntime(ctx, principal)
  }

  /** Accepted now; Running (and creating resources) a moment later, as in Azure. */
  start(): void {
    this.ctx.clock.after(acceptedDelayMs, () => {
      const record = this.activeRecord()
      if (!record) return
      record.provisioningState = 'Running'
      this.save(record)
      this.pump()
    })
  }

  /** Continues a deployment restored from disk. */
  resume(): void {
    const record = this.activeRecord()
    if (!record) return
    if (record.provisioningState === 'Accepted') return this.start()
    for (const op of record.operations) {
      if (op.provisioningState !== 'Running' || !op.target) continue
      const resource = this.resourceFor(op)
      if (!resource) continue
      if (op.asyncOperationId) this.watch(resource, op.operationId)
      else void this.resumeOperation(resource, op.operationId)
    }
    this.pump()
  }

  private activeRecord(): DeploymentRecord | undefined {
    const record = deploymentTable(this.ctx).get(this.recordId)
    return record && isActive(record) ? record : undefined
  }

  private save(record: DeploymentRecord): void {
    deploymentTable(this.ctx).set(record.id, record)
  }

  private resourceFor(op: DeploymentOperation): PlannedResource | undefined {
    return this.prepared.resources.find((r) => r.id.toLowerCase() === op.target?.id.toLowerCase())
  }

  private operationOf(
    record: DeploymentRecord,
    resource: PlannedResource,
  ): DeploymentOperation | undefined {
    const id = resource.id.toLowerCase()
    return record.operations.find((o) => o.target?.id.toLowerCase() === id)
  }

  /** Starts every resource whose dependencies have succeeded; finishes when nothing is left. */
  private pump(): void {
    const record = this.activeRecord()
    if (!record || record.provisioningState !== 'Running' || this.finishing) return
    const stateOf = (id: string) =>
      record.operations.find((o) => o.target?.id.toLowerCase() === id)?.provisioningState
    let inFlight = record.operations.some((o) => o.provisioningState === 'Running')
    for (const resource of this.prepared.deploymentOrder()) {
      if (this.operationOf(record, resource)) continue
      if (resource.dependencies.every((d) => stateOf(d) === 'Succeeded')) {
        const op = this.newOperation(resource)
        record.operations.push(op)
        this.save(record)
        inFlight = true
        void this.execute(resource, op.operationId)
      }
    }
    if (!inFlight) void this.finish(record)
  }

  private newOperation(resource: PlannedResource): DeploymentOperation {
    return {
      operationId: newOperationId(this.ctx),
      provisioningOperation: 'Create',
      provisioningState: 'Running',
      startedAt: this.ctx.clock.now(),
      trackingId: this.ctx.newId(),
      serviceRequestId: this.ctx.newId(),
      target: {
        id: resource.id,
        resourceType: resource.type,
        resourceName: resource.name,
        apiVersion: resource.apiVersion,
      },
    }
  }

  private async execute(resource: PlannedResource, operationId: string): Promise<void> {
    let body: Record<string, unknown>
    try {
      body = await this.prepared.resourceBody(resource, 'runtime', this.runtime)
    } catch (error) {
      if (error instanceof ResourceCallError)
        return this.fail(operationId, error.status, error.error as ErrorBody)
      if (error instanceof TemplateError)
        return this.fail(operationId, 400, this.prepared.runtimeError(resource, error))
      return this.fail(operationId, 500, { code: 'InternalServerError', message: String(error) })
    }
    const record = this.activeRecord()
    if (!record) return
    const reply = await this.ctx.dispatch({
      method: 'PUT',
      path: `${resource.id}?api-version=${encodeURIComponent(resource.apiVersion)}`,
      body,
      principal: record.principal,
    })
    if (reply.status >= 400) return this.fail(operationId, reply.status, errorOfReply(reply))
    const asyncOperationId = [headerOf(reply, 'Azure-AsyncOperation'), headerOf(reply, 'Location')]
      .map((url) => (url ? new URL(url, 'https://localhost').pathname.split('/').pop() : undefined))
      .find((id) => id !== undefined && this.ctx.lro.get(id) !== undefined)
    if (asyncOperationId) {
      this.update(operationId, (op) => (op.asyncOperationId = asyncOperationId))
      return this.watch(resource, operationId)
    }
    const state = (reply.body as { properties?: { provisioningState?: string } } | undefined)
      ?.properties?.provisioningState
    if (reply.status === 202 || (state && !terminal.has(state.toLowerCase())))
      return this.pollResource(resource, operationId)
    if (state?.toLowerCase() === 'failed')
      return this.fail(operationId, 400, provisioningFailed(resource))
    this.succeed(operationId, reply.status)
  }

  /** Follows the provider's long-running operation on the sandbox clock. */
  private watch(resource: PlannedResource, operationId: string): void {
    const op = this.activeRecord()?.operations.find((o) => o.operationId === operationId)
    if (!op || op.provisioningState !== 'Running') return
    const lro = op.asyncOperationId ? this.ctx.lro.get(op.asyncOperationId) : undefined
    if (!lro) return this.pollResource(resource, operationId)
    if (lro.status === 'InProgress') {
      const held = this.ctx.lro.held(lro.id)
      if (held && lro.dueAt <= this.ctx.clock.now()) {
        void held.then(() => this.watch(resource, operationId))
        return
      }
      this.ctx.clock.at(Math.max(lro.dueAt, this.ctx.clock.now()), () =>
        this.watch(resource, operationId),
      )
    } else if (lro.status === 'Succeeded') {
      this.succeed(operationId, 201)
    } else if (lro.status === 'Failed') {
      this.fail(operationId, lro.errorStatus ?? 400, lro.error ?? provisioningFailed(resource))
    } else {
      this.fail(operationId, 409, {
        code: 'OperationCanceled',
        message: `The operation on '${resource.id}' was canceled.`,
      })
    }
  }

  /**
   * An operation that was running when the sandbox stopped, without an operation to follow:
   * when its PUT reached the provider (the resource is there, a nested deployment perhaps
   * still running), follow the resource as ARM does rather than send the PUT again, which a
   * running nested deployment refuses (DeploymentActive).
   */
  private async resumeOperation(resource: PlannedResource, operationId: string): Promise<void> {
    const record = this.activeRecord()
    if (!record) return
    const reply = await this.ctx.dispatch({
      method: 'GET',
      path: `${resource.id}?api-version=${encodeURIComponent(resource.apiVersion)}`,
      principal: record.principal,
    })
    if (reply.status < 400) this.pollResource(resource, operationId)
    else void this.execute(resource, operationId)
  }

  /** For providers that answer without an operation: re-reads the resource until it settles. */
  private pollResource(resource: PlannedResource, operationId: string, attempt = 1): void {
    this.ctx.clock.after(resourcePollMs, () => {
      const record = this.activeRecord()
      if (!record) return
      void this.ctx
        .dispatch({
          method: 'GET',
          path: `${resource.id}?api-version=${encodeURIComponent(resource.apiVersion)}`,
          principal: record.principal,
        })
        .then((reply) => {
          if (reply.status === 404 && attempt < maxNotFoundPolls)
            return this.pollResource(resource, operationId, attempt + 1)
          if (reply.status >= 400) return this.fail(operationId, reply.status, errorOfReply(reply))
          const properties = (
            reply.body as { properties?: { provisioningState?: string; error?: ErrorBody } }
          ).properties
          const state = properties?.provisioningState?.toLowerCase()
          if (state === 'succeeded' || state === undefined) this.succeed(operationId, 200)
          else if (state === 'failed' || state === 'canceled')
            this.fail(operationId, 400, properties?.error ?? provisioningFailed(resource))
          else this.pollResource(resource, operationId, attempt + 1)
        })
    })
  }

  private update(operationId: string, change: (op: DeploymentOperation) => void): boolean {
    const record = this.activeRecord()
    const op = record?.operations.find((o) => o.operationId === operationId)
    if (!record || !op || op.provisioningState !== 'Running') return false
    change(op)
    this.save(record)
    return true
  }

  private succeed(operationId: string, status: number): void {
    const done = this.update(operationId, (op) => {
      op.provisioningState = 'Succeeded'
      op.statusCode = statusName(status)
      op.endedAt = this.ctx.clock.now()
    })
    if (done) this.pump()
  }

  private fail(operationId: string, status: number, error: ErrorBody): void {
    const done = this.update(operationId, (op) => {
      op.provisioningState = 'Failed'
      op.statusCode = statusName(status)
      op.error = error
      op.endedAt = this.ctx.clock.now()
    })
    if (done) this.pump()
  }

  private async finish(record: DeploymentRecord): Promise<void> {
    this.finishing = true
    const failed = record.operations.filter((o) => o.provisioningState === 'Failed')
    if (failed.length > 0) {
      return this.end(record, 'Failed', {
        code: 'DeploymentFailed',
        target: record.id,
        message: deploymentFailedMessage,
        details: failed.map((o) => o.error),
      })
    }
    const op: DeploymentOperation = {
      operationId: newOperationId(this.ctx),
      provisioningOperation: 'EvaluateDeploymentOutput',
      provisioningState: 'Running',
      startedAt: this.ctx.clock.now(),
      trackingId: this.ctx.newId(),
      serviceRequestId: this.ctx.newId(),
    }
    try {
      const outputs = await this.prepared.outputs(this.runtime)
      const current = this.activeRecord()
      if (!current) return
      if (current.mode === 'Complete') this.removeResourcesNotInTemplate(current)
      current.outputs = outputs
      current.operations.push({
        ...op,
        provisioningState: 'Succeeded',
        statusCode: 'OK',
        endedAt: this.ctx.clock.now(),
      })
      this.end(current, 'Succeeded')
    } catch (error) {
      const current = this.activeRecord()
      if (!current) return
      const inner =
        error instanceof ResourceCallError
          ? (error.error as ErrorBody)
          : { code: 'InvalidTemplate', message: (error as Error).message }
      const failure: ErrorBody = {
        code: 'DeploymentOutputEvaluationFailed',
        message: `Unable to evaluate template outputs. Please see error details and deployment operations. Please see https://aka.ms/arm-common-errors for usage details.`,
        details: [inner],
      }
      current.operations.push({
        ...op,
        provisioningState: 'Failed',
        statusCode: 'BadRequest',
        error: failure,
        endedAt: this.ctx.clock.now(),
      })
      this.end(current, 'Failed', failure)
    }
  }

  private end(record: DeploymentRecord, state: 'Succeeded' | 'Failed', error?: ErrorBody): void {
    record.provisioningState = state
    record.endedAt = this.ctx.clock.now()
    delete record.pendingParameters
    if (error) record.error = error
    this.save(record)
  }

  /** Complete mode: what the template does not declare leaves the group. */
  private removeResourcesNotInTemplate(record: DeploymentRecord): void {
    const declared = new Set(this.prepared.deploymentOrder().map((r) => r.id.toLowerCase()))
    for (const resource of this.ctx.resources.list({
      subscriptionId: record.subscriptionId,
      resourceGroup: record.resourceGroup,
    })) {
      if (
        parseResourceId(resource.id)?.names.length === 1 &&
        !declared.has(resource.id.toLowerCase())
      ) {
        this.ctx.resources.delete(resource.id)
      }
    }
  }
}

const provisioningFailed = (resource: PlannedResource): ErrorBody => ({
  code: 'ResourceDeploymentFailure',
  target: resource.id,
  message: `The resource write operation failed to complete successfully, because it reached terminal provisioning state 'Failed'.`,
})
