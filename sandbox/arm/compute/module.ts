import type { SandboxContext } from '../../core/context'
import { installExtensionRunner } from './extensions'
import { imageRoutes } from './images'
import type { Route, SandboxReply, SandboxRequest } from '../../core/http'
import type { SandboxModule } from '../../core/module'
import { subscriptions } from '../../seed/directory'
import { isOfferedIn, vmSizes } from '../../seed/vm-sizes'
import { normalizeRegion, resourceSkuView, sandboxRegions } from './catalog'
import { beginTransition, releaseAll, resumeTransitions } from './lifecycle'
import { isSpot, listScaleSets, scaleSetType, type ScaleSetResource } from './model'
import { usageList } from './quota'
import {
  deleteVm,
  getVm,
  getVmInstanceView,
  listVms,
  updateVm,
  vmPowerAction,
} from './scale-set-vms'
import { deleteInstancesReply, manualUpgradeReply, scaleSetPowerAction } from './power-actions'
import { recordSpotEviction } from '../monitor/activity-log'
import {
  deleteScaleSet,
  getScaleSetExtension,
  getScaleSetReply,
  listScaleSetsReply,
  patchScaleSet,
  putScaleSet,
  putScaleSetExtension,
  registerScaleSetOperations,
  scaleSetInstanceViewReply,
} from './scale-sets'

/** Microsoft.Compute: scale sets and their VMs, resource SKUs, usages; Spot eviction. */

const group =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets'
const one = `${group}/{vmssName}`
const vm = `${one}/virtualMachines/{instanceId}`

const arm = (
  method: string,
  pattern: string,
  handler: Route['handler'],
  access?: Route['access'],
): Route => ({
  service: 'arm',
  method,
  pattern,
  handler,
  ...(access ? { access } : {}),
})

function listSkus(req: SandboxRequest): SandboxReply {
  const filter = req.query('$filter') ?? ''
  const location = /location\s+eq\s+'([^']+)'/i.exec(filter)?.[1]
  const regions = location
    ? [normalizeRegion(location)].filter((r) => sandboxRegions.includes(r))
    : sandboxRegions
  const value = regions.flatMap((region) =>
    vmSizes.filter((s) => isOfferedIn(s, region)).map((s) => resourceSkuView(s, region)),
  )
  return { status: 200, body: { value } }
}

/** GET .../locations/{location}/vmSizes: the sizes offered in the region (restricted ones included, as Azure lists them). */
function listVmSizes(req: SandboxRequest): SandboxReply {
  const region = normalizeRegion(req.params.location ?? '')
  const value = vmSizes
    .filter((s) => isOfferedIn(s, region))
    .map((s) => ({
      name: s.vmSize,
      numberOfCores: s.vCPUs,
      osDiskSizeInMB: 1047552,
      resourceDiskSizeInMB: s.vCPUs * 32768,
      memoryInMB: Math.round(s.memoryGiB * 1024),
      maxDataDiskCount: Math.min(64, s.vCPUs * 4),
    }))
  return { status: 200, body: { value } }
}

function listUsages(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  return { status: 200, body: usageList(ctx, req.params.subscriptionId!, req.params.location!) }
}

export const computeRoutes: Route[] = [
  ...imageRoutes,
  arm('GET', '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/skus', listSkus),
  arm(
    'GET',
    '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/vmSizes',
    listVmSizes,
  ),
  arm(
    'GET',
    '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/usages',
    listUsages,
  ),
  arm(
    'GET',
    '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachineScaleSets',
    listScaleSetsReply,
  ),
  arm('GET', group, listScaleSetsReply),
  arm('PUT', one, putScaleSet),
  arm('PATCH', one, patchScaleSet),
  arm('GET', one, getScaleSetReply),
  arm('DELETE', one, deleteScaleSet),
  arm('GET', `${one}/instanceView`, scaleSetInstanceViewReply),
  arm('POST', `${one}/start`, scaleSetPowerAction('start')),
  arm('POST', `${one}/deallocate`, scaleSetPowerAction('deallocate')),
  arm('POST', `${one}/poweroff`, scaleSetPowerAction('powerOff')),
  arm('POST', `${one}/restart`, scaleSetPowerAction('restart')),
  arm('POST', `${one}/delete`, deleteInstancesReply),
  arm('POST', `${one}/manualupgrade`, manualUpgradeReply),
  arm('PUT', `${one}/extensions/{vmssExtensionName}`, putScaleSetExtension),
  arm('GET', `${one}/extensions/{vmssExtensionName}`, getScaleSetExtension),
  arm('GET', `${one}/virtualMachines`, listVms),
  arm('GET', vm, getVm),
  arm('PUT', vm, updateVm),
  arm('DELETE', vm, deleteVm),
  arm('GET', `${vm}/instanceView`, getVmInstanceView),
  arm('POST', `${vm}/start`, vmPowerAction('start')),
  arm('POST', `${vm}/deallocate`, vmPowerAction('deallocate')),
  arm('POST', `${vm}/poweroff`, vmPowerAction('powerOff')),
  arm('POST', `${vm}/restart`, vmPowerAction('restart')),
]

function allScaleSets(ctx: SandboxContext): ScaleSetResource[] {
  return subscriptions.flatMap((s) => listScaleSets(ctx, s.id))
}

/** Spot eviction: running Spot instances are deallocated or deleted, per the eviction policy. */
function evictSpot(ctx: SandboxContext, scaleSetId?: string): void {
  for (const scaleSet of allScaleSets(ctx)) {
    if (!isSpot(scaleSet) || (scaleSetId && scaleSet.id.toLowerCase() !== scaleSetId.toLowerCase()))
      continue
    const deletes =
      String(
        scaleSet.properties.virtualMachineProfile?.evictionPolicy ?? 'Deallocate',
      ).toLowerCase() === 'delete'
    for (const instance of scaleSet.sandbox.instances) {
      if (
        instance.provisioningState === 'Deleting' ||
        !['running', 'starting'].includes(instance.powerState)
      )
        continue
      beginTransition(ctx, scaleSet, instance, deletes ? 'evictDelete' : 'evict')
      recordSpotEviction(ctx, { scaleSetId: scaleSet.id, instanceId: instance.instanceId })
    }
    if (deletes)
      scaleSet.sku.capacity = scaleSet.sandbox.instances.filter(
        (i) => i.provisioningState !== 'Deleting',
      ).length
  }
  ctx.resources.touch()
}

export const computeModule: SandboxModule = {
  name: 'compute',
  install(ctx, router) {
    registerScaleSetOperations(ctx)
    router.add(...computeRoutes, ...installExtensionRunner(ctx))
    ctx.resources.onDelete(scaleSetType, (resource) =>
      releaseAll(ctx, resource as ScaleSetResource),
    )
    ctx.faults.on('evictSpot', (arg) => evictSpot(ctx, typeof arg === 'string' ? arg : undefined))
  },
  start(ctx) {
    resumeTransitions(ctx, allScaleSets(ctx))
  },
}
