import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, type SandboxReply, type SandboxRequest } from '../../core/http'
import type { InstanceRecord, ScaleSetResource } from './model'
import { apiVersionOf, checkPreconditions } from './request-helpers'
import { actionApplies, deleteInstances, runPowerAction, type PowerAction } from './power-actions'
import { findScaleSet, operationHandlers } from './scale-sets'
import { hibernationOnUniform, invalidParameter } from './validation'
import { vmEtag, vmInstanceView, vmView } from './views'

/** Microsoft.Compute/virtualMachineScaleSets/virtualMachines: the instances of a scale set. */

type Json = Record<string, unknown>

const expandsInstanceView = (req: SandboxRequest) =>
  (req.query('$expand') ?? '').toLowerCase().includes('instanceview')

function findInstance(
  ctx: SandboxContext,
  req: SandboxRequest,
): { scaleSet: ScaleSetResource; instance: InstanceRecord } {
  const scaleSet = findScaleSet(ctx, req)
  const instance = scaleSet.sandbox.instances.find((i) => i.instanceId === req.params.instanceId)
  if (!instance) {
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${scaleSet.name}/virtualMachines/${req.params.instanceId}' under resource group '${req.params.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    )
  }
  return { scaleSet, instance }
}

export function listVms(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const scaleSet = findScaleSet(ctx, req)
  const expand = expandsInstanceView(req)
  const instances = [...scaleSet.sandbox.instances].sort(
    (a, b) => Number(a.instanceId) - Number(b.instanceId),
  )
  return {
    status: 200,
    body: { value: instances.map((i) => vmView(scaleSet, i, { expandInstanceView: expand })) },
  }
}

export function getVm(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const { scaleSet, instance } = findInstance(ctx, req)
  return {
    status: 200,
    headers: { ETag: vmEtag(instance) },
    body: vmView(scaleSet, instance, { expandInstanceView: expandsInstanceView(req) }),
  }
}

export function getVmInstanceView(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const { scaleSet, instance } = findInstance(ctx, req)
  return { status: 200, body: vmInstanceView(scaleSet, instance) }
}

function markedForDeletion(instance: InstanceRecord, operation: string): ArmError {
  return new ArmError(
    409,
    'OperationNotAllowed',
    `Operation '${operation}' is not allowed on VM '${instance.computerName}' since the VM is marked for deletion. You can only retry the Delete operation (or wait for an ongoing one to complete).`,
  )
}

/** PUT on one instance: the app uses it for protectionPolicy. */
export function updateVm(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const { scaleSet, instance } = findInstance(ctx, req)
  if (instance.provisioningState === 'Deleting') throw markedForDeletion(instance, 'update')
  checkPreconditions(req, vmEtag(instance))
  const body = bodyObject(req)
  const policy = (body.properties as Json | undefined)?.protectionPolicy as Json | undefined
  if (policy !== undefined && policy !== null) {
    for (const key of ['protectFromScaleIn', 'protectFromScaleSetActions'] as const) {
      if (policy[key] !== undefined && typeof policy[key] !== 'boolean') {
        throw invalidParameter(
          `The value of parameter protectionPolicy.${key} must be true or false.`,
          `protectionPolicy.${key}`,
        )
      }
    }
    if (policy.protectFromScaleIn !== undefined)
      instance.protectFromScaleIn = policy.protectFromScaleIn as boolean
    if (policy.protectFromScaleSetActions !== undefined) {
      instance.protectFromScaleSetActions = policy.protectFromScaleSetActions as boolean
    }
    instance.version = (instance.version ?? 1) + 1
    ctx.resources.touch()
  }
  const { headers } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Compute',
    location: scaleSet.location ?? '',
    durationMs: 2_000,
    handler: operationHandlers.action,
    args: { id: scaleSet.id },
    apiVersion: apiVersionOf(req),
  })
  return {
    status: 200,
    headers: { 'Azure-AsyncOperation': headers['Azure-AsyncOperation']!, 'Retry-After': 1 },
    body: vmView(scaleSet, instance),
  }
}

export function deleteVm(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const scaleSet = findScaleSet(ctx, req)
  const instance = scaleSet.sandbox.instances.find((i) => i.instanceId === req.params.instanceId)
  if (!instance) return { status: 204 }
  return deleteInstances(ctx, req, scaleSet, [instance])
}

export const vmPowerAction =
  (action: PowerAction) =>
  (req: SandboxRequest, ctx: SandboxContext): SandboxReply => {
    const { scaleSet, instance } = findInstance(ctx, req)
    if (instance.provisioningState === 'Deleting') throw markedForDeletion(instance, action)
    if (action === 'deallocate' && req.query('hibernate') === 'true')
      throw hibernationOnUniform('hibernate')
    if (
      action === 'restart' &&
      !actionApplies('restart', instance) &&
      instance.powerState !== 'starting'
    ) {
      throw new ArmError(
        409,
        'OperationNotAllowed',
        `Operation 'restart' is not allowed on VM '${instance.computerName}' since the VM is ${instance.powerState}.`,
      )
    }
    return runPowerAction(ctx, req, scaleSet, action, [instance])
  }
