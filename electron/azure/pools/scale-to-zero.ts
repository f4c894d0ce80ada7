import type { VirtualMachineScaleSetVM } from '@azure/arm-compute'
import type { AutoscaleSettingResource } from '@azure/arm-monitor'
import { collect } from './arm-clients'
import { activeProfile, withoutOverrides } from './autoscale-override'
import { checkUntil, setOverride } from './overrides'
import { poolTags } from '../../../shared/pool-tags'
import { AppError } from '../../../shared/errors'
import type { PoolClients } from './arm-clients'
import { withChange, type Author } from './change-record'
import { groupAndName, type PoolRecord } from './discovery'
import { restoreCapacityOf } from './model'
import { conflictFrom, type LroOptions, type Started } from './pool-actions'

/**
 * Scale to zero, kept in Azure so every teammate's app (and this one after a restart) sees it:
 *
 * On: switch the pool's autoscale setting off first (so it cannot scale back out in between),
 * then one PATCH of the scale set (If-Match) that writes the capacity to restore into the
 * dsvm-pool-restore-capacity tag and sets the capacity to 0. If that PATCH fails, autoscale is
 * switched back on.
 *
 * Off: one PATCH that restores exactly the capacity from the tag and removes it, then the
 * autoscale setting is switched on again, with an override that keeps that capacity until the
 * chosen time when the profile in force would not (outside working hours). A pool that is at
 * zero without the tag comes back with its schedule's working size, or 1.
 *
 * Protected instances: a scale-in (autoscale's or a capacity decrease) skips them, as
 * Microsoft documents; `protectedInstances: 'include'` lifts their protection first.
 *
 * Every write also records the author in the dsvm-pool-last-change tag of what it writes.
 */

async function readAutoscale(
  clients: PoolClients,
  record: PoolRecord,
): Promise<AutoscaleSettingResource | undefined> {
  if (!record.autoscaleId) return undefined
  const { resourceGroup, name } = groupAndName(record.autoscaleId)
  return clients.monitor.autoscaleSettings.get(resourceGroup, name)
}

async function setAutoscaleEnabled(
  clients: PoolClients,
  record: PoolRecord,
  enabled: boolean,
  tags: Record<string, string>,
): Promise<void> {
  if (!record.autoscaleId) return
  const { resourceGroup, name } = groupAndName(record.autoscaleId)
  await clients.monitor.autoscaleSettings.update(resourceGroup, name, { enabled, tags })
}

/** Instances protected from scale-in: a scale-in (autoscale's or a capacity decrease) skips them. */
export async function protectedInstances(
  clients: PoolClients,
  record: PoolRecord,
): Promise<VirtualMachineScaleSetVM[]> {
  const vms = await collect(
    clients.compute.virtualMachineScaleSetVMs.list(record.resourceGroup, record.scaleSetName),
  )
  return vms.filter(
    (vm) =>
      vm.protectionPolicy?.protectFromScaleIn === true ||
      vm.protectionPolicy?.protectFromScaleSetActions === true,
  )
}

export interface ScaleToZeroOptions extends LroOptions {
  /** Protected instances: removed with the rest (protection lifted first) or kept running. */
  protectedInstances?: 'include' | 'keep'
}

export async function scaleToZero(
  clients: PoolClients,
  record: PoolRecord,
  author: Author,
  options: ScaleToZeroOptions = {},
): Promise<Started> {
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    record.resourceGroup,
    record.scaleSetName,
  )
  const capacity = scaleSet.sku?.capacity ?? 0
  const recorded = restoreCapacityOf(scaleSet.tags)
  if (capacity === 0 && recorded !== undefined) return { done: Promise.resolve() }
  const autoscale = await readAutoscale(clients, record)
  // At zero already (its schedule or someone else put it there): remember the working size,
  // not 1, so bringing it back restores what the team uses.
  // Already held at zero with protected instances kept: the recorded capacity stays.
  const restore = recorded ?? (capacity > 0 ? capacity : (workingSizeOf(autoscale) ?? 1))
  if (options.protectedInstances === 'include') {
    for (const vm of await protectedInstances(clients, record)) {
      const poller = await clients.compute.virtualMachineScaleSetVMs.beginUpdate(
        record.resourceGroup,
        record.scaleSetName,
        vm.instanceId!,
        {
          location: vm.location,
          protectionPolicy: { protectFromScaleIn: false, protectFromScaleSetActions: false },
        },
        options.updateIntervalInMs !== undefined
          ? { updateIntervalInMs: options.updateIntervalInMs }
          : {},
      )
      await poller.pollUntilDone()
    }
  }
  const wasEnabled = autoscale?.enabled !== false && autoscale !== undefined
  const change = { kind: 'scaleToZero' as const, from: capacity }
  if (wasEnabled)
    await setAutoscaleEnabled(clients, record, false, withChange(autoscale.tags, author, change))
  try {
    const poller = await clients.compute.virtualMachineScaleSets.beginUpdate(
      record.resourceGroup,
      record.scaleSetName,
      {
        sku: { capacity: 0 },
        tags: withChange(
          { ...(scaleSet.tags ?? {}), [poolTags.restoreCapacity]: String(restore) },
          author,
          change,
        ),
      },
      {
        ...(scaleSet.etag ? { ifMatch: scaleSet.etag } : {}),
        ...(options.updateIntervalInMs !== undefined
          ? { updateIntervalInMs: options.updateIntervalInMs }
          : {}),
      },
    )
    const done = poller.pollUntilDone().then(() => undefined)
    done.catch(() => undefined)
    return { done }
  } catch (error) {
    if (wasEnabled)
      await setAutoscaleEnabled(clients, record, true, autoscale.tags ?? {}).catch(() => undefined)
    return conflictFrom(error, clients, record, scaleSet, author.now())
  }
}

/** The largest default capacity of the setting's own profiles (its working size). */
function workingSizeOf(setting: AutoscaleSettingResource | undefined): number | undefined {
  const defaults = withoutOverrides(setting?.profiles ?? [])
    .map((p) => Number(p.capacity.default))
    .filter((n) => Number.isInteger(n) && n > 0)
  return defaults.length ? Math.max(...defaults) : undefined
}

export interface RestoreOptions extends LroOptions {
  /**
   * When the schedule in force would not keep the restored capacity (outside working hours),
   * autoscale keeps it until then (default: two hours from now).
   */
  until?: number
}

export async function restoreFromZero(
  clients: PoolClients,
  record: PoolRecord,
  author: Author,
  options: RestoreOptions = {},
): Promise<Started & { capacity: number; keptUntil?: number }> {
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    record.resourceGroup,
    record.scaleSetName,
  )
  const recorded = restoreCapacityOf(scaleSet.tags)
  const autoscale = await readAutoscale(clients, record)
  const capacity =
    recorded ??
    ((scaleSet.sku?.capacity ?? 0) > 0 ? scaleSet.sku!.capacity! : (workingSizeOf(autoscale) ?? 1))
  // Exactly the recorded capacity comes back; if the schedule in force would take it away at
  // once, autoscale comes back on with an override that keeps it until the chosen time.
  const now = author.now()
  const schedule = autoscale
    ? activeProfile(withoutOverrides(autoscale.profiles ?? []), now)
    : undefined
  const keepUntil =
    schedule &&
    (Number(schedule.capacity.maximum) < capacity || Number(schedule.capacity.minimum) > capacity)
      ? (options.until ?? now + 2 * 3_600_000)
      : undefined
  if (keepUntil !== undefined) checkUntil(keepUntil, now)
  const { [poolTags.restoreCapacity]: _restored, ...tags } = scaleSet.tags ?? {}
  let done: Promise<void>
  try {
    const poller = await clients.compute.virtualMachineScaleSets.beginUpdate(
      record.resourceGroup,
      record.scaleSetName,
      {
        sku: { capacity },
        tags: withChange(tags, author, { kind: 'restoreFromZero', to: capacity }),
      },
      {
        ...(scaleSet.etag ? { ifMatch: scaleSet.etag } : {}),
        ...(options.updateIntervalInMs !== undefined
          ? { updateIntervalInMs: options.updateIntervalInMs }
          : {}),
      },
    )
    done = poller.pollUntilDone().then(() => undefined)
    done.catch(() => undefined)
  } catch (error) {
    return conflictFrom(error, clients, record, scaleSet, author.now())
  }
  if (autoscale && (autoscale.enabled === false || keepUntil !== undefined)) {
    try {
      if (keepUntil !== undefined)
        await setOverride(clients, record, capacity, keepUntil, author, {
          setting: autoscale,
          enable: true,
        })
      else
        await setAutoscaleEnabled(
          clients,
          record,
          true,
          withChange(autoscale.tags, author, { kind: 'restoreFromZero', to: capacity }),
        )
    } catch (error) {
      throw new AppError(
        'Transient',
        `${record.name} is coming back with ${capacity} instances, but its autoscale setting could not be switched on again: ${
          (error as Error).message
        }`,
      )
    }
  }
  return { done, capacity, ...(keepUntil !== undefined ? { keptUntil: keepUntil } : {}) }
}
