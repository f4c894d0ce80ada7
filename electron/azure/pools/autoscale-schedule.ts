import { createHash } from 'node:crypto'
import type { AutoscaleProfile, AutoscaleSettingResource, ScaleRule } from '@azure/arm-monitor'
import { weekdays, type Weekday } from '../../../shared/pool-spec'
import type { AutoscaleSchedule } from '../../../shared/pools'
import { dayIndex, ianaZone, wallClock, zonedTime } from '../../../shared/time-zones'
import { withoutOverrides } from './autoscale-override'

/**
 * The autoscale editor's model ↔ a Microsoft.Insights autoscale setting, the way the pool
 * template and the demo write it: a capacity range with two CPU rules; with working hours, a
 * weekly profile that starts at the start time and an "Off hours" profile (0 instances) that
 * starts at the end time on the same days (a recurrence lasts until the next one starts, so
 * Friday's off hours run through the weekend). Pure functions, unit-tested.
 */

export const workingHoursProfileName = 'Working hours'
/** Azure's portal names a schedule's closing profile with this JSON; so does the template. */
export const offHoursProfileName = JSON.stringify({
  name: 'Off hours',
  for: workingHoursProfileName,
})
const loadProfileName = 'Load'

export const defaultScaleRules: Pick<
  AutoscaleSchedule,
  'scaleOut' | 'scaleIn' | 'cooldownMinutes'
> = {
  scaleOut: { cpuAbovePercent: 75, minutes: 10, by: 1 },
  scaleIn: { cpuBelowPercent: 20, minutes: 10, by: 1 },
  cooldownMinutes: 10,
}

const minutesOf = (duration: string | undefined): number | undefined => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/i.exec(duration ?? '')
  if (!m) return undefined
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)
}
const isoMinutes = (minutes: number) => `PT${minutes}M`
const pad = (n: number) => String(n).padStart(2, '0')
const parseTime = (time: string) => time.split(':').map(Number) as [number, number]

function cpuRule(
  scaleSetId: string,
  direction: 'Increase' | 'Decrease',
  threshold: number,
  minutes: number,
  by: number,
  cooldownMinutes: number,
): ScaleRule {
  return {
    metricTrigger: {
      metricName: 'Percentage CPU',
      metricNamespace: 'microsoft.compute/virtualmachinescalesets',
      metricResourceUri: scaleSetId,
      timeGrain: 'PT1M',
      statistic: 'Average',
      timeWindow: isoMinutes(minutes),
      timeAggregation: 'Average',
      operator: direction === 'Increase' ? 'GreaterThan' : 'LessThan',
      threshold,
    },
    scaleAction: {
      direction,
      type: 'ChangeCount',
      value: String(by),
      cooldown: isoMinutes(cooldownMinutes),
    },
  }
}

export function profilesFor(schedule: AutoscaleSchedule, scaleSetId: string): AutoscaleProfile[] {
  const rules = [
    cpuRule(
      scaleSetId,
      'Increase',
      schedule.scaleOut.cpuAbovePercent,
      schedule.scaleOut.minutes,
      schedule.scaleOut.by,
      schedule.cooldownMinutes,
    ),
    cpuRule(
      scaleSetId,
      'Decrease',
      schedule.scaleIn.cpuBelowPercent,
      schedule.scaleIn.minutes,
      schedule.scaleIn.by,
      schedule.cooldownMinutes,
    ),
  ]
  const capacity = {
    minimum: String(schedule.minimum),
    default: String(schedule.default),
    maximum: String(schedule.maximum),
  }
  const hours = schedule.workingHours
  if (!hours) return [{ name: loadProfileName, capacity, rules }]
  const at = (time: string) => {
    const [hour, minute] = parseTime(time)
    return {
      frequency: 'Week' as const,
      schedule: {
        timeZone: hours.timeZone,
        days: [...hours.days],
        hours: [hour],
        minutes: [minute],
      },
    }
  }
  return [
    { name: workingHoursProfileName, capacity, rules, recurrence: at(hours.start) },
    {
      name: offHoursProfileName,
      capacity: { minimum: '0', default: '0', maximum: '0' },
      rules: [],
      recurrence: at(hours.end),
    },
  ]
}

const isZero = (p: AutoscaleProfile) => Number(p.capacity.maximum) === 0

export interface ReadSchedule {
  schedule: AutoscaleSchedule
  /** Parts of the setting the editor does not show. */
  note?: string
}

/** The editor's view of a setting; what it cannot express is named in `note`. */
export function scheduleOf(setting: AutoscaleSettingResource): ReadSchedule {
  // The app's own overrides (a manual size kept for a while) are not part of the schedule.
  const profiles = withoutOverrides(setting.profiles ?? [])
  const notes: string[] = []
  const main = profiles.find((p) => !isZero(p) && !p.fixedDate) ?? profiles[0]
  const off = profiles.find((p) => p !== main && isZero(p) && p.recurrence)
  if (profiles.some((p) => p.fixedDate)) notes.push('fixed-date profiles')
  if (profiles.filter((p) => !isZero(p)).length > 1) notes.push('more than one capacity profile')
  const out = main?.rules.find((r) => r.scaleAction.direction === 'Increase')
  const inRule = main?.rules.find((r) => r.scaleAction.direction === 'Decrease')
  const cooldown = minutesOf(out?.scaleAction.cooldown) ?? minutesOf(inRule?.scaleAction.cooldown)
  const schedule: AutoscaleSchedule = {
    enabled: setting.enabled !== false,
    minimum: Number(main?.capacity.minimum ?? 0),
    default: Number(main?.capacity.default ?? 0),
    maximum: Number(main?.capacity.maximum ?? 0),
    scaleOut: out
      ? {
          cpuAbovePercent: out.metricTrigger.threshold,
          minutes: minutesOf(out.metricTrigger.timeWindow) ?? 10,
          by: Number(out.scaleAction.value ?? 1),
        }
      : defaultScaleRules.scaleOut,
    scaleIn: inRule
      ? {
          cpuBelowPercent: inRule.metricTrigger.threshold,
          minutes: minutesOf(inRule.metricTrigger.timeWindow) ?? 10,
          by: Number(inRule.scaleAction.value ?? 1),
        }
      : defaultScaleRules.scaleIn,
    cooldownMinutes: cooldown ?? defaultScaleRules.cooldownMinutes,
  }
  const start = main?.recurrence?.schedule
  const end = off?.recurrence?.schedule
  if (start && end) {
    const days = start.days
      .map((d) => weekdays.find((w) => w.toLowerCase() === d.toLowerCase()))
      .filter((d): d is Weekday => d !== undefined)
    schedule.workingHours = {
      days,
      start: `${pad(start.hours[0] ?? 0)}:${pad(start.minutes[0] ?? 0)}`,
      end: `${pad(end.hours[0] ?? 0)}:${pad(end.minutes[0] ?? 0)}`,
      timeZone: start.timeZone,
    }
  } else if (start) notes.push('a weekly profile without off hours')
  if ((main?.rules.length ?? 0) > 2) notes.push('more than two rules')
  return notes.length
    ? {
        schedule,
        note: `This setting also has ${notes.join(', ')}, which the editor replaces when you save.`,
      }
    : { schedule }
}

/** A short fingerprint of what the editor shows, to notice a teammate's change before saving. */
export function settingVersion(setting: AutoscaleSettingResource): string {
  const { schedule } = scheduleOf(setting)
  return createHash('sha256').update(JSON.stringify(schedule)).digest('hex').slice(0, 16)
}

/** Editor fields that differ between two schedules, in words ("maximum 5 → 8"). */
export function scheduleChanges(before: AutoscaleSchedule, after: AutoscaleSchedule): string[] {
  const flat = (s: AutoscaleSchedule): Record<string, string> => ({
    'switched on': String(s.enabled),
    minimum: String(s.minimum),
    default: String(s.default),
    maximum: String(s.maximum),
    'working days': s.workingHours?.days.join(', ') ?? 'all week',
    'working hours': s.workingHours ? `${s.workingHours.start}–${s.workingHours.end}` : 'none',
    'time zone': s.workingHours?.timeZone ?? '—',
    'scale out above': `${s.scaleOut.cpuAbovePercent}% for ${s.scaleOut.minutes} min`,
    'scale in below': `${s.scaleIn.cpuBelowPercent}% for ${s.scaleIn.minutes} min`,
    cooldown: `${s.cooldownMinutes} min`,
  })
  const a = flat(before)
  const b = flat(after)
  return Object.keys(a)
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${a[k]} → ${b[k]}`)
}

const dayMs = 24 * 3_600_000

/** The next moment a weekly recurrence starts after `now`. */
function nextStart(
  schedule: { timeZone?: string; days: string[]; hours: number[]; minutes: number[] },
  now: number,
): number | undefined {
  const zone = ianaZone(schedule.timeZone) ?? 'UTC'
  const days = new Set(schedule.days.map(dayIndex).filter((d): d is number => d !== undefined))
  let next: number | undefined
  for (let ahead = 0; ahead <= 8; ahead++) {
    const date = wallClock(now + ahead * dayMs, zone)
    if (!days.has(date.weekday)) continue
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes.length ? schedule.minutes : [0]) {
        const at = zonedTime(
          { year: date.year, month: date.month, day: date.day, hour, minute },
          zone,
        )
        if (at > now && (next === undefined || at < next)) next = at
      }
    }
  }
  return next
}

const weekdayShort = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** "Scales to 0 at 18:00 (Eastern Standard Time)" / "Scales up to 2 on Monday at 08:00 (…)". */
export function nextChangeText(setting: AutoscaleSettingResource, now: number): string | undefined {
  if (setting.enabled === false) return undefined
  let best: { at: number; profile: AutoscaleProfile } | undefined
  for (const profile of setting.profiles ?? []) {
    if (!profile.recurrence) continue
    const at = nextStart(profile.recurrence.schedule, now)
    if (at !== undefined && (!best || at < best.at)) best = { at, profile }
  }
  if (!best) return undefined
  const timeZone = best.profile.recurrence!.schedule.timeZone
  const zone = ianaZone(timeZone) ?? 'UTC'
  const when = wallClock(best.at, zone)
  const today = wallClock(now, zone)
  const sameDay = when.year === today.year && when.month === today.month && when.day === today.day
  const time = `${pad(when.hour)}:${pad(when.minute)}`
  const day = sameDay ? '' : ` on ${weekdayShort[when.weekday]}`
  const target = isZero(best.profile)
    ? 'Scales to 0'
    : `Scales up to ${best.profile.capacity.default}`
  return `${target}${day} at ${time} (${timeZone})`
}
