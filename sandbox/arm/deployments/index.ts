import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { ok, type Route, type SandboxRequest } from '../../core/http'
import type { SandboxModule } from '../../core/module'
import { findResourceGroup, requireResourceGroup } from '../resources/groups'
import { page } from '../resources/paging'
import { ResourceCallError, TemplateError } from '../template/errors'
import { DeploymentRun } from './engine'
import {
  checkDeploymentName,
  describePlan,
  prepareDeployment,
  readDeploymentRequest,
  targetGroup,
} from './prepare'
import {
  deploymentId,
  deploymentTable,
  dependenciesView,
  deploymentView,
  isActive,
  isoDuration,
  operationView,
  templateHash,
  type DeploymentRecord,
} from './records'
import { whatIf } from './what-if'

const base =
  '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/Microsoft.Resources/deployments'
const one = `${base}/{deploymentName}`
const whatIfHandler = 'deployments.whatIf'
const deleteHandler = 'deployments.delete'
/** Sandbox ms a what-if takes to answer. */
const whatIfDurationMs = 2_000

/**
 * Deployments at resource-group scope: create (validated, then run as a long-running
 * operation), validate, what-if, get, list, delete, cancel, export, and the operations list.
 */
export const deploymentsModule: SandboxModule = {
  name: 'deployments',
  install(ctx, router) {
    ctx.lro.register(whatIfHandler, (args: { result: unknown }) => args.result)
    ctx.lro.register(deleteHandler, (args: { id: string }) => {
      deploymentTable(ctx).delete(args.id)
    })
    const route = (
      method: string,
      pattern: string,
      handler: Route['handler'],
      access?: 'read',
    ): Route => ({
      service: 'arm',
      method,
      pattern,
      ...(access ? { access } : {}),
      handler,
    })
    router.add(
      route('PUT', one, createDeployment),
      route('GET', one, (req, c) => ok(deploymentView(c, existing(c, req)))),
      route('HEAD', one, (req, c) => ({ status: recordOf(c, req) ? 204 : 404 })),
      route('DELETE', one, deleteDeployment),
      route('GET', base, listDeployments),
      route('POST', `${one}/validate`, validateDeployment, 'read'),
      route('POST', `${one}/whatIf`, whatIfDeployment, 'read'),
      route('POST', `${one}/cancel`, cancelDeployment),
      route(
        'POST',
        `${one}/exportTemplate`,
        (req, c) => ok({ template: existing(c, req).template }),
        'read',
      ),
      route('GET', `${one}/operations`, listOperations),
      // Azure's documented path (and @azure/arm-resourcesdeployments') has no provider segment.
      route('GET', `${operationsBase}/{deploymentName}/operations`, listOperations),
      route('GET', `${one}/operations/{operationId}`, (req, c) => {
        const record = existing(c, req)
        const op = record.operations.find(
          (o) => o.operationId.toLowerCase() === req.params.operationId!.toLowerCase(),
        )
        if (!op)
          throw new ArmError(
            404,
            'DeploymentOperationNotFound',
            `Deployment operation '${req.params.operationId}' could not be found.`,
          )
        return ok(operationView(c, record, op))
      }),
      route('GET', `${one}/operationStatuses/{statusId}`, (req, c) => {
        const record = existing(c, req)
        if (record.statusId !== req.params.statusId) {
          throw new ArmError(
            404,
            'OperationNotFound',
            `The operation '${req.params.statusId}' could not be found.`,
          )
        }
        return ok({
          status: record.provisioningState,
          ...(record.error ? { error: record.error } : {}),
        })
      }),
    )
  },
  start(ctx) {
    for (const record of deploymentTable(ctx).values()) {
      if (isActive(record)) void resume(ctx, record)
    }
  },
}

const operationsBase =
  '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/deployments'

function listOperations(req: SandboxRequest, ctx: SandboxContext) {
  const record = existing(ctx, req)
  return page(
    req,
    ctx.endpoints.armEndpoint,
    record.operations.map((op) => operationView(ctx, record, op)),
  )
}

const idOf = (req: SandboxRequest) =>
  deploymentId(
    req.params.subscriptionId!,
    req.params.resourceGroupName!,
    req.params.deploymentName!,
  )
const recordOf = (ctx: SandboxContext, req: SandboxRequest) => deploymentTable(ctx).get(idOf(req))

function existing(ctx: SandboxContext, req: SandboxRequest): DeploymentRecord {
  targetGroup(ctx, req)
  const record = recordOf(ctx, req)
  if (!record)
    throw new ArmError(
      404,
      'DeploymentNotFound',
      `Deployment '${req.params.deploymentName}' could not be found.`,
    )
  return record
}

const statusUrl = (ctx: SandboxContext, record: DeploymentRecord, apiVersion: string) =>
  `${ctx.endpoints.armEndpoint}${record.id}/operationStatuses/${record.statusId}?api-version=${encodeURIComponent(apiVersion)}`

async function createDeployment(req: SandboxRequest, ctx: SandboxContext) {
  const group = requireResourceGroup(ctx, req.params.subscriptionId!, req.params.resourceGroupName!)
  const subscriptionId = req.params.subscriptionId!
  const name = req.params.deploymentName!
  checkDeploymentName(name)
  const previous = recordOf(ctx, req)
  if (previous && isActive(previous)) {
    throw new ArmError(
      409,
      'DeploymentActive',
      `Unable to edit or replace deployment '${name}': previous deployment from '${new Date(previous.startedAt).toISOString()}' is still active (expiration time is '${new Date(previous.startedAt + 14 * 86_400_000).toISOString()}'). Please see https://aka.ms/arm-deploy for usage details.`,
    )
  }
  const request = readDeploymentRequest(req)
  const prepared = await prepareDeployment(ctx, group, subscriptionId, name, request)
  const record: DeploymentRecord = {
    id: deploymentId(subscriptionId, group.name, name),
    name,
    subscriptionId,
    resourceGroup: group.name,
    mode: request.mode,
    provisioningState: 'Accepted',
    correlationId: req.header('x-ms-correlation-request-id') ?? ctx.newId(),
    templateHash: templateHash(request.template),
    template: request.template,
    pendingParameters: request.parameters,
    parametersView: prepared.parametersView(),
    principal: req.principal!,
    startedAt: ctx.clock.now(),
    statusId: ctx.newId(),
    operations: [],
    ...(await describePlan(prepared, group)),
  }
  deploymentTable(ctx).set(record.id, record)
  new DeploymentRun(ctx, record.id, prepared, record.principal).start()
  return {
    status: previous ? 200 : 201,
    headers: { 'Azure-AsyncOperation': statusUrl(ctx, record, req.query('api-version')!) },
    body: deploymentView(ctx, record),
  }
}

async function resume(ctx: SandboxContext, record: DeploymentRecord): Promise<void> {
  try {
    const group = findResourceGroup(ctx, record.subscriptionId, record.resourceGroup)
    if (!group) throw new Error(`the resource group '${record.resourceGroup}' no longer exists`)
    const prepared = await prepareDeployment(ctx, group, record.subscriptionId, record.name, {
      template: record.template,
      parameters: record.pendingParameters,
    })
    new DeploymentRun(ctx, record.id, prepared, record.principal).resume()
  } catch (error) {
    record.provisioningState = 'Failed'
    record.endedAt = ctx.clock.now()
    record.error = {
      code: 'DeploymentFailed',
      message: `The deployment could not be resumed after a restart: ${(error as Error).message}`,
    }
    delete record.pendingParameters
    deploymentTable(ctx).set(record.id, record)
  }
}

async function validateDeployment(req: SandboxRequest, ctx: SandboxContext) {
  const group = targetGroup(ctx, req)
  const name = req.params.deploymentName!
  checkDeploymentName(name)
  const request = readDeploymentRequest(req)
  const prepared = await prepareDeployment(ctx, group, req.params.subscriptionId!, name, request)
  const plan = await describePlan(prepared, group)
  return ok({
    id: deploymentId(req.params.subscriptionId!, group.name, name),
    name,
    type: 'Microsoft.Resources/deployments',
    properties: {
      templateHash: templateHash(request.template),
      parameters: prepared.parametersView(),
      mode: request.mode,
      provisioningState: 'Succeeded',
      timestamp: ctx.clock.nowIso(),
      duration: isoDuration(0),
      correlationId: req.header('x-ms-correlation-request-id') ?? ctx.newId(),
      providers: plan.providers,
      dependencies: dependenciesView(plan.dependencies),
      validatedResources: plan.dependencies.map((d) => ({ id: d.id })),
    },
  })
}

async function whatIfDeployment(req: SandboxRequest, ctx: SandboxContext) {
  const group = targetGroup(ctx, req)
  const subscriptionId = req.params.subscriptionId!
  const name = req.params.deploymentName!
  checkDeploymentName(name)
  const request = readDeploymentRequest(req)
  const prepared = await prepareDeployment(ctx, group, subscriptionId, name, request)
  let changes
  try {
    changes = await whatIf(ctx, prepared, req.principal!, {
      subscriptionId,
      resourceGroup: group.name,
      mode: request.mode,
    })
  } catch (error) {
    if (error instanceof TemplateError) throw new ArmError(400, 'InvalidTemplate', error.message)
    if (error instanceof ResourceCallError)
      throw new ArmError(error.status, error.error.code, error.error.message)
    throw error
  }
  const { headers } = ctx.lro.start({
    subscriptionId,
    namespace: 'Microsoft.Resources',
    location: group.location,
    durationMs: whatIfDurationMs,
    handler: whatIfHandler,
    args: { result: { status: 'Succeeded', properties: { changes } } },
    apiVersion: req.query('api-version')!,
  })
  return { status: 202, headers }
}

function cancelDeployment(req: SandboxRequest, ctx: SandboxContext) {
  const record = existing(ctx, req)
  if (!isActive(record)) {
    throw new ArmError(
      409,
      'DeploymentCannotBeCancelled',
      `The deployment '${record.name}' cannot be cancelled because it is in state '${record.provisioningState}'. Only deployments that are 'Accepted' or 'Running' can be cancelled.`,
    )
  }
  const now = ctx.clock.now()
  record.provisioningState = 'Canceled'
  record.endedAt = now
  delete record.pendingParameters
  for (const op of record.operations) {
    if (op.provisioningState === 'Running') {
      op.provisioningState = 'Canceled'
      op.endedAt = now
    }
  }
  deploymentTable(ctx).set(record.id, record)
  return { status: 204 }
}

function deleteDeployment(req: SandboxRequest, ctx: SandboxContext) {
  const group = targetGroup(ctx, req)
  const record = recordOf(ctx, req)
  if (!record) return { status: 204 }
  if (isActive(record)) {
    throw new ArmError(
      409,
      'DeploymentActive',
      `The deployment '${record.name}' is still active and cannot be deleted. Cancel it first.`,
    )
  }
  const { headers } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Resources',
    location: group.location,
    durationMs: 1_000,
    handler: deleteHandler,
    args: { id: record.id },
    apiVersion: req.query('api-version')!,
  })
  return { status: 202, headers }
}

function listDeployments(req: SandboxRequest, ctx: SandboxContext) {
  const group = targetGroup(ctx, req)
  const prefix = `${deploymentId(req.params.subscriptionId!, group.name, '')}`.toLowerCase()
  const state = /provisioningState\s+eq\s+'(\w+)'/i
    .exec(req.query('$filter') ?? '')?.[1]
    ?.toLowerCase()
  const records = deploymentTable(ctx)
    .values()
    .filter((r) => r.id.toLowerCase().startsWith(prefix))
    .filter((r) => !state || r.provisioningState.toLowerCase() === state)
    .sort((a, b) => b.startedAt - a.startedAt)
  return page(
    req,
    ctx.endpoints.armEndpoint,
    records.map((r) => deploymentView(ctx, r)),
  )
}
