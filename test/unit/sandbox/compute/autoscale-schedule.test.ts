import { describe, expect, it } from 'vitest'
import { capacityAfter, fires } from '../../../../sandbox/arm/monitor/autoscale-engine'
import {
  activeProfile,
  fixedDateInstant,
  lastRecurrenceStart,
  type AutoscaleProfile,
  type ScaleRule,
} from '../../../../sandbox/arm/monitor/profiles'
import { dayIndex, ianaZone, knownWindowsTimeZones, zonedTime } from '../../../../shared/time-zones'

const at = (iso: string) => Date.parse(iso)
const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']

function recurring(
  name: string,
  hour: number,
  timeZone = 'W. Europe Standard Time',
  days = weekdays,
): AutoscaleProfile {
  return {
    name,
    capacity: { minimum: '0', maximum: '5', default: '1' },
    rules: [],
    recurrence: { frequency: 'Week', schedule: { timeZone, days, hours: [hour], minutes: [0] } },
  }
}

describe('time zones', () => {
  it('maps Windows zone names to IANA and accepts IANA names', () => {
    expect(ianaZone('W. Europe Standard Time')).toBe('Europe/Berlin')
    expect(ianaZone('Pacific Standard Time')).toBe('America/Los_Angeles')
    expect(ianaZone('UTC')).toBe('UTC')
    expect(ianaZone('Asia/Tokyo')).toBe('Asia/Tokyo')
    expect(ianaZone('Mars Standard Time')).toBeUndefined()
  })

  it('knows every Windows zone the app can write into a schedule', () => {
    expect(ianaZone('Central Standard Time (Mexico)')).toBe('America/Mexico_City')
    expect(ianaZone('Turkey Standard Time')).toBe('Europe/Istanbul')
    for (const zone of knownWindowsTimeZones) expect(ianaZone(zone), zone).toBeDefined()
  })

  it('turns wall-clock times into instants across daylight saving', () => {
    expect(zonedTime({ year: 2026, month: 1, day: 15, hour: 8, minute: 0 }, 'Europe/Berlin')).toBe(
      at('2026-01-15T07:00:00Z'),
    )
    expect(zonedTime({ year: 2026, month: 7, day: 15, hour: 8, minute: 0 }, 'Europe/Berlin')).toBe(
      at('2026-07-15T06:00:00Z'),
    )
    expect(
      zonedTime({ year: 2026, month: 7, day: 15, hour: 8, minute: 0 }, 'America/Los_Angeles'),
    ).toBe(at('2026-07-15T15:00:00Z'))
  })

  it('reads days by name, short name or number', () => {
    expect(dayIndex('Monday')).toBe(1)
    expect(dayIndex('sun')).toBe(0)
    expect(dayIndex('6')).toBe(6)
    expect(dayIndex('Someday')).toBeUndefined()
  })
})

describe('active profile', () => {
  const working = recurring('Working hours', 8)
  const offHours = {
    ...recurring('Off hours', 18),
    capacity: { minimum: '0', maximum: '0', default: '0' },
  }
  const fallback: AutoscaleProfile = {
    name: 'Default',
    capacity: { minimum: '1', maximum: '1', default: '1' },
    rules: [],
  }

  it('is the recurrence that started last, in its own time zone', () => {
    // Wednesday 2026-07-15, Berlin is UTC+2.
    expect(activeProfile([working, offHours], at('2026-07-15T05:59:00Z'))?.name).toBe('Off hours')
    expect(activeProfile([working, offHours], at('2026-07-15T06:00:00Z'))?.name).toBe(
      'Working hours',
    )
    expect(activeProfile([working, offHours], at('2026-07-15T15:59:00Z'))?.name).toBe(
      'Working hours',
    )
    expect(activeProfile([working, offHours], at('2026-07-15T16:00:00Z'))?.name).toBe('Off hours')
  })

  it('keeps the Friday evening profile through the weekend', () => {
    // Saturday and Sunday have no start of their own: Friday 18:00 still rules.
    expect(activeProfile([working, offHours], at('2026-07-18T12:00:00Z'))?.name).toBe('Off hours')
    expect(lastRecurrenceStart(offHours.recurrence!, at('2026-07-19T12:00:00Z'))).toBe(
      at('2026-07-17T16:00:00Z'),
    )
  })

  it('prefers a fixed date window and falls back to the default profile', () => {
    const holiday: AutoscaleProfile = {
      name: 'Holiday',
      capacity: { minimum: '0', maximum: '0', default: '0' },
      rules: [],
      fixedDate: { timeZone: 'UTC', start: '2026-12-24T00:00:00Z', end: '2026-12-27T00:00:00Z' },
    }
    expect(activeProfile([working, offHours, holiday], at('2026-12-24T09:00:00Z'))?.name).toBe(
      'Holiday',
    )
    expect(activeProfile([holiday, fallback], at('2026-12-28T09:00:00Z'))?.name).toBe('Default')
    expect(
      activeProfile([recurring('Never', 8, 'UTC', []), fallback], at('2026-12-28T09:00:00Z'))?.name,
    ).toBe('Default')
  })

  it('reads fixed dates without an offset as wall time in their zone', () => {
    expect(fixedDateInstant('2026-07-15T08:00:00', 'Europe/Berlin')).toBe(
      at('2026-07-15T06:00:00Z'),
    )
    expect(fixedDateInstant('2026-07-15T08:00:00Z', 'Europe/Berlin')).toBe(
      at('2026-07-15T08:00:00Z'),
    )
  })
})

describe('scale rules', () => {
  const rule = (
    direction: 'Increase' | 'Decrease',
    type: ScaleRule['scaleAction']['type'],
    value: string,
  ): ScaleRule => ({
    metricTrigger: {
      metricName: 'Percentage CPU',
      metricResourceUri: '/x',
      timeGrain: 'PT1M',
      statistic: 'Average',
      timeWindow: 'PT5M',
      timeAggregation: 'Average',
      operator: 'GreaterThan',
      threshold: 70,
    },
    scaleAction: { direction, type, value, cooldown: 'PT5M' },
  })

  it('computes the new capacity for each action type', () => {
    expect(capacityAfter(rule('Increase', 'ChangeCount', '2'), 3)).toBe(5)
    expect(capacityAfter(rule('Decrease', 'ChangeCount', '1'), 3)).toBe(2)
    expect(capacityAfter(rule('Increase', 'PercentChangeCount', '50'), 3)).toBe(5)
    expect(capacityAfter(rule('Decrease', 'PercentChangeCount', '10'), 3)).toBe(2)
    expect(capacityAfter(rule('Increase', 'ExactCount', '7'), 3)).toBe(7)
  })

  it('compares with every operator Monitor offers', () => {
    expect(fires('GreaterThan', 71, 70)).toBe(true)
    expect(fires('GreaterThan', 70, 70)).toBe(false)
    expect(fires('GreaterThanOrEqual', 70, 70)).toBe(true)
    expect(fires('LessThan', 19, 20)).toBe(true)
    expect(fires('LessThanOrEqual', 20, 20)).toBe(true)
    expect(fires('Equals', 5, 5)).toBe(true)
    expect(fires('NotEquals', 5, 5)).toBe(false)
  })
})
