import type { AutoscaleSettingResource } from '@azure/arm-monitor'
import { AppError } from '../../../shared/errors'
import type { AutoscaleSchedule, AutoscaleView } from '../../../shared/pools'
import { poolTags } from '../../../shared/pool-tags'
import type { PoolClients } from './arm-clients'
import { describeChange, lastChangeOf, whenText, withChange, type Author } from './change-record'
import {
  nextChangeText,
  profilesFor,
  scheduleChanges,
  scheduleOf,
  settingVersion,
} from './autoscale-schedule'
import { activeProfile, isOverrideProfile, overrideOf } from './autoscale-override'
import { groupAndName, type PoolRecord } from './discovery'
import { restoreCapacityOf } from './model'

/**
 * Reads and writes a pool's autoscale setting (Microsoft.Insights/autoscaleSettings).
 * Autoscale settings carry no ETag, so a save first reads the setting again and compares it
 * with the version the editor started from: a teammate's change is reported (who, from the
 * dsvm-pool-last-change tag every save writes; what changed; and the fresh values) instead of
 * being overwritten.
 */

/**
 * The version the editor starts from: a fingerprint of the schedule, then the time of the
 * app's last recorded change to the setting (which tells whether that record is news).
 */
export function editorVersion(setting: AutoscaleSettingResource): string {
  return `${settingVersion(setting)}~${lastChangeOf(setting.tags)?.at ?? ''}`
}

/** Who changed the setting since the editor's version, as the start of a sentence. */
export function settingChangedBy(
  setting: AutoscaleSettingResource,
  version: string,
  poolName: string,
  clock: number,
): string {
  const recorded = lastChangeOf(setting.tags)
  const [, seenStamp] = version.split('~')
  if (recorded && recorded.at !== seenStamp)
    return `${recorded.by} ${describeChange(recorded, poolName)} ${whenText(recorded.at, clock)}`
  return `Someone outside this app changed the autoscale schedule of ${poolName}`
}

async function read(clients: PoolClients, record: PoolRecord) {
  if (!record.autoscaleId) return undefined
  const { resourceGroup, name } = groupAndName(record.autoscaleId)
  return clients.monitor.autoscaleSettings.get(resourceGroup, name)
}

export function viewOf(setting: AutoscaleSettingResource | undefined, now: number): AutoscaleView {
  if (!setting) return {}
  const { schedule, note } = scheduleOf(setting)
  const nextChange = nextChangeText(setting, now)
  const active = activeProfile(setting.profiles ?? [], now)
  const override = setting.enabled !== false && active ? overrideOf(active) : undefined
  return {
    schedule,
    ...(override ? { override } : {}),
    version: editorVersion(setting),
    ...(nextChange ? { nextChange } : {}),
    ...(note ? { note } : {}),
    ...(setting.name ? { settingName: setting.name } : {}),
  }
}

export async function readAutoscaleView(
  clients: PoolClients,
  record: PoolRecord,
  now: number,
): Promise<AutoscaleView> {
  return viewOf(await read(clients, record), now)
}

/**
 * Writes the schedule. While the pool is scaled to zero the setting stays switched off (it
 * would undo scale to zero); switching scale to zero off switches it on again.
 */
export async function saveAutoscale(
  clients: PoolClients,
  record: PoolRecord,
  schedule: AutoscaleSchedule,
  version: string | undefined,
  author: Author,
): Promise<{ view: AutoscaleView; autoscaleId: string; heldOff: boolean }> {
  const now = author.now()
  const current = await read(clients, record)
  if (current && version && settingVersion(current) !== version.split('~')[0]) {
    const fresh = scheduleOf(current).schedule
    const changes = scheduleChanges(schedule, fresh)
    throw new AppError(
      'Conflict',
      `${settingChangedBy(current, version, record.name, now)} while you were editing it${
        changes.length ? ` (${changes.join('; ')})` : ''
      }. The editor now shows the fresh state; make your change again if you still want it.`,
      { changes },
    )
  }
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    record.resourceGroup,
    record.scaleSetName,
  )
  const heldOff = restoreCapacityOf(scaleSet.tags) !== undefined && schedule.enabled
  const name = current?.name ?? `${record.name}-autoscale`
  const resourceGroup = current
    ? groupAndName(record.autoscaleId!).resourceGroup
    : record.resourceGroup
  const saved = await clients.monitor.autoscaleSettings.createOrUpdate(resourceGroup, name, {
    location: current?.location ?? scaleSet.location,
    tags: withChange({ ...(current?.tags ?? {}), [poolTags.pool]: record.name }, author, {
      kind: 'schedule',
    }),
    // A teammate's kept size stays until it ends or someone ends it.
    profiles: [
      ...(current?.profiles ?? []).filter(isOverrideProfile),
      ...profilesFor(schedule, record.id),
    ],
    enabled: schedule.enabled && !heldOff,
    targetResourceUri: record.id,
    ...(current?.notifications ? { notifications: current.notifications } : {}),
  })
  return {
    view: viewOf(saved, now),
    autoscaleId:
      saved.id ??
      `/subscriptions/${record.subscriptionId}/resourceGroups/${resourceGroup}/providers/microsoft.insights/autoscalesettings/${name}`,
    heldOff,
  }
}
