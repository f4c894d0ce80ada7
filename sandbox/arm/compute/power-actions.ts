import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { SandboxReply, SandboxRequest } from '../../core/http'
import { runExtensions } from './extensions'
import { beginTransition, remeter, type TransitionKind } from './lifecycle'
import { countedInstances, type InstanceRecord, type ScaleSetResource } from './model'
import { apiVersionOf } from './request-helpers'
import { findScaleSet, operationHandlers, shortOperationMs } from './scale-sets'
import { hibernationOnUniform, invalidParameter } from './validation'

/**
 * Power actions and deletes on several instances of a scale set (POST start, deallocate,
 * powerOff, restart, delete, manualupgrade): which instances they touch, and the
 * long-running operation that ends when the last one is done.
 */

type Json = Record<string, unknown>

export type PowerAction = 'start' | 'deallocate' | 'powerOff' | 'restart'

/** Whether the action changes anything for an instance in its current state. */
export function actionApplies(action: PowerAction, instance: InstanceRecord): boolean {
  if (instance.provisioningState === 'Deleting') return false
  switch (action) {
    case 'start':
      return (
        instance.provisioningState === 'Failed' ||
        !['running', 'starting'].includes(instance.powerState)
      )
    case 'deallocate':
      return instance.powerState !== 'deallocated' || instance.provisioningState === 'Failed'
    case 'powerOff':
      return ['running', 'starting'].includes(instance.powerState)
    case 'restart':
      return instance.powerState === 'running'
  }
}

function requestedIds(req: SandboxRequest, required: boolean): string[] | undefined {
  const body = req.body.length ? req.json<Json | undefined>() : undefined
  const ids = body?.instanceIds
  if (ids === undefined || ids === null) {
    if (required)
      throw invalidParameter("Required parameter 'instanceIds' is missing (null).", 'instanceIds')
    return undefined
  }
  if (!Array.isArray(ids))
    throw invalidParameter("Parameter 'instanceIds' must be an array of strings.", 'instanceIds')
  return ids.map(String)
}

/** The instances a scale-set level action touches; explicit ids must exist and not be protected. */
function targetsOf(
  scaleSet: ScaleSetResource,
  ids: string[] | undefined,
  actionName: string,
): InstanceRecord[] {
  if (!ids || ids.includes('*'))
    return scaleSet.sandbox.instances.filter((i) => !i.protectFromScaleSetActions)
  const targets = ids.map((id) => {
    const instance = scaleSet.sandbox.instances.find((i) => i.instanceId === id)
    if (!instance)
      throw invalidParameter(
        `The provided instanceId ${id} is not an active Virtual Machine Scale Set VM instanceId.`,
        'instanceIds',
      )
    return instance
  })
  const protectedIds = targets.filter((i) => i.protectFromScaleSetActions).map((i) => i.instanceId)
  if (protectedIds.length) {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation '${actionName}' is not allowed on Virtual Machine Scale Set VM(s) ${protectedIds.join(', ')} since they are protected from scale set actions.`,
    )
  }
  return targets
}

/** Starts a power action on instances and an operation that ends when the last one is done. */
export function runPowerAction(
  ctx: SandboxContext,
  req: SandboxRequest,
  scaleSet: ScaleSetResource,
  action: PowerAction,
  targets: InstanceRecord[],
): SandboxReply {
  const kinds: Record<PowerAction, TransitionKind> = {
    start: 'start',
    deallocate: 'deallocate',
    powerOff: 'powerOff',
    restart: 'restart',
  }
  const applicable = targets.filter((i) => actionApplies(action, i))
  const failure =
    action === 'start' && applicable.length > 0 && ctx.faults.take('allocationFailure')
      ? 'AllocationFailed'
      : undefined
  let doneAt = ctx.clock.now() + shortOperationMs
  for (const instance of applicable) {
    doneAt = Math.max(
      doneAt,
      beginTransition(ctx, scaleSet, instance, kinds[action], failure ? { failure } : {}),
    )
  }
  const { headers } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Compute',
    location: scaleSet.location ?? '',
    durationMs: doneAt - ctx.clock.now(),
    handler: operationHandlers.action,
    args: { id: scaleSet.id, ...(failure ? { failure } : {}) },
    apiVersion: apiVersionOf(req),
  })
  return { status: 202, headers: { ...headers, 'Retry-After': 1 } }
}

export const scaleSetPowerAction =
  (action: PowerAction) =>
  (req: SandboxRequest, ctx: SandboxContext): SandboxReply => {
    const scaleSet = findScaleSet(ctx, req)
    const uniform =
      String(scaleSet.properties.orchestrationMode ?? 'Uniform').toLowerCase() === 'uniform'
    if (action === 'deallocate' && req.query('hibernate') === 'true' && uniform)
      throw hibernationOnUniform('hibernate')
    const targets = targetsOf(scaleSet, requestedIds(req, false), action)
    return runPowerAction(ctx, req, scaleSet, action, targets)
  }

/** Deletes instances: explicit, so scale-in protection does not apply; capacity goes down. */
export function deleteInstances(
  ctx: SandboxContext,
  req: SandboxRequest,
  scaleSet: ScaleSetResource,
  targets: InstanceRecord[],
): SandboxReply {
  const force = req.query('forceDeletion') === 'true'
  let doneAt = ctx.clock.now() + shortOperationMs
  for (const instance of targets) {
    if (instance.provisioningState === 'Deleting') continue
    doneAt = Math.max(
      doneAt,
      beginTransition(ctx, scaleSet, instance, force ? 'forceDelete' : 'delete'),
    )
  }
  scaleSet.sku.capacity = countedInstances(scaleSet).length
  ctx.resources.touch()
  const { headers } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Compute',
    location: scaleSet.location ?? '',
    durationMs: doneAt - ctx.clock.now(),
    handler: operationHandlers.action,
    args: { id: scaleSet.id },
    apiVersion: apiVersionOf(req),
  })
  return { status: 202, headers: { ...headers, 'Retry-After': 1 } }
}

export function deleteInstancesReply(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const scaleSet = findScaleSet(ctx, req)
  const targets = targetsOf(scaleSet, requestedIds(req, true), 'delete')
  return deleteInstances(ctx, req, scaleSet, targets)
}

/**
 * POST manualupgrade: instances take the scale set's latest model. A new size takes a
 * restart; new extension settings are applied on the running instance (the extensions run
 * again), without a restart or a reimage.
 */
export function manualUpgradeReply(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const scaleSet = findScaleSet(ctx, req)
  const targets = targetsOf(scaleSet, requestedIds(req, true), 'manualUpgrade').filter(
    (i) => !i.latestModelApplied,
  )
  const resized = targets.filter((i) => i.sizeOutdated)
  for (const instance of targets) {
    instance.latestModelApplied = true
    delete instance.sizeOutdated
  }
  for (const instance of resized) {
    // The instance now runs the model's size: bill it as such from here on.
    remeter(ctx, scaleSet, instance)
  }
  ctx.resources.touch()
  const running = targets.filter(
    (i) => !resized.includes(i) && i.powerState === 'running' && i.provisioningState !== 'Deleting',
  )
  if (resized.length > 0 || running.length === 0)
    // Running instances restart into the new model.
    return runPowerAction(ctx, req, scaleSet, 'restart', resized)
  const { headers, operation } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Compute',
    location: scaleSet.location ?? '',
    durationMs: shortOperationMs,
    handler: operationHandlers.action,
    args: { id: scaleSet.id },
    apiVersion: apiVersionOf(req),
  })
  ;(operation.args as { runId?: string }).runId = operation.id
  runExtensions(ctx, scaleSet, running, operation.id)
  return { status: 202, headers: { ...headers, 'Retry-After': 1 } }
}
