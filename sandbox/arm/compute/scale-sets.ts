import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, type SandboxReply, type SandboxRequest } from '../../core/http'
import { scaleSetIdentity } from '../managed-identity'
import {
  rememberExtension,
  rememberExtensions,
  runExtensions,
  takeExtensionFailure,
} from './extensions'
import { applyCapacity, beginTransition, settle } from './lifecycle'
import {
  countedInstances,
  getScaleSet,
  isSpot,
  listScaleSets,
  scaleSetIdOf,
  scaleSetType,
  type ScaleSetResource,
} from './model'
import { checkQuota } from './quota'
import {
  apiVersionOf,
  checkPreconditions,
  clone,
  notFoundIn,
  nothingToDelete,
  param,
  requireLocation,
  requireResourceGroup,
} from './request-helpers'
import {
  checkCapacityValue,
  checkComputerNamePrefix,
  checkHibernation,
  checkNetworkCapacity,
  checkNetworkReferences,
  checkPlanTerms,
  checkVmSize,
  requireParameter,
} from './validation'
import { allocationFailedMessage, scaleSetInstanceView, scaleSetView } from './views'

/** Microsoft.Compute/virtualMachineScaleSets: create, update, read, delete (power actions: power-actions.ts). */

type Json = Record<string, unknown>

export const operationHandlers = {
  put: 'compute.scaleSet.put',
  action: 'compute.scaleSet.action',
  delete: 'compute.scaleSet.delete',
} as const

interface OperationArgs {
  id: string
  failure?: string
  /** Set when the operation waits for the new instances' extensions (extensions/index.ts). */
  runId?: string
}

/** Sandbox ms for operations that change no instance (tags, protection, no-op actions). */
export const shortOperationMs = 3_000

export function registerScaleSetOperations(ctx: SandboxContext): void {
  const finishOperation = (args: OperationArgs, updatesState: boolean) => {
    const scaleSet = getScaleSet(ctx, args.id)
    if (!scaleSet) return
    settle(ctx, scaleSet)
    if (updatesState) {
      const pending = Math.max(0, Number(scaleSet.sandbox.pendingOperations ?? 1) - 1)
      scaleSet.sandbox.pendingOperations = pending
      if (args.failure) scaleSet.properties.provisioningState = 'Failed'
      else if (pending === 0 && !scaleSet.sandbox.deleting)
        scaleSet.properties.provisioningState = 'Succeeded'
      ctx.resources.touch()
    }
    if (args.failure === 'AllocationFailed')
      throw new ArmError(409, 'AllocationFailed', allocationFailedMessage)
    const extensionFailure = args.runId ? takeExtensionFailure(args.runId) : undefined
    if (extensionFailure) {
      scaleSet.properties.provisioningState = 'Failed'
      ctx.resources.touch()
      throw new ArmError(409, extensionFailure.code, extensionFailure.message)
    }
    // Compute answers a finished action's operation-result URL with 200 and an empty body.
    return ''
  }
  ctx.lro.register(operationHandlers.put, (args: OperationArgs) => finishOperation(args, true))
  ctx.lro.register(operationHandlers.action, (args: OperationArgs) => finishOperation(args, false))
  ctx.lro.register(operationHandlers.delete, (args: { id: string }) => {
    ctx.resources.delete(args.id)
  })
}

export function scaleSetNotFound(resourceGroup: string, name: string): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  )
}

export function findScaleSet(ctx: SandboxContext, req: SandboxRequest): ScaleSetResource {
  const subscriptionId = param(req, 'subscriptionId')
  const resourceGroupName = param(req, 'resourceGroupName')
  const vmssName = param(req, 'vmssName')
  const scaleSet = getScaleSet(ctx, scaleSetIdOf(subscriptionId, resourceGroupName, vmssName))
  if (!scaleSet)
    throw notFoundIn(
      ctx,
      subscriptionId,
      resourceGroupName,
      scaleSetNotFound(resourceGroupName, vmssName),
    )
  return scaleSet
}

const etagOf = (version: number) => `"${version}"`

function isWindowsImage(profile: Json): boolean {
  const image = ((profile.storageProfile as Json | undefined)?.imageReference ?? {}) as Json
  return /windows/i.test(`${String(image.publisher ?? '')} ${String(image.offer ?? '')}`)
}

/** The stored model: what the client sent, minus secrets, plus what Azure fills in. */
function buildModel(ctx: SandboxContext, body: Json, existing: ScaleSetResource | undefined): Json {
  const props = clone((body.properties as Json | undefined) ?? {})
  const profile = props.virtualMachineProfile as Json | undefined
  if (profile) {
    const osProfile = profile.osProfile as Json | undefined
    if (osProfile) {
      delete osProfile.adminPassword
      delete osProfile.customData
      osProfile.secrets ??= []
      if (osProfile.linuxConfiguration) {
        const linux = osProfile.linuxConfiguration as Json
        linux.disablePasswordAuthentication ??= false
        linux.provisionVMAgent ??= true
        linux.patchSettings ??= { patchMode: 'ImageDefault', assessmentMode: 'ImageDefault' }
      } else if (osProfile.windowsConfiguration || isWindowsImage(profile)) {
        // Azure fills in the Windows defaults when a Windows image comes without them.
        const windows = (osProfile.windowsConfiguration ??= {}) as Json
        windows.provisionVMAgent ??= true
        windows.enableAutomaticUpdates ??= true
      }
    }
    const extensions =
      ((profile.extensionProfile as Json | undefined)?.extensions as Json[] | undefined) ?? []
    for (const extension of extensions)
      delete (extension.properties as Json | undefined)?.protectedSettings
    const nics =
      ((profile.networkProfile as Json | undefined)?.networkInterfaceConfigurations as
        Json[] | undefined) ?? []
    for (const nic of nics) {
      const nicProps = (nic.properties ??= {}) as Json
      nicProps.dnsSettings ??= { dnsServers: [] }
      nicProps.enableAcceleratedNetworking ??= false
      nicProps.enableIPForwarding ??= false
      nicProps.deleteOption ??= 'Delete'
      for (const ipConfig of (nicProps.ipConfigurations as Json[] | undefined) ?? []) {
        ;((ipConfig.properties ??= {}) as Json).privateIPAddressVersion ??= 'IPv4'
      }
    }
    profile.timeCreated ??=
      (existing?.properties.virtualMachineProfile?.timeCreated as string | undefined) ??
      ctx.clock.nowIso()
  }
  return {
    singlePlacementGroup: true,
    upgradePolicy: { mode: 'Manual' },
    overprovision: true,
    doNotRunExtensionsOnOverprovisionedVMs: false,
    orchestrationMode: 'Uniform',
    ...props,
    uniqueId: existing?.properties.uniqueId ?? ctx.newId(),
    timeCreated: existing?.properties.timeCreated ?? ctx.clock.nowIso(),
  }
}

/**
 * A PUT on an existing scale set keeps what its body leaves out: Compute treats an omitted
 * property as unchanged (`az vmss scale` has always sent only `location` and `sku`).
 */
function withOmittedKept(body: Json, existing: ScaleSetResource): Json {
  const {
    provisioningState: _state,
    uniqueId: _uniqueId,
    timeCreated: _created,
    ...kept
  } = clone(existing.properties) as Json
  return { ...body, properties: { ...kept, ...((body.properties as Json | undefined) ?? {}) } }
}

/** Deep merge for PATCH: objects merge, arrays and scalars replace, null removes. */
function merge(target: Json, patch: Json): Json {
  const out: Json = { ...target }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      out[key] &&
      typeof out[key] === 'object' &&
      !Array.isArray(out[key])
    ) {
      out[key] = merge(out[key] as Json, value as Json)
    } else out[key] = clone(value)
  }
  return out
}

interface Change {
  scaleSet: ScaleSetResource
  targetCapacity: number
  previousSize?: string
  /** The model's extensions before the change (protected settings are never kept). */
  previousExtensions?: string
  isNew: boolean
}

/** The extensions of a model as Azure compares them: settings and forceUpdateTag, not protected settings. */
export function extensionsOf(properties: Json | undefined): string {
  const profile = properties?.virtualMachineProfile as Json | undefined
  return JSON.stringify((profile?.extensionProfile as Json | undefined)?.extensions ?? [])
}

/** Every check Azure makes before accepting the new model, in Azure's order. */
function validateChange(ctx: SandboxContext, req: SandboxRequest, change: Change): void {
  const { scaleSet, targetCapacity } = change
  const subscriptionId = req.params.subscriptionId!
  checkHibernation(scaleSet)
  checkVmSize(scaleSet.sku.name, scaleSet.location ?? '', scaleSet.name)
  checkComputerNamePrefix(scaleSet)
  checkPlanTerms(
    ctx,
    subscriptionId,
    scaleSet.plan as Json | undefined,
    req.header('x-ms-correlation-request-id') ?? ctx.newId(),
  )
  checkNetworkReferences(ctx, scaleSet)
  const current = change.isNew ? 0 : countedInstances(scaleSet).length
  const added = Math.max(0, targetCapacity - current)
  const resized =
    change.previousSize && change.previousSize.toLowerCase() !== scaleSet.sku.name.toLowerCase()
  checkQuota(ctx, {
    subscriptionId,
    location: scaleSet.location ?? '',
    sizeName: scaleSet.sku.name,
    spot: isSpot(scaleSet),
    instances: added,
    ...(resized ? { resizedInstances: current, fromSize: change.previousSize! } : {}),
  })
  checkNetworkCapacity(ctx, scaleSet, added)
}

/** Applies capacity and model changes, starts the operation and answers like Azure. */
function commit(
  ctx: SandboxContext,
  req: SandboxRequest,
  change: Change,
  status: number,
): SandboxReply {
  const { scaleSet, targetCapacity } = change
  const adding = targetCapacity > countedInstances(scaleSet).length
  const failure = adding && ctx.faults.take('allocationFailure') ? 'AllocationFailed' : undefined
  if (
    change.previousSize &&
    change.previousSize.toLowerCase() !== scaleSet.sku.name.toLowerCase()
  ) {
    const automatic =
      String((scaleSet.properties.upgradePolicy as Json | undefined)?.mode ?? 'Manual') !== 'Manual'
    for (const instance of scaleSet.sandbox.instances) {
      instance.latestModelApplied = automatic
      // A new size takes a restart to apply (manualupgrade restarts these).
      if (!automatic) instance.sizeOutdated = true
    }
  }
  if (
    change.previousExtensions !== undefined &&
    change.previousExtensions !== extensionsOf(scaleSet.properties)
  ) {
    // An extension change (new settings or forceUpdateTag) reaches instances at their next
    // manual upgrade, which runs the extensions again without a restart.
    const automatic =
      String((scaleSet.properties.upgradePolicy as Json | undefined)?.mode ?? 'Manual') !== 'Manual'
    if (!automatic)
      for (const instance of scaleSet.sandbox.instances) instance.latestModelApplied = false
  }
  const before = new Set(scaleSet.sandbox.instances)
  const doneAt = applyCapacity(ctx, scaleSet, targetCapacity, failure ? { failure } : {})
  scaleSet.sandbox.pendingOperations = Number(scaleSet.sandbox.pendingOperations ?? 0) + 1
  ctx.resources.touch()
  const { headers, operation } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Compute',
    location: scaleSet.location ?? '',
    durationMs: Math.max(shortOperationMs, doneAt - ctx.clock.now()),
    handler: operationHandlers.put,
    args: { id: scaleSet.id, ...(failure ? { failure } : {}) },
    apiVersion: apiVersionOf(req),
  })
  const added = scaleSet.sandbox.instances.filter((i) => !before.has(i))
  if (!failure && added.length > 0) {
    ;(operation.args as OperationArgs).runId = operation.id
    runExtensions(ctx, scaleSet, added, operation.id)
  }
  return {
    status,
    headers: { 'Azure-AsyncOperation': headers['Azure-AsyncOperation']!, 'Retry-After': 1 },
    body: scaleSetView(scaleSet),
  }
}

export function putScaleSet(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const subscriptionId = param(req, 'subscriptionId')
  const resourceGroupName = param(req, 'resourceGroupName')
  const vmssName = param(req, 'vmssName')
  requireResourceGroup(ctx, subscriptionId, resourceGroupName)
  const body = bodyObject(req)
  const location = requireLocation(body)
  const id = scaleSetIdOf(subscriptionId, resourceGroupName, vmssName)
  const existing = getScaleSet(ctx, id)
  checkPreconditions(req, existing?.etag)
  if (existing?.sandbox.deleting) {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `The scale set '${vmssName}' is being deleted. Wait for the delete operation to finish.`,
    )
  }
  rememberExtensions(ctx, id, body)
  const sku = body.sku as Json | undefined
  requireParameter(sku?.name, 'sku')
  const properties = buildModel(ctx, existing ? withOmittedKept(body, existing) : body, existing)
  requireParameter(properties.virtualMachineProfile, 'virtualMachineProfile')
  const profile = properties.virtualMachineProfile as Json
  requireParameter(profile.storageProfile, 'storageProfile')
  requireParameter(
    profile.osProfile ?? existing?.properties.virtualMachineProfile?.osProfile,
    'osProfile',
  )
  requireParameter(profile.networkProfile, 'networkProfile')
  const targetCapacity = checkCapacityValue(
    sku!.capacity ?? existing?.sku.capacity ?? 0,
    properties.singlePlacementGroup !== false,
  )
  const version = Number(existing?.sandbox.version ?? 0) + 1
  const scaleSet: ScaleSetResource = {
    id,
    name: vmssName,
    type: scaleSetType,
    location,
    ...((body.tags ?? existing?.tags)
      ? { tags: clone(body.tags ?? existing?.tags) as Record<string, string> }
      : {}),
    sku: {
      name: String(sku!.name),
      tier: String(sku!.tier ?? 'Standard'),
      capacity: existing ? countedInstances(existing).length : 0,
    },
    ...((body.plan ?? existing?.plan) ? { plan: clone(body.plan ?? existing?.plan) as Json } : {}),
    ...(Array.isArray(body.zones ?? existing?.zones)
      ? { zones: clone(body.zones ?? existing?.zones) }
      : {}),
    // A PUT without identity (az vmss scale sends only location and sku) keeps the one it has.
    ...(body.identity
      ? { identity: scaleSetIdentity(ctx, body.identity) }
      : existing?.identity
        ? { identity: clone(existing.identity) }
        : {}),
    etag: etagOf(version),
    properties: { ...properties, provisioningState: existing ? 'Updating' : 'Creating' },
    sandbox: {
      nextInstanceId: existing?.sandbox.nextInstanceId ?? 0,
      instances: existing?.sandbox.instances ?? [],
      version,
      pendingOperations: existing?.sandbox.pendingOperations ?? 0,
    },
  }
  const change: Change = {
    scaleSet,
    targetCapacity,
    isNew: !existing,
    ...(existing
      ? {
          previousSize: existing.sku.name,
          previousExtensions: extensionsOf(existing.properties),
        }
      : {}),
  }
  validateChange(ctx, req, change)
  ctx.resources.put(scaleSet)
  return commit(ctx, req, change, existing ? 200 : 201)
}

export function patchScaleSet(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const existing = findScaleSet(ctx, req)
  checkPreconditions(req, existing.etag)
  if (existing.sandbox.deleting) {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `The scale set '${existing.name}' is being deleted. Wait for the delete operation to finish.`,
    )
  }
  const body = bodyObject(req)
  rememberExtensions(ctx, existing.id, body)
  const before = clone(existing)
  const patchSku = (body.sku as Json | undefined) ?? {}
  const properties = merge(existing.properties, (body.properties as Json | undefined) ?? {})
  // As on PUT: protected settings reach the extensions, never the stored model.
  const patchedExtensions = (
    (properties.virtualMachineProfile as Json | undefined)?.extensionProfile as Json | undefined
  )?.extensions
  if (Array.isArray(patchedExtensions))
    for (const extension of patchedExtensions as Json[])
      delete (extension.properties as Json | undefined)?.protectedSettings
  const targetCapacity = checkCapacityValue(
    patchSku.capacity ?? countedInstances(existing).length,
    properties.singlePlacementGroup !== false,
  )
  existing.sku = {
    name: String(patchSku.name ?? existing.sku.name),
    tier: String(patchSku.tier ?? existing.sku.tier ?? 'Standard'),
    capacity: existing.sku.capacity,
  }
  existing.properties = { ...properties, provisioningState: 'Updating' }
  if (body.tags !== undefined) existing.tags = clone((body.tags ?? {}) as Record<string, string>)
  if (body.plan !== undefined) existing.plan = clone(body.plan) as Json
  if (body.identity !== undefined) {
    const identity = scaleSetIdentity(ctx, body.identity)
    ;(existing as unknown as Json).identity = identity
  }
  const change: Change = {
    scaleSet: existing,
    targetCapacity,
    isNew: false,
    previousSize: before.sku.name,
    previousExtensions: extensionsOf(before.properties),
  }
  try {
    validateChange(ctx, req, change)
  } catch (error) {
    Object.assign(existing, {
      sku: before.sku,
      properties: before.properties,
      tags: before.tags,
      plan: before.plan,
    })
    throw error
  }
  existing.sandbox.version = Number(existing.sandbox.version) + 1
  existing.etag = etagOf(existing.sandbox.version)
  return commit(ctx, req, change, 200)
}

export function getScaleSetReply(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const scaleSet = findScaleSet(ctx, req)
  return { status: 200, body: scaleSetView(scaleSet), headers: { ETag: scaleSet.etag ?? '' } }
}

export function listScaleSetsReply(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const subscriptionId = param(req, 'subscriptionId')
  const resourceGroupName = param(req, 'resourceGroupName')
  if (resourceGroupName) requireResourceGroup(ctx, subscriptionId, resourceGroupName)
  return {
    status: 200,
    body: { value: listScaleSets(ctx, subscriptionId, resourceGroupName).map(scaleSetView) },
  }
}

export function scaleSetInstanceViewReply(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  return { status: 200, body: scaleSetInstanceView(findScaleSet(ctx, req)) }
}

export function deleteScaleSet(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const subscriptionId = param(req, 'subscriptionId')
  const resourceGroupName = param(req, 'resourceGroupName')
  const vmssName = param(req, 'vmssName')
  const scaleSet = getScaleSet(ctx, scaleSetIdOf(subscriptionId, resourceGroupName, vmssName))
  if (!scaleSet) return nothingToDelete(ctx, subscriptionId, resourceGroupName)
  checkPreconditions(req, scaleSet.etag)
  const force = req.query('forceDeletion') === 'true'
  let doneAt = ctx.clock.now() + shortOperationMs
  for (const instance of scaleSet.sandbox.instances) {
    if (instance.provisioningState === 'Deleting' && instance.transition)
      doneAt = Math.max(doneAt, instance.transition.dueAt)
    else
      doneAt = Math.max(
        doneAt,
        beginTransition(ctx, scaleSet, instance, force ? 'forceDelete' : 'delete'),
      )
  }
  scaleSet.sandbox.deleting = true
  scaleSet.properties.provisioningState = 'Deleting'
  ctx.resources.touch()
  const { headers } = ctx.lro.start({
    subscriptionId,
    namespace: 'Microsoft.Compute',
    location: scaleSet.location ?? '',
    durationMs: doneAt - ctx.clock.now(),
    handler: operationHandlers.delete,
    args: { id: scaleSet.id },
    apiVersion: apiVersionOf(req),
  })
  return { status: 202, headers: { ...headers, 'Retry-After': 1 } }
}

// ---- one extension of the model: PUT/GET .../virtualMachineScaleSets/{vmss}/extensions/{name}

export function putScaleSetExtension(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const scaleSet = findScaleSet(ctx, req)
  const name = param(req, 'vmssExtensionName')
  const body = bodyObject(req)
  const props = (body.properties ?? {}) as Json
  requireParameter(props.publisher, 'publisher')
  requireParameter(props.type, 'type')
  requireParameter(props.typeHandlerVersion, 'typeHandlerVersion')
  const before = extensionsOf(scaleSet.properties)
  const profile = (scaleSet.properties.virtualMachineProfile ??= {}) as Json
  const extensionProfile = (profile.extensionProfile ??= {}) as Json
  const list = ((extensionProfile.extensions as Json[] | undefined) ?? []).filter(
    (e) => e.name !== name,
  )
  const existed = list.length !== ((extensionProfile.extensions as Json[] | undefined) ?? []).length
  const stored = { name, properties: clone(props) }
  delete (stored.properties as Json).protectedSettings
  extensionProfile.extensions = [...list, stored]
  rememberExtension(ctx, scaleSet, { name, properties: clone(props) })
  const automatic =
    String((scaleSet.properties.upgradePolicy as Json | undefined)?.mode ?? 'Manual') !== 'Manual'
  if (!automatic && before !== extensionsOf(scaleSet.properties))
    for (const instance of scaleSet.sandbox.instances) instance.latestModelApplied = false
  scaleSet.sandbox.version = Number(scaleSet.sandbox.version) + 1
  scaleSet.etag = etagOf(scaleSet.sandbox.version)
  ctx.resources.touch()
  const { headers } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Compute',
    location: scaleSet.location ?? '',
    durationMs: shortOperationMs,
    handler: operationHandlers.action,
    args: { id: scaleSet.id },
    apiVersion: apiVersionOf(req),
  })
  return {
    status: existed ? 200 : 201,
    headers: { 'Azure-AsyncOperation': headers['Azure-AsyncOperation']!, 'Retry-After': 1 },
    body: extensionView(scaleSet, stored),
  }
}

export function getScaleSetExtension(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const scaleSet = findScaleSet(ctx, req)
  const name = param(req, 'vmssExtensionName')
  const extensions = ((
    (scaleSet.properties.virtualMachineProfile as Json | undefined)?.extensionProfile as
      Json | undefined
  )?.extensions ?? []) as Json[]
  const found = extensions.find((e) => String(e.name).toLowerCase() === name.toLowerCase())
  if (!found)
    throw new ArmError(404, 'NotFound', `The entity was not found in this Azure location.`)
  return { status: 200, body: extensionView(scaleSet, found) }
}

function extensionView(scaleSet: ScaleSetResource, extension: Json): Json {
  return {
    id: `${scaleSet.id}/extensions/${String(extension.name)}`,
    name: extension.name,
    type: 'Microsoft.Compute/virtualMachineScaleSets/extensions',
    properties: {
      ...((extension.properties as Json | undefined) ?? {}),
      provisioningState: 'Succeeded',
    },
  }
}
