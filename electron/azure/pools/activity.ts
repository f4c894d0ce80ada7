import type { AutoscaleSettingResource } from '@azure/arm-monitor'
import type { PoolActivity } from '../../../shared/pools'
import { clockText } from '../../../shared/pool-state'
import { collect, type PoolClients } from './arm-clients'
import { activeProfile, overrideOf } from './autoscale-override'
import { describeChange, lastChangeOf } from './change-record'
import type { PoolRecord } from './discovery'

/**
 * Who changed a pool's size, newest first: a person through the app (the dsvm-pool-last-change
 * tags), autoscale (its scale actions in the Activity Log, with the reason read from the
 * profile in force then), or someone outside this app (a capacity change the poller saw that
 * neither explains).
 */

export interface AutoscaleAction {
  id: string
  at: number
  from: number
  to: number
}

/** The autoscale engine's finished scale actions on the pool since `since`. */
export async function readAutoscaleActions(
  clients: PoolClients,
  record: PoolRecord,
  since: number,
): Promise<AutoscaleAction[]> {
  if (!record.autoscaleId) return []
  const filter = `eventTimestamp ge '${new Date(since).toISOString()}' and resourceUri eq '${record.autoscaleId}'`
  const events = await collect(clients.monitor.activityLogs.list(filter))
  return events
    .filter(
      (e) =>
        e.category?.value === 'Autoscale' &&
        e.status?.value === 'Succeeded' &&
        e.resourceId?.toLowerCase() === record.autoscaleId!.toLowerCase(),
    )
    .map((e) => ({
      id: e.eventDataId ?? e.id ?? '',
      at: e.eventTimestamp?.getTime() ?? 0,
      from: Number(e.properties?.OldInstancesCount),
      to: Number(e.properties?.NewInstancesCount),
    }))
    .filter((a) => Number.isInteger(a.from) && Number.isInteger(a.to))
}

const plural = (n: number) => `${n} instance${n === 1 ? '' : 's'}`

/** Why autoscale scaled, from the profile that was in force. */
export function autoscaleReason(
  setting: AutoscaleSettingResource | undefined,
  action: AutoscaleAction,
): string {
  const profile = setting ? activeProfile(setting.profiles ?? [], action.at) : undefined
  if (!profile) return 'its rules'
  const kept = overrideOf(profile)
  if (kept) return `kept at ${kept.capacity}${kept.by ? ` by ${kept.by}` : ''}`
  const min = Number(profile.capacity.minimum)
  const max = Number(profile.capacity.maximum)
  if (max === 0) return 'outside working hours'
  if (action.to > action.from) return action.to <= min ? 'working hours began' : 'CPU load is high'
  return action.from > max ? 'above the schedule’s maximum' : 'CPU load is low'
}

export function autoscaleText(
  action: AutoscaleAction,
  setting: AutoscaleSettingResource | undefined,
  now: number,
): string {
  const change =
    action.to > action.from
      ? `added ${plural(action.to - action.from)}`
      : `removed ${plural(action.from - action.to)}`
  return `Autoscale ${change} at ${clockText(new Date(action.at).toISOString(), now)}: ${autoscaleReason(setting, action)}`
}

export interface ObservedChange {
  at: number
  from: number
  to: number
}

const windowMs = 5 * 60_000

/** The pool's activity list, newest first, at most `limit` entries. */
export function activityOf(input: {
  poolName: string
  scaleSetTags: Record<string, string> | undefined
  setting: AutoscaleSettingResource | undefined
  autoscale: readonly AutoscaleAction[]
  observed: readonly ObservedChange[]
  now: number
  limit?: number
}): PoolActivity[] {
  const { poolName, setting, now } = input
  const entries: PoolActivity[] = []
  const people = [lastChangeOf(input.scaleSetTags), lastChangeOf(setting?.tags)].filter(
    (c): c is NonNullable<typeof c> => c !== undefined,
  )
  for (const change of people)
    entries.push({
      at: change.at,
      who: 'person',
      by: change.by,
      text: `${change.by} ${describeChange(change, poolName)}`,
    })
  for (const action of input.autoscale)
    entries.push({
      at: new Date(action.at).toISOString(),
      who: 'autoscale',
      text: autoscaleText(action, setting, now),
    })
  // A capacity change nobody recorded: neither a person's record nor autoscale's event near it.
  for (const seen of input.observed) {
    const near = (iso: string | number) => Math.abs(new Date(iso).getTime() - seen.at) <= windowMs
    const explained =
      input.autoscale.some((a) => a.to === seen.to && near(a.at)) ||
      people.some(
        (p) =>
          near(p.at) && (p.to === seen.to || (p.kind === 'scaleToZero' && seen.to < seen.from)),
      )
    if (!explained)
      entries.push({
        at: new Date(seen.at).toISOString(),
        who: 'outside',
        text: `Someone outside this app changed ${poolName} from ${seen.from} to ${seen.to}`,
      })
  }
  return entries.sort((a, b) => b.at.localeCompare(a.at)).slice(0, input.limit ?? 8)
}
