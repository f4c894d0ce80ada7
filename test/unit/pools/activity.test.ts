import type { AutoscaleProfile, AutoscaleSettingResource } from '@azure/arm-monitor'
import { describe, expect, it } from 'vitest'
import { activityOf, autoscaleReason } from '../../../electron/azure/pools/activity'
import { overrideProfile } from '../../../electron/azure/pools/autoscale-override'
import { encodePoolChange, lastChangeTag } from '../../../shared/pool-tags'

/** Who changed a pool's size: a person, autoscale with its reason, or someone outside the app. */

const at = (iso: string) => Date.parse(iso)
const profile = (name: string, hour: number, min: number, max: number): AutoscaleProfile => ({
  name,
  capacity: { minimum: String(min), maximum: String(max), default: String(max) },
  rules: [],
  recurrence: {
    frequency: 'Week',
    schedule: { timeZone: 'UTC', days: ['Monday', 'Tuesday'], hours: [hour], minutes: [0] },
  },
})
const setting = (...profiles: AutoscaleProfile[]) =>
  ({ enabled: true, profiles }) as AutoscaleSettingResource
const schedule = setting(profile('Working hours', 8, 2, 5), profile('Off hours', 18, 0, 0))

describe('why autoscale scaled', () => {
  it('reads the reason from the profile in force then', () => {
    const evening = at('2026-12-07T18:00:30Z')
    expect(autoscaleReason(schedule, { id: 'a', at: evening, from: 3, to: 0 })).toBe(
      'outside working hours',
    )
    const morning = at('2026-12-08T08:00:30Z')
    expect(autoscaleReason(schedule, { id: 'b', at: morning, from: 0, to: 2 })).toBe(
      'working hours began',
    )
    expect(autoscaleReason(schedule, { id: 'c', at: morning + 3_600_000, from: 2, to: 3 })).toBe(
      'CPU load is high',
    )
    expect(autoscaleReason(schedule, { id: 'd', at: morning + 3_600_000, from: 3, to: 2 })).toBe(
      'CPU load is low',
    )
    const kept = setting(
      ...schedule.profiles,
      overrideProfile(4, evening + 3_600_000, 'ada@contoso.example', evening),
    )
    expect(autoscaleReason(kept, { id: 'e', at: evening + 60_000, from: 3, to: 4 })).toBe(
      'kept at 4 by ada@contoso.example',
    )
  })
})

describe('the activity list', () => {
  const now = at('2026-12-07T19:00:00Z')
  it('lists people, autoscale and unexplained changes, newest first', () => {
    const list = activityOf({
      poolName: 'team-pool',
      scaleSetTags: {
        [lastChangeTag]: encodePoolChange({
          by: 'grace@contoso.example',
          kind: 'scale',
          from: 2,
          to: 3,
          at: '2026-12-07T17:00:00.000Z',
        }),
      },
      setting: schedule,
      autoscale: [{ id: 'x', at: at('2026-12-07T18:00:30Z'), from: 3, to: 0 }],
      observed: [
        { at: at('2026-12-07T17:00:20Z'), from: 2, to: 3 },
        { at: at('2026-12-07T18:01:00Z'), from: 3, to: 0 },
        { at: at('2026-12-07T18:40:00Z'), from: 0, to: 1 },
      ],
      now,
    })
    expect(list.map((e) => [e.who, e.text])).toEqual([
      ['outside', 'Someone outside this app changed team-pool from 0 to 1'],
      [
        'autoscale',
        expect.stringMatching(
          /^Autoscale removed 3 instances at \d\d:\d\d: outside working hours$/,
        ),
      ],
      ['person', 'grace@contoso.example scaled team-pool from 2 to 3'],
    ])
  })
})
