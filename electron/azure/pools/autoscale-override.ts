import type { AutoscaleProfile, AutoscaleSettingResource } from '@azure/arm-monitor'
import type { AutoscaleFacts, PoolOverride } from '../../../shared/pool-state'
import { dayIndex, ianaZone, wallClock, zonedTime } from '../../../shared/time-zones'

/**
 * A person's manual size on a pool with autoscale, kept by autoscale itself (DESIGN.md
 * decision 10): a fixed-date profile with minimum = maximum = default = N from now until a
 * chosen time. Azure applies a fixed-date profile whose window contains the moment before any
 * recurrence, and a recurrence before the profile with neither, so while the window lasts
 * autoscale holds the pool at N; afterwards the schedule takes over again. The profile's name
 * says who set it, so every teammate's app can show "Kept at 3 until 20:00 by ada".
 *
 * Pure functions over the autoscale setting, unit-tested.
 */

const marker = 'dsvm-pool override'

export function overrideProfileName(by: string | undefined): string {
  return JSON.stringify({ name: marker, ...(by ? { by: by.slice(0, 120) } : {}) })
}

export function isOverrideProfile(profile: AutoscaleProfile): boolean {
  if (!profile.fixedDate) return false
  try {
    return (JSON.parse(profile.name) as { name?: unknown }).name === marker
  } catch {
    return false
  }
}

export function overrideProfile(
  capacity: number,
  until: number,
  by: string | undefined,
  now: number,
): AutoscaleProfile {
  const n = String(capacity)
  return {
    name: overrideProfileName(by),
    capacity: { minimum: n, maximum: n, default: n },
    rules: [],
    fixedDate: {
      timeZone: 'UTC',
      // A minute back so the profile is in force at the very next evaluation.
      start: new Date(now - 60_000),
      end: new Date(until),
    },
  }
}

/** A fixed-date bound: with an offset it is absolute, without one wall time in `zone`. */
function instantOf(value: Date | string, zone: string): number {
  if (value instanceof Date) return value.getTime()
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) return Date.parse(value)
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value.trim())
  if (!m) return Number.NaN
  return zonedTime({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! }, zone)
}

function windowOf(profile: AutoscaleProfile): { start: number; end: number } | undefined {
  if (!profile.fixedDate) return undefined
  const zone = ianaZone(profile.fixedDate.timeZone) ?? 'UTC'
  return {
    start: instantOf(profile.fixedDate.start, zone),
    end: instantOf(profile.fixedDate.end, zone),
  }
}

const dayMs = 24 * 3_600_000

type Schedule = NonNullable<AutoscaleProfile['recurrence']>['schedule']

/** Starts of a weekly recurrence from a week back to a week ahead of `now`. */
function startsAround(schedule: Schedule, now: number): number[] {
  const zone = ianaZone(schedule.timeZone) ?? 'UTC'
  const days = new Set(schedule.days.map(dayIndex).filter((d): d is number => d !== undefined))
  const starts: number[] = []
  for (let offset = -8; offset <= 8; offset++) {
    const date = wallClock(now + offset * dayMs, zone)
    if (!days.has(date.weekday)) continue
    for (const hour of schedule.hours)
      for (const minute of schedule.minutes.length ? schedule.minutes : [0])
        starts.push(
          zonedTime({ year: date.year, month: date.month, day: date.day, hour, minute }, zone),
        )
  }
  return starts
}

/**
 * The profile Azure applies at `now`, in the order Microsoft documents: a fixed-date profile
 * whose window contains the moment, else the recurrence that started last, else the profile
 * with neither.
 */
export function activeProfile(
  profiles: readonly AutoscaleProfile[],
  now: number,
): AutoscaleProfile | undefined {
  for (const profile of profiles) {
    const window = windowOf(profile)
    if (window && window.start <= now && now < window.end) return profile
  }
  let best: { profile: AutoscaleProfile; at: number } | undefined
  for (const profile of profiles) {
    if (!profile.recurrence) continue
    const last = Math.max(
      ...startsAround(profile.recurrence.schedule, now).filter((at) => at <= now),
    )
    if (Number.isFinite(last) && (!best || last > best.at)) best = { profile, at: last }
  }
  return best?.profile ?? profiles.find((p) => !p.fixedDate && !p.recurrence)
}

/** The next recurrence start after `now` and its profile. */
export function nextRecurrence(
  profiles: readonly AutoscaleProfile[],
  now: number,
): { at: number; profile: AutoscaleProfile } | undefined {
  let best: { at: number; profile: AutoscaleProfile } | undefined
  for (const profile of profiles) {
    if (!profile.recurrence) continue
    const next = Math.min(
      ...startsAround(profile.recurrence.schedule, now).filter((at) => at > now),
    )
    if (Number.isFinite(next) && (!best || next < best.at)) best = { at: next, profile }
  }
  return best
}

export function overrideOf(profile: AutoscaleProfile): PoolOverride | undefined {
  if (!isOverrideProfile(profile)) return undefined
  const window = windowOf(profile)!
  let by: string | undefined
  try {
    const parsed = JSON.parse(profile.name) as { by?: unknown }
    if (typeof parsed.by === 'string') by = parsed.by
  } catch {
    // isOverrideProfile parsed it already
  }
  return {
    capacity: Number(profile.capacity.default),
    until: new Date(window.end).toISOString(),
    ...(by ? { by } : {}),
  }
}

/** What the derived pool state needs to know of the autoscale setting at `now`. */
export function autoscaleFacts(setting: AutoscaleSettingResource, now: number): AutoscaleFacts {
  const profiles = setting.profiles ?? []
  const active = activeProfile(profiles, now)
  const next = nextRecurrence(profiles, now)
  const override = active ? overrideOf(active) : undefined
  const bounds = (p: AutoscaleProfile) => ({
    minimum: Number(p.capacity.minimum),
    maximum: Number(p.capacity.maximum),
    default: Number(p.capacity.default),
  })
  return {
    enabled: setting.enabled !== false,
    ...(active ? { active: { ...bounds(active), fixedDate: active.fixedDate !== undefined } } : {}),
    ...(override ? { override } : {}),
    ...(next
      ? {
          next: {
            at: new Date(next.at).toISOString(),
            maximum: bounds(next.profile).maximum,
            default: bounds(next.profile).default,
          },
        }
      : {}),
  }
}

/** The setting's profiles without the app's overrides (a new one replaces any before it). */
export function withoutOverrides(profiles: readonly AutoscaleProfile[]): AutoscaleProfile[] {
  return profiles.filter((p) => !isOverrideProfile(p))
}
