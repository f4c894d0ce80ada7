import type { SandboxContext } from '../../core/context'
import type { ScheduledTask } from '../../core/clock'
import { parseResourceId } from '../../core/resources'
import { allocatePrivateIp, releasePrivateIp } from '../network/addresses'
import { assignNatPorts } from '../network/nat'
import { findVmSize } from '../../seed/vm-sizes'
import { normalizeRegion } from './catalog'
import {
  countedInstances,
  getScaleSet,
  isSpot,
  nicConfigsOf,
  osTypeOf,
  type InstanceRecord,
  type PowerState,
  type ProvisioningState,
  type ScaleSetResource,
} from './model'

/**
 * How scale-set instances move through Azure's states over sandbox time. A change starts a
 * transition (intermediate states now, final states at `dueAt`); a timer per scale set settles
 * transitions when they fall due, also after a restart with --state. Meters follow billing:
 * compute while the VM is allocated (starting → deallocated/deleted), the OS disk while it exists.
 */

export type TransitionKind =
  | 'create'
  | 'start'
  | 'deallocate'
  | 'powerOff'
  | 'restart'
  | 'delete'
  | 'forceDelete'
  | 'evict'
  | 'evictDelete'

/** Sandbox milliseconds each change takes; close to what Azure takes for a Linux DSVM. */
export const transitionMs: Record<TransitionKind, number> = {
  create: 90_000,
  start: 40_000,
  deallocate: 60_000,
  powerOff: 30_000,
  restart: 45_000,
  delete: 45_000,
  forceDelete: 10_000,
  evict: 30_000,
  evictDelete: 30_000,
}

const plans: Record<
  TransitionKind,
  {
    now: [ProvisioningState, PowerState | null]
    then: [ProvisioningState, PowerState]
    remove?: boolean
  }
> = {
  create: { now: ['Creating', 'starting'], then: ['Succeeded', 'running'] },
  start: { now: ['Updating', 'starting'], then: ['Succeeded', 'running'] },
  restart: { now: ['Updating', 'starting'], then: ['Succeeded', 'running'] },
  deallocate: { now: ['Updating', 'deallocating'], then: ['Succeeded', 'deallocated'] },
  evict: { now: ['Updating', 'deallocating'], then: ['Succeeded', 'deallocated'] },
  powerOff: { now: ['Updating', 'stopping'], then: ['Succeeded', 'stopped'] },
  delete: { now: ['Deleting', null], then: ['Deleting', 'deallocated'], remove: true },
  forceDelete: { now: ['Deleting', null], then: ['Deleting', 'deallocated'], remove: true },
  evictDelete: { now: ['Deleting', null], then: ['Deleting', 'deallocated'], remove: true },
}

const timers = new WeakMap<SandboxContext, Map<string, ScheduledTask>>()
const defaultCpuPercent = 3
const defaultOsDiskGB = 128

/** Starts a change on an instance; returns when it will be done (sandbox ms). */
export function beginTransition(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  instance: InstanceRecord,
  kind: TransitionKind,
  options: { failure?: string } = {},
): number {
  const plan = plans[kind]
  const now = ctx.clock.now()
  const dueAt = now + transitionMs[kind]
  const [provisioningState, powerState] = plan.now
  instance.provisioningState = provisioningState
  if (powerState) instance.powerState = powerState
  else if (instance.powerState === 'running' || instance.powerState === 'starting')
    instance.powerState = 'stopping'
  instance.changedAt = now
  delete instance.failure
  instance.transition = {
    provisioningState: options.failure ? 'Failed' : plan.then[0],
    powerState: options.failure ? 'deallocated' : plan.then[1],
    ...(plan.remove ? { remove: true } : {}),
    ...(options.failure ? { failure: options.failure } : {}),
    dueAt,
  }
  if ((kind === 'create' || kind === 'start' || kind === 'restart') && !options.failure)
    openComputeMeter(ctx, scaleSet, instance, now)
  ctx.resources.touch()
  schedule(ctx, scaleSet)
  return dueAt
}

/** Applies every transition of the scale set that is due. */
export function settle(ctx: SandboxContext, scaleSet: ScaleSetResource): void {
  const now = ctx.clock.now()
  for (const instance of [...scaleSet.sandbox.instances]) {
    const transition = instance.transition
    if (!transition || transition.dueAt > now) continue
    finish(ctx, scaleSet, instance)
  }
  ctx.resources.touch()
  schedule(ctx, scaleSet)
}

/** Completes every pending transition now (demo seeding, tests of final states). */
export function settleNow(ctx: SandboxContext, scaleSet: ScaleSetResource): void {
  for (const instance of [...scaleSet.sandbox.instances])
    if (instance.transition) finish(ctx, scaleSet, instance)
  ctx.resources.touch()
  schedule(ctx, scaleSet)
}

function finish(ctx: SandboxContext, scaleSet: ScaleSetResource, instance: InstanceRecord): void {
  const transition = instance.transition!
  const at = Math.min(transition.dueAt, ctx.clock.now())
  delete instance.transition
  if (transition.remove) {
    removeInstance(ctx, scaleSet, instance, at)
    return
  }
  instance.provisioningState = transition.provisioningState
  instance.powerState = transition.powerState
  instance.changedAt = at
  if (transition.failure) instance.failure = transition.failure
  if (instance.powerState === 'deallocated') closeComputeMeter(ctx, instance, at)
}

function removeInstance(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  instance: InstanceRecord,
  at: number,
): void {
  closeComputeMeter(ctx, instance, at)
  if (instance.diskUsageId) ctx.usage.close(instance.diskUsageId, at)
  const subnetId = nicConfigsOf(scaleSet)[0]?.subnetId
  if (subnetId && instance.privateIp) releasePrivateIp(ctx, subnetId, instance.privateIp)
  scaleSet.sandbox.instances = scaleSet.sandbox.instances.filter((i) => i !== instance)
}

/** Closes meters and frees addresses of every instance (the scale set itself is going). */
export function releaseAll(ctx: SandboxContext, scaleSet: ScaleSetResource): void {
  const now = ctx.clock.now()
  for (const instance of [...scaleSet.sandbox.instances])
    removeInstance(ctx, scaleSet, instance, now)
  timers.get(ctx)?.get(scaleSet.id.toLowerCase())?.cancel()
}

function schedule(ctx: SandboxContext, scaleSet: ScaleSetResource): void {
  let perScaleSet = timers.get(ctx)
  if (!perScaleSet) timers.set(ctx, (perScaleSet = new Map()))
  const key = scaleSet.id.toLowerCase()
  perScaleSet.get(key)?.cancel()
  perScaleSet.delete(key)
  const next = Math.min(...scaleSet.sandbox.instances.map((i) => i.transition?.dueAt ?? Infinity))
  if (!Number.isFinite(next)) return
  const id = scaleSet.id
  perScaleSet.set(
    key,
    ctx.clock.at(next, () => {
      const current = getScaleSet(ctx, id)
      if (current) settle(ctx, current)
    }),
  )
}

/** Re-arms the timers of every scale set (after a restart from saved state). */
export function resumeTransitions(ctx: SandboxContext, scaleSets: ScaleSetResource[]): void {
  for (const scaleSet of scaleSets) schedule(ctx, scaleSet)
}

const base36 = (n: number) => n.toString(36).toUpperCase().padStart(6, '0')

/** Creates the next instance of the scale set and starts its creation. */
export function addInstance(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  options: { failure?: string } = {},
): InstanceRecord {
  const number = scaleSet.sandbox.nextInstanceId++
  const profile = scaleSet.properties.virtualMachineProfile ?? {}
  const prefix = String(
    (profile.osProfile as Record<string, unknown> | undefined)?.computerNamePrefix ?? scaleSet.name,
  )
  const zones = (scaleSet.zones as string[] | undefined) ?? []
  const now = ctx.clock.now()
  const instance: InstanceRecord = {
    instanceId: String(number),
    vmId: ctx.newId(),
    computerName: `${prefix}${base36(number)}`,
    ...(zones.length ? { zone: zones[number % zones.length]! } : {}),
    provisioningState: 'Creating',
    powerState: 'starting',
    changedAt: now,
    createdAt: now,
    protectFromScaleIn: false,
    protectFromScaleSetActions: false,
    latestModelApplied: true,
    cpuPercent: Number(scaleSet.sandbox.defaultCpuPercent ?? defaultCpuPercent),
    privateIp: '',
    natPorts: {},
  }
  const subnetId = nicConfigsOf(scaleSet)[0]?.subnetId
  if (subnetId) instance.privateIp = allocatePrivateIp(ctx, subnetId) ?? ''
  assignNatPorts(ctx, scaleSet, instance)
  scaleSet.sandbox.instances.push(instance)
  openDiskMeter(ctx, scaleSet, instance, now)
  beginTransition(ctx, scaleSet, instance, 'create', options)
  return instance
}

/** The instances a scale-in removes: highest ids first, never protected ones. */
export function scaleInCandidates(scaleSet: ScaleSetResource): InstanceRecord[] {
  return countedInstances(scaleSet)
    .filter((i) => !i.protectFromScaleIn && !i.protectFromScaleSetActions)
    .sort((a, b) => Number(b.instanceId) - Number(a.instanceId))
}

/**
 * Moves the scale set toward `target` instances: creates new ones or deletes unprotected ones.
 * Returns when the last change ends; capacity becomes what is really there.
 */
export function applyCapacity(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  target: number,
  options: { failure?: string } = {},
): number {
  let doneAt = ctx.clock.now()
  const current = countedInstances(scaleSet).length
  for (let n = current; n < target; n++) {
    const instance = addInstance(ctx, scaleSet, options)
    doneAt = Math.max(doneAt, instance.transition!.dueAt)
  }
  if (target < current) {
    for (const instance of scaleInCandidates(scaleSet).slice(0, current - target)) {
      doneAt = Math.max(doneAt, beginTransition(ctx, scaleSet, instance, 'delete'))
    }
  }
  scaleSet.sku.capacity = countedInstances(scaleSet).length
  ctx.resources.touch()
  return doneAt
}

/** Restarts the compute meter of a running instance, e.g. after it took a new VM size. */
export function remeter(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  instance: InstanceRecord,
): void {
  if (!instance.computeUsageId) return
  const now = ctx.clock.now()
  closeComputeMeter(ctx, instance, now)
  openComputeMeter(ctx, scaleSet, instance, now)
}

function openComputeMeter(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  instance: InstanceRecord,
  at: number,
): void {
  if (instance.computeUsageId) return
  const parts = parseResourceId(scaleSet.id)!
  instance.computeUsageId = ctx.usage.open({
    subscriptionId: parts.subscriptionId,
    resourceGroup: parts.resourceGroup ?? '',
    resourceId: scaleSet.id,
    instanceId: instance.instanceId,
    meter: 'compute',
    sku: scaleSet.sku.name,
    location: normalizeRegion(scaleSet.location ?? ''),
    os: osTypeOf(scaleSet),
    priority: isSpot(scaleSet) ? 'Spot' : 'Regular',
    quantity: 1,
    start: at,
  })
}

function closeComputeMeter(ctx: SandboxContext, instance: InstanceRecord, at: number): void {
  if (!instance.computeUsageId) return
  ctx.usage.close(instance.computeUsageId, at)
  delete instance.computeUsageId
}

/** Managed disk tier from the storage type and size (P10, E10, S10 ...). */
export function diskTier(storageAccountType: string, sizeGB: number): string {
  const tiers: Array<[number, string]> = [
    [4, '1'],
    [8, '2'],
    [16, '3'],
    [32, '4'],
    [64, '6'],
    [128, '10'],
    [256, '15'],
    [512, '20'],
    [1024, '30'],
    [2048, '40'],
    [4096, '50'],
    [8192, '60'],
    [16384, '70'],
    [32767, '80'],
  ]
  const number = tiers.find(([max]) => sizeGB <= max)?.[1] ?? '80'
  const letter = /premium/i.test(storageAccountType)
    ? 'P'
    : /standardssd/i.test(storageAccountType)
      ? 'E'
      : 'S'
  return `${letter}${number}`
}

export function osDiskOf(scaleSet: ScaleSetResource): {
  storageAccountType: string
  sizeGB: number
} {
  const osDisk = ((
    scaleSet.properties.virtualMachineProfile?.storageProfile as Record<string, unknown> | undefined
  )?.osDisk ?? {}) as Record<string, unknown>
  const size = findVmSize(scaleSet.sku.name)
  const storageAccountType = String(
    (osDisk.managedDisk as Record<string, unknown> | undefined)?.storageAccountType ??
      (size?.premiumIO ? 'Premium_LRS' : 'Standard_LRS'),
  )
  return { storageAccountType, sizeGB: Number(osDisk.diskSizeGB ?? defaultOsDiskGB) }
}

function openDiskMeter(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  instance: InstanceRecord,
  at: number,
): void {
  const parts = parseResourceId(scaleSet.id)!
  const disk = osDiskOf(scaleSet)
  instance.diskUsageId = ctx.usage.open({
    subscriptionId: parts.subscriptionId,
    resourceGroup: parts.resourceGroup ?? '',
    resourceId: scaleSet.id,
    instanceId: instance.instanceId,
    meter: 'osDisk',
    sku: diskTier(disk.storageAccountType, disk.sizeGB),
    location: normalizeRegion(scaleSet.location ?? ''),
    quantity: 1,
    start: at,
  })
}
