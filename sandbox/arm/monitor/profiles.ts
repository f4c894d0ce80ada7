import { dayIndex, ianaZone, wallClock, zonedTime } from '../../../shared/time-zones'

/**
 * Which autoscale profile is in force at a moment, the way Azure decides: a fixed-date profile
 * whose window contains the moment wins; otherwise the recurrence profile that started most
 * recently (recurrences have no end: they last until another one starts); otherwise the
 * profile with neither (the default).
 */

export interface Recurrence {
  frequency?: string
  schedule: { timeZone?: string; days: string[]; hours: number[]; minutes: number[] }
}

export interface FixedDate {
  timeZone?: string
  start: string
  end: string
}

export interface MetricTrigger {
  metricName: string
  metricNamespace?: string
  metricResourceUri: string
  timeGrain: string
  statistic: string
  timeWindow: string
  timeAggregation: string
  operator: string
  threshold: number
  dividePerInstance?: boolean
}

export interface ScaleAction {
  direction: 'Increase' | 'Decrease' | 'None'
  type: 'ChangeCount' | 'PercentChangeCount' | 'ExactCount' | 'ServiceAllowedNextValue'
  value?: string
  cooldown: string
}

export interface ScaleRule {
  metricTrigger: MetricTrigger
  scaleAction: ScaleAction
}

export interface AutoscaleProfile {
  name: string
  capacity: { minimum: string; maximum: string; default: string }
  rules: ScaleRule[]
  fixedDate?: FixedDate
  recurrence?: Recurrence
}

const weekMs = 7 * 24 * 3_600_000
const dayMs = 24 * 3_600_000

/** A fixed-date bound: with an offset it is absolute, without one it is wall time in `zone`. */
export function fixedDateInstant(value: string, zone: string): number {
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) return Date.parse(value)
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value.trim())
  if (!m) return Number.NaN
  return zonedTime({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! }, zone)
}

/** The most recent start of a weekly recurrence at or before `now` (within the last week). */
export function lastRecurrenceStart(recurrence: Recurrence, now: number): number | undefined {
  const zone = ianaZone(recurrence.schedule.timeZone) ?? 'UTC'
  const days = new Set(
    recurrence.schedule.days.map(dayIndex).filter((d): d is number => d !== undefined),
  )
  let latest: number | undefined
  for (let back = 0; back <= 7; back++) {
    const date = wallClock(now - back * dayMs, zone)
    if (!days.has(date.weekday)) continue
    for (const hour of recurrence.schedule.hours) {
      for (const minute of recurrence.schedule.minutes.length ? recurrence.schedule.minutes : [0]) {
        const start = zonedTime(
          { year: date.year, month: date.month, day: date.day, hour, minute },
          zone,
        )
        if (start <= now && now - start <= weekMs && (latest === undefined || start > latest))
          latest = start
      }
    }
  }
  return latest
}

export function activeProfile(
  profiles: AutoscaleProfile[],
  now: number,
): AutoscaleProfile | undefined {
  for (const profile of profiles) {
    if (!profile.fixedDate) continue
    const zone = ianaZone(profile.fixedDate.timeZone) ?? 'UTC'
    const start = fixedDateInstant(profile.fixedDate.start, zone)
    const end = fixedDateInstant(profile.fixedDate.end, zone)
    if (start <= now && now < end) return profile
  }
  let best: { profile: AutoscaleProfile; start: number } | undefined
  for (const profile of profiles) {
    if (!profile.recurrence) continue
    const start = lastRecurrenceStart(profile.recurrence, now)
    if (start !== undefined && (!best || start > best.start)) best = { profile, start }
  }
  if (best) return best.profile
  return profiles.find((p) => !p.fixedDate && !p.recurrence)
}

export function capacityOf(profile: AutoscaleProfile): {
  minimum: number
  maximum: number
  default: number
} {
  return {
    minimum: Number(profile.capacity.minimum),
    maximum: Number(profile.capacity.maximum),
    default: Number(profile.capacity.default),
  }
}
