import type { AutoscaleSettingResource } from '@azure/arm-monitor'
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
 * Off: one PATCH that restores the capacity from the tag and removes it, then the autoscale
 * setting is switched on again. (A pool that is at zero without the tag comes back with the
 * autoscale default, or 1.)
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

export async function scaleToZero(
  clients: PoolClients,
  record: PoolRecord,
  author: Author,
  options: LroOptions = {},
): Promise<Started> {
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    record.resourceGroup,
    record.scaleSetName,
  )
  const capacity = scaleSet.sku?.capacity ?? 0
  const recorded = restoreCapacityOf(scaleSet.tags)
  if (capacity === 0 && recorded !== undefined) return { done: Promise.resolve() }
  const restore = capacity > 0 ? capacity : (recorded ?? 1)
  const autoscale = await readAutoscale(clients, record)
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

export async function restoreFromZero(
  clients: PoolClients,
  record: PoolRecord,
  author: Author,
  options: LroOptions = {},
): Promise<Started> {
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    record.resourceGroup,
    record.scaleSetName,
  )
  const recorded = restoreCapacityOf(scaleSet.tags)
  const autoscale = await readAutoscale(clients, record)
  const fallback = Number(autoscale?.profiles?.[0]?.capacity.default ?? 1) || 1
  const capacity =
    recorded ?? ((scaleSet.sku?.capacity ?? 0) > 0 ? scaleSet.sku!.capacity! : fallback)
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
  if (autoscale && autoscale.enabled === false) {
    try {
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
  return { done }
}
