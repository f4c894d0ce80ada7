import type { VirtualMachineScaleSet } from '@azure/arm-compute'
import { AppError } from '../../../shared/errors'
import { lastChangeTag } from '../../../shared/pool-tags'
import type { PoolClients } from './arm-clients'
import { scaleSetChangedBy, withChange, type Author } from './change-record'
import type { PoolRecord } from './discovery'
import { groupAndName } from './discovery'
import { statusOf } from './poller'

/**
 * What a person can do to a pool, each through one Azure request whose long-running
 * operation is followed in the background (`done`), so the UI shows progress from the poller
 * while Azure works. Scale-set writes send If-Match with the ETag the person saw and record
 * the writer in the dsvm-pool-last-change tag: if a teammate (or autoscale) changed the pool
 * since, Azure answers 412 and the error says who changed what.
 */

export interface Started {
  /** Azure accepted the request; `done` settles when its operation ends. */
  done: Promise<void>
}

export interface LroOptions {
  updateIntervalInMs?: number
}

type Lro = Promise<{ pollUntilDone(): Promise<unknown> }>

async function follow(begin: Lro): Promise<Started> {
  const poller = await begin
  const done = poller.pollUntilDone().then(() => undefined)
  // The caller may never await `done`; a failure is reported through it, not as unhandled.
  done.catch(() => undefined)
  return { done }
}

const lroOptions = (options: LroOptions) =>
  options.updateIntervalInMs !== undefined ? { updateIntervalInMs: options.updateIntervalInMs } : {}

/** Names what differs between the scale set someone saw and the one in Azure now. */
export function scaleSetChanges(
  before: VirtualMachineScaleSet | undefined,
  now: VirtualMachineScaleSet,
): string[] {
  if (!before) return []
  const changes: string[] = []
  if (before.sku?.capacity !== now.sku?.capacity)
    changes.push(`capacity ${before.sku?.capacity ?? 0} → ${now.sku?.capacity ?? 0}`)
  if (before.sku?.name !== now.sku?.name)
    changes.push(`size ${before.sku?.name} → ${now.sku?.name}`)
  const keys = new Set([...Object.keys(before.tags ?? {}), ...Object.keys(now.tags ?? {})])
  for (const key of keys) {
    if (key === lastChangeTag) continue
    const a = before.tags?.[key]
    const b = now.tags?.[key]
    if (a !== b) changes.push(`tag ${key} ${a ?? '(none)'} → ${b ?? '(none)'}`)
  }
  return changes
}

async function autoscaleEnabledOf(
  clients: PoolClients,
  record: PoolRecord,
): Promise<boolean | undefined> {
  if (!record.autoscaleId) return false
  try {
    const { resourceGroup, name } = groupAndName(record.autoscaleId)
    return (await clients.monitor.autoscaleSettings.get(resourceGroup, name)).enabled !== false
  } catch {
    return undefined
  }
}

/**
 * A 412 on a scale-set write, as a Conflict that says who changed what (from the app's
 * dsvm-pool-last-change record, or autoscale / someone outside this app) and the fresh state.
 */
export async function conflictFrom(
  error: unknown,
  clients: PoolClients,
  record: PoolRecord,
  seen: VirtualMachineScaleSet | undefined,
  clock: number = Date.now(),
): Promise<never> {
  if (statusOf(error) !== 412) throw error
  const now = await clients.compute.virtualMachineScaleSets.get(
    record.resourceGroup,
    record.scaleSetName,
  )
  const changes = scaleSetChanges(seen, now)
  const side = (s: VirtualMachineScaleSet) => ({
    capacity: s.sku?.capacity ?? 0,
    ...(s.tags ? { tags: s.tags } : {}),
  })
  const who = scaleSetChangedBy({
    poolName: record.name,
    seen: seen ? side(seen) : undefined,
    now: side(now),
    autoscaleEnabled: await autoscaleEnabledOf(clients, record),
    changes,
    clock,
  })
  throw new AppError(
    'Conflict',
    `${who} since you last saw it. The pool now shows the fresh state; try again if you still want the change.`,
    { changes, capacity: now.sku?.capacity ?? 0, ...(now.etag ? { etag: now.etag } : {}) },
  )
}

export async function scaleTo(
  clients: PoolClients,
  record: PoolRecord,
  capacity: number,
  ifMatch: string | undefined,
  seen: VirtualMachineScaleSet | undefined,
  author: Author,
  options: LroOptions = {},
): Promise<Started> {
  // The tags sent must be those of the version If-Match names (a PATCH replaces them all).
  const base =
    ifMatch && seen?.etag === ifMatch
      ? seen
      : await clients.compute.virtualMachineScaleSets.get(record.resourceGroup, record.scaleSetName)
  const match = ifMatch ?? base.etag
  try {
    return await follow(
      clients.compute.virtualMachineScaleSets.beginUpdate(
        record.resourceGroup,
        record.scaleSetName,
        {
          sku: { capacity },
          tags: withChange(base.tags, author, {
            kind: 'scale',
            from: base.sku?.capacity ?? 0,
            to: capacity,
          }),
        },
        { ...(match ? { ifMatch: match } : {}), ...lroOptions(options) },
      ),
    )
  } catch (error) {
    return conflictFrom(error, clients, record, seen, author.now())
  }
}

export function startAll(clients: PoolClients, record: PoolRecord, options: LroOptions = {}) {
  return follow(
    clients.compute.virtualMachineScaleSets.beginStart(
      record.resourceGroup,
      record.scaleSetName,
      lroOptions(options),
    ),
  )
}

/** Deallocates every instance: compute stops billing, the OS disks keep costing. */
export function stopAll(clients: PoolClients, record: PoolRecord, options: LroOptions = {}) {
  return follow(
    clients.compute.virtualMachineScaleSets.beginDeallocate(
      record.resourceGroup,
      record.scaleSetName,
      lroOptions(options),
    ),
  )
}

export function restartInstance(
  clients: PoolClients,
  record: PoolRecord,
  instanceId: string,
  options: LroOptions = {},
) {
  return follow(
    clients.compute.virtualMachineScaleSetVMs.beginRestart(
      record.resourceGroup,
      record.scaleSetName,
      instanceId,
      lroOptions(options),
    ),
  )
}

/** Starts one instance, or stops (deallocates) it: its compute stops costing, its disk does not. */
export function startStopInstance(
  clients: PoolClients,
  record: PoolRecord,
  instanceId: string,
  start: boolean,
  options: LroOptions = {},
) {
  const vms = clients.compute.virtualMachineScaleSetVMs
  return follow(
    start
      ? vms.beginStart(record.resourceGroup, record.scaleSetName, instanceId, lroOptions(options))
      : vms.beginDeallocate(
          record.resourceGroup,
          record.scaleSetName,
          instanceId,
          lroOptions(options),
        ),
  )
}

export function deleteInstance(
  clients: PoolClients,
  record: PoolRecord,
  instanceId: string,
  options: LroOptions = {},
) {
  return follow(
    clients.compute.virtualMachineScaleSetVMs.beginDelete(
      record.resourceGroup,
      record.scaleSetName,
      instanceId,
      lroOptions(options),
    ),
  )
}

/** Protect or unprotect one instance from autoscale scale-in (PUT on the scale-set VM). */
export async function protectInstance(
  clients: PoolClients,
  record: PoolRecord,
  instanceId: string,
  protect: boolean,
  options: LroOptions = {},
): Promise<Started> {
  const vm = await clients.compute.virtualMachineScaleSetVMs.get(
    record.resourceGroup,
    record.scaleSetName,
    instanceId,
  )
  try {
    return await follow(
      clients.compute.virtualMachineScaleSetVMs.beginUpdate(
        record.resourceGroup,
        record.scaleSetName,
        instanceId,
        {
          location: vm.location,
          protectionPolicy: {
            protectFromScaleIn: protect,
            protectFromScaleSetActions: vm.protectionPolicy?.protectFromScaleSetActions ?? false,
          },
        },
        { ...(vm.etag ? { ifMatch: vm.etag } : {}), ...lroOptions(options) },
      ),
    )
  } catch (error) {
    if (statusOf(error) === 412)
      throw new AppError(
        'Conflict',
        `Instance ${vm.name} changed while you were protecting it. Look at its current state and try again.`,
      )
    throw error
  }
}

/** Resource types in the order a pool's parts can be deleted (dependants first). */
const deleteOrder: Array<{ type: string; apiVersion: string }> = [
  { type: 'microsoft.insights/autoscalesettings', apiVersion: '2022-10-01' },
  { type: 'microsoft.compute/virtualmachinescalesets', apiVersion: '2024-11-01' },
  // The share's managed identity, once no scale set uses it.
  { type: 'microsoft.managedidentity/userassignedidentities', apiVersion: '2024-11-30' },
  { type: 'microsoft.network/loadbalancers', apiVersion: '2024-07-01' },
  { type: 'microsoft.network/publicipaddresses', apiVersion: '2024-07-01' },
  { type: 'microsoft.network/virtualnetworks', apiVersion: '2024-07-01' },
  { type: 'microsoft.network/networksecuritygroups', apiVersion: '2024-07-01' },
  { type: 'microsoft.storage/storageaccounts', apiVersion: '2023-05-01' },
]

const typeOf = (id: string) => {
  const m = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/i.exec(id)
  return m ? m[1]!.toLowerCase() : ''
}

/**
 * Deletes exactly what the pool created. When the app created the resource group for the pool
 * (the group carries the pool tag), the group goes, with everything in it. Otherwise only the
 * resources tagged with the pool go, dependants first; untagged resources in the group stay.
 */
export async function deletePool(
  clients: PoolClients,
  record: PoolRecord,
  options: LroOptions = {},
): Promise<Started> {
  if (record.ownsResourceGroup) {
    return follow(
      clients.resources.resourceGroups.beginDelete(record.resourceGroup, lroOptions(options)),
    )
  }
  const ordered = deleteOrder.flatMap(({ type, apiVersion }) =>
    record.taggedIds.filter((id) => typeOf(id) === type).map((id) => ({ id, apiVersion })),
  )
  const others = record.taggedIds.filter((id) => !deleteOrder.some((d) => d.type === typeOf(id)))
  if (others.length)
    throw new AppError(
      'Validation',
      `The pool has tagged resources the app does not know how to delete (${others
        .map((id) => groupAndName(id).name)
        .join(', ')}); delete them in the Azure portal first.`,
    )
  const [first, ...rest] = ordered
  if (!first) throw new AppError('NotFound', `Nothing tagged with ${record.name} was found.`)
  const started = await follow(
    clients.resources.resources.beginDeleteById(first.id, first.apiVersion, lroOptions(options)),
  )
  const done = started.done.then(async () => {
    for (const { id, apiVersion } of rest) {
      const poller = await clients.resources.resources.beginDeleteById(
        id,
        apiVersion,
        lroOptions(options),
      )
      await poller.pollUntilDone()
    }
  })
  done.catch(() => undefined)
  return { done }
}
