import type { AutoscaleProfile, AutoscaleSettingResource } from '@azure/arm-monitor'
import { AppError } from '../../../shared/errors'
import type { PoolChangeKind } from '../../../shared/pool-tags'
import type { PoolClients } from './arm-clients'
import { isOverrideProfile, overrideProfile, withoutOverrides } from './autoscale-override'
import { withChange, type Author } from './change-record'
import { groupAndName, type PoolRecord } from './discovery'

/**
 * Writes and ends a person's manual size on a pool with autoscale (autoscale-override.ts): the
 * fixed-date profile goes into the pool's own autoscale setting, so autoscale keeps the size
 * on every teammate's screen and after this app quits, and the setting's
 * dsvm-pool-last-change tag names who set it.
 */

const weekMs = 7 * 24 * 3_600_000

export async function readSetting(
  clients: PoolClients,
  record: PoolRecord,
): Promise<AutoscaleSettingResource | undefined> {
  if (!record.autoscaleId) return undefined
  const { resourceGroup, name } = groupAndName(record.autoscaleId)
  return clients.monitor.autoscaleSettings.get(resourceGroup, name)
}

/** An until a person picked: in the future and within a week (a longer hold is a schedule). */
export function checkUntil(until: number, now: number): void {
  if (!Number.isFinite(until) || until <= now + 60_000)
    throw new AppError('Validation', 'Pick a time at least a minute from now.')
  if (until > now + weekMs)
    throw new AppError(
      'Validation',
      'Pick a time within a week; for longer, change the autoscale schedule instead.',
    )
}

async function writeProfiles(
  clients: PoolClients,
  record: PoolRecord,
  setting: AutoscaleSettingResource,
  profiles: AutoscaleProfile[],
  author: Author,
  change: { kind: PoolChangeKind; to?: number },
  enabled = setting.enabled !== false,
): Promise<void> {
  const { resourceGroup, name } = groupAndName(record.autoscaleId!)
  await clients.monitor.autoscaleSettings.createOrUpdate(resourceGroup, name, {
    location: setting.location,
    tags: withChange(setting.tags, author, change),
    profiles,
    enabled,
    targetResourceUri: setting.targetResourceUri ?? record.id,
    ...(setting.notifications ? { notifications: setting.notifications } : {}),
  })
}

/**
 * Keeps the pool at `capacity` until `until` through its autoscale setting, replacing any
 * earlier override. `enable` also switches the setting on in the same write (bringing a pool
 * back from zero). Returns false when the pool has no autoscale setting.
 */
export async function setOverride(
  clients: PoolClients,
  record: PoolRecord,
  capacity: number,
  until: number,
  author: Author,
  options: { setting?: AutoscaleSettingResource; enable?: boolean } = {},
): Promise<boolean> {
  const setting = options.setting ?? (await readSetting(clients, record))
  if (!setting) return false
  const now = author.now()
  checkUntil(until, now)
  const profiles = [
    overrideProfile(capacity, until, author.by, now),
    ...withoutOverrides(setting.profiles ?? []),
  ]
  if (profiles.length > 20)
    throw new AppError(
      'Validation',
      `The autoscale setting of ${record.name} already has 20 profiles, Azure's limit; remove one in the autoscale editor first.`,
    )
  await writeProfiles(
    clients,
    record,
    setting,
    profiles,
    author,
    { kind: 'override', to: capacity },
    options.enable ? true : setting.enabled !== false,
  )
  return true
}

/** Hands the pool back to its schedule now: the app's override profiles go. */
export async function endOverride(
  clients: PoolClients,
  record: PoolRecord,
  author: Author,
): Promise<void> {
  const setting = await readSetting(clients, record)
  if (!setting || !(setting.profiles ?? []).some(isOverrideProfile))
    throw new AppError('NotFound', `${record.name} is not kept at a size; nothing to end.`)
  await writeProfiles(clients, record, setting, withoutOverrides(setting.profiles ?? []), author, {
    kind: 'endOverride',
  })
}
