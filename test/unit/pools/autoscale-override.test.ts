import type { AutoscaleProfile, AutoscaleSettingResource } from '@azure/arm-monitor'
import { describe, expect, it } from 'vitest'
import {
  activeProfile,
  autoscaleFacts,
  isOverrideProfile,
  overrideProfile,
  withoutOverrides,
} from '../../../electron/azure/pools/autoscale-override'

/** Which profile Azure applies: fixed date first, then the latest recurrence, then the default. */

const at = (iso: string) => Date.parse(iso)
const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']
const eastern = (name: string, hour: number, max: number): AutoscaleProfile => ({
  name,
  capacity: { minimum: String(Math.min(1, max)), maximum: String(max), default: String(max) },
  rules: [],
  recurrence: {
    frequency: 'Week',
    schedule: { timeZone: 'Eastern Standard Time', days: weekdays, hours: [hour], minutes: [0] },
  },
})
const working = eastern('Working hours', 8, 5)
const offHours = eastern('Off hours', 18, 0)

describe('the profile in force', () => {
  it('follows recurrences in their time zone (Eastern, with daylight saving)', () => {
    // 12:30 UTC is 07:30 EST in winter (before working hours) and 08:30 EDT in summer.
    expect(activeProfile([working, offHours], at('2026-12-08T12:30:00Z'))?.name).toBe('Off hours')
    expect(activeProfile([working, offHours], at('2026-07-07T12:30:00Z'))?.name).toBe(
      'Working hours',
    )
    // Friday's off hours last through the weekend.
    expect(activeProfile([working, offHours], at('2026-12-06T15:00:00Z'))?.name).toBe('Off hours')
  })

  it('puts a fixed-date override before any recurrence while its window lasts', () => {
    const now = at('2026-12-06T15:00:00Z')
    const kept = overrideProfile(2, now + 3_600_000, 'ada@contoso.example', now)
    const profiles = [working, offHours, kept]
    expect(activeProfile(profiles, now)).toBe(kept)
    expect(activeProfile(profiles, now + 3_600_000)?.name).toBe('Off hours')
    const facts = autoscaleFacts({ enabled: true, profiles } as AutoscaleSettingResource, now)
    expect(facts.override).toEqual({
      capacity: 2,
      until: '2026-12-06T16:00:00.000Z',
      by: 'ada@contoso.example',
    })
    expect(facts.active).toMatchObject({ maximum: 2, fixedDate: true })
    // Monday 08:00 Eastern.
    expect(facts.next).toEqual({ at: '2026-12-07T13:00:00.000Z', maximum: 5, default: 5 })
  })

  it('tells the app’s overrides from other fixed-date profiles', () => {
    const now = at('2026-12-06T15:00:00Z')
    const holiday: AutoscaleProfile = {
      name: 'Holiday',
      capacity: { minimum: '0', maximum: '0', default: '0' },
      rules: [],
      fixedDate: { timeZone: 'UTC', start: new Date(now), end: new Date(now + 86_400_000) },
    }
    const kept = overrideProfile(3, now + 3_600_000, undefined, now)
    expect(isOverrideProfile(kept)).toBe(true)
    expect(isOverrideProfile(holiday)).toBe(false)
    expect(withoutOverrides([working, kept, holiday])).toEqual([working, holiday])
    expect(
      autoscaleFacts({ enabled: true, profiles: [holiday] } as AutoscaleSettingResource, now)
        .override,
    ).toBeUndefined()
  })
})
