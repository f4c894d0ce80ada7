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
 * profile in force then), a Spot eviction (Azure taking its capacity back, which the Activity
 * Log records on the scale set as Microsoft.Compute/virtualMachineScaleSets/evictSpotVM/action),
 * or someone outside this app (a capacity change the poller saw that none of these explains).
 */

export interface AutoscaleAction {
  id: string
  at: number
  from: number
  to: number
}

/** Azure evicted one of the pool's Spot instances. */
export interface SpotEviction {
  id: string
  at: number
}

const evictionOperation = 'microsoft.compute/virtualmachinescalesets/evictspotvm/action'

/**
 * The Activity Log events of the pool's group since `since` that change its size without a
 * person: the autoscale engine's finished scale actions and Spot evictions. One read of the
 * group serves both.
 */
export async function readPoolEvents(
  clients: PoolClients,
  record: PoolRecord,
  since: number,
): Promise<{ autoscale: AutoscaleAction[]; evictions: SpotEviction[] }> {
  const filter = `eventTimestamp ge '${new Date(since).toISOString()}' and resourceGroupName eq '${record.resourceGroup}'`
  const events = await collect(clients.monitor.activityLogs.list(filter))
  const succeeded = events.filter((e) => e.status?.value === 'Succeeded')
  const on = (id: string | undefined) => (e: (typeof events)[number]) =>
    id !== undefined && e.resourceId?.toLowerCase() === id.toLowerCase()
  const autoscale = succeeded
    .filter((e) => e.category?.value === 'Autoscale')
    .filter(on(record.autoscaleId))
    .map((e) => ({
      id: e.eventDataId ?? e.id ?? '',
      at: e.eventTimestamp?.getTime() ?? 0,
      from: Number(e.properties?.OldInstancesCount),
      to: Number(e.properties?.NewInstancesCount),
    }))
    .filter((a) => Number.isInteger(a.from) && Number.isInteger(a.to))
  const evictions = succeeded
    .filter((e) => e.operationName?.value?.toLowerCase() === evictionOperation)
    .filter(on(record.id))
    .map((e) => ({ id: e.eventDataId ?? e.id ?? '', at: e.eventTimestamp?.getTime() ?? 0 }))
  return { autoscale, evictions }
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

const windowMs = 5 * 60_000

/** Evictions within a few minutes of each other are one event for the person. */
export function evictionGroups(evictions: readonly SpotEviction[]): SpotEviction[][] {
  const groups: SpotEviction[][] = []
  for (const eviction of [...evictions].sort((a, b) => a.at - b.at)) {
    const last = groups.at(-1)
    if (last && eviction.at - last[0]!.at <= windowMs) last.push(eviction)
    else groups.push([eviction])
  }
  return groups
}

export function evictionText(
  group: readonly SpotEviction[],
  evictionPolicy: string | undefined,
  now: number,
): string {
  const what = `Azure evicted ${group.length} Spot ${group.length === 1 ? 'instance' : 'instances'} at ${clockText(new Date(group[0]!.at).toISOString(), now)}: it needed the capacity back`
  return evictionPolicy?.toLowerCase() === 'delete'
    ? `${what}; ${group.length === 1 ? 'it was' : 'they were'} deleted`
    : `${what}; ${group.length === 1 ? 'it is' : 'they are'} stopped until started again`
}

export interface ObservedChange {
  at: number
  from: number
  to: number
}

/** The pool's activity list, newest first, at most `limit` entries. */
export function activityOf(input: {
  poolName: string
  scaleSetTags: Record<string, string> | undefined
  setting: AutoscaleSettingResource | undefined
  autoscale: readonly AutoscaleAction[]
  evictions?: readonly SpotEviction[]
  /** The scale set's Spot eviction policy (Deallocate or Delete). */
  evictionPolicy?: string | undefined
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
  const evicted = evictionGroups(input.evictions ?? [])
  for (const group of evicted)
    entries.push({
      at: new Date(group[0]!.at).toISOString(),
      who: 'eviction',
      text: evictionText(group, input.evictionPolicy, now),
    })
  // A capacity change nobody recorded: no person's record, autoscale event or eviction near it.
  for (const seen of input.observed) {
    const near = (iso: string | number) => Math.abs(new Date(iso).getTime() - seen.at) <= windowMs
    const explained =
      input.autoscale.some((a) => a.to === seen.to && near(a.at)) ||
      (seen.to < seen.from && evicted.some((group) => group.some((e) => near(e.at)))) ||
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
