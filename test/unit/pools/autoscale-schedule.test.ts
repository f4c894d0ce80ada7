import type { AutoscaleSettingResource } from '@azure/arm-monitor'
import { describe, expect, it } from 'vitest'
import {
  nextChangeText,
  offHoursProfileName,
  profilesFor,
  scheduleChanges,
  scheduleOf,
  settingVersion,
} from '../../../electron/azure/pools/autoscale-schedule'
import { autoscaleScheduleSchema, type AutoscaleSchedule } from '../../../shared/pools'

const target =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/pool'

const schedule: AutoscaleSchedule = {
  enabled: true,
  minimum: 1,
  default: 2,
  maximum: 6,
  workingHours: {
    days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
    start: '08:30',
    end: '18:00',
    timeZone: 'W. Europe Standard Time',
  },
  scaleOut: { cpuAbovePercent: 70, minutes: 10, by: 2 },
  scaleIn: { cpuBelowPercent: 25, minutes: 15, by: 1 },
  cooldownMinutes: 20,
}

const setting = (s: AutoscaleSchedule): AutoscaleSettingResource => ({
  location: 'westeurope',
  enabled: s.enabled,
  targetResourceUri: target,
  profiles: profilesFor(s, target),
})

describe('autoscale schedule ↔ setting', () => {
  it('writes a working-hours profile with CPU rules and an off-hours profile at zero', () => {
    const [work, off] = profilesFor(schedule, target)
    expect(work).toMatchObject({
      name: 'Working hours',
      capacity: { minimum: '1', default: '2', maximum: '6' },
      recurrence: {
        frequency: 'Week',
        schedule: { timeZone: 'W. Europe Standard Time', hours: [8], minutes: [30] },
      },
    })
    expect(
      work!.rules.map((r) => [
        r.metricTrigger.operator,
        r.metricTrigger.threshold,
        r.metricTrigger.timeWindow,
        r.scaleAction.direction,
        r.scaleAction.value,
        r.scaleAction.cooldown,
      ]),
    ).toEqual([
      ['GreaterThan', 70, 'PT10M', 'Increase', '2', 'PT20M'],
      ['LessThan', 25, 'PT15M', 'Decrease', '1', 'PT20M'],
    ])
    expect(work!.rules[0]!.metricTrigger.metricResourceUri).toBe(target)
    expect(off).toMatchObject({
      name: offHoursProfileName,
      capacity: { minimum: '0', default: '0', maximum: '0' },
      rules: [],
      recurrence: { schedule: { hours: [18], minutes: [0] } },
    })
  })

  it('reads back exactly what it wrote, with or without working hours', () => {
    expect(scheduleOf(setting(schedule))).toEqual({ schedule })
    const { workingHours: _w, ...allWeek } = schedule
    const [only] = profilesFor(allWeek, target)
    expect(only!.recurrence).toBeUndefined()
    expect(scheduleOf(setting(allWeek))).toEqual({ schedule: allWeek })
  })

  it('names the parts of a setting it cannot show', () => {
    const s = setting(schedule)
    s.profiles.push({
      name: 'Launch day',
      capacity: { minimum: '5', default: '5', maximum: '10' },
      rules: [],
      fixedDate: {
        timeZone: 'UTC',
        start: new Date('2026-12-01T00:00:00Z'),
        end: new Date('2026-12-02T00:00:00Z'),
      },
    })
    expect(scheduleOf(s).note).toMatch(/fixed-date profiles/)
  })

  it('has a version that changes when what the editor shows changes', () => {
    const a = settingVersion(setting(schedule))
    expect(settingVersion(setting(schedule))).toBe(a)
    expect(settingVersion(setting({ ...schedule, maximum: 8 }))).not.toBe(a)
  })

  it('says what a teammate changed', () => {
    expect(scheduleChanges(schedule, { ...schedule, maximum: 8, cooldownMinutes: 5 })).toEqual([
      'maximum 6 → 8',
      'cooldown 20 min → 5 min',
    ])
  })

  it('refuses a range out of order, hours that end before they start, and flapping rules', () => {
    expect(autoscaleScheduleSchema.safeParse({ ...schedule, minimum: 3, default: 2 }).success).toBe(
      false,
    )
    expect(
      autoscaleScheduleSchema.safeParse({
        ...schedule,
        workingHours: { ...schedule.workingHours!, end: '08:00' },
      }).success,
    ).toBe(false)
    expect(
      autoscaleScheduleSchema.safeParse({
        ...schedule,
        scaleIn: { ...schedule.scaleIn, cpuBelowPercent: 80 },
      }).success,
    ).toBe(false)
  })
})

describe('the next scheduled change', () => {
  const utc: AutoscaleSchedule = {
    ...schedule,
    workingHours: { ...schedule.workingHours!, timeZone: 'UTC', start: '08:00', end: '19:00' },
  }
  it('in working hours: scales to 0 at the end time, today', () => {
    // Wednesday 2026-11-25 12:00 UTC
    expect(nextChangeText(setting(utc), Date.parse('2026-11-25T12:00:00Z'))).toBe(
      'Scales to 0 at 19:00 (UTC)',
    )
  })
  it('on Friday evening: scales up on Monday morning', () => {
    expect(nextChangeText(setting(utc), Date.parse('2026-11-27T20:00:00Z'))).toBe(
      'Scales up to 2 on Monday at 08:00 (UTC)',
    )
  })
  it('in the zone of the schedule', () => {
    // 12:00 UTC is 13:00 in Berlin; the end is 18:00 Berlin time.
    expect(nextChangeText(setting(schedule), Date.parse('2026-11-25T12:00:00Z'))).toBe(
      'Scales to 0 at 18:00 (W. Europe Standard Time)',
    )
  })
  it('nothing when autoscale is off or there is no schedule', () => {
    expect(nextChangeText(setting({ ...utc, enabled: false }), Date.now())).toBeUndefined()
    const { workingHours: _w, ...allWeek } = utc
    expect(nextChangeText(setting(allWeek), Date.now())).toBeUndefined()
  })
})
