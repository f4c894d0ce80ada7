import type { AutoscaleProfile, AutoscaleSettingResource } from '@azure/arm-monitor'
import { describe, expect, it } from 'vitest'
import { activityOf, autoscaleReason, evictionGroups } from '../../../electron/azure/pools/activity'
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

describe('Spot evictions', () => {
  const now = at('2026-12-07T19:00:00Z')
  const eviction = (id: string, iso: string) => ({ id, at: at(iso) })

  it('are one entry per burst, in words that say what became of the instances', () => {
    const evictions = [
      eviction('a', '2026-12-07T14:05:00Z'),
      eviction('b', '2026-12-07T14:05:20Z'),
      eviction('c', '2026-12-07T16:30:00Z'),
    ]
    expect(evictionGroups(evictions).map((g) => g.map((e) => e.id))).toEqual([['a', 'b'], ['c']])
    const list = activityOf({
      poolName: 'gpu-pool',
      scaleSetTags: undefined,
      setting: undefined,
      autoscale: [],
      evictions,
      evictionPolicy: 'Deallocate',
      observed: [],
      now,
    })
    expect(list.map(({ who, text }) => ({ who, text }))).toEqual([
      {
        who: 'eviction',
        text: 'Azure evicted 1 Spot instance at 16:30: it needed the capacity back; it is stopped until started again',
      },
      {
        who: 'eviction',
        text: 'Azure evicted 2 Spot instances at 14:05: it needed the capacity back; they are stopped until started again',
      },
    ])
  })

  it('explain a drop in capacity near them (Delete policy), not a rise', () => {
    const list = activityOf({
      poolName: 'gpu-pool',
      scaleSetTags: undefined,
      setting: undefined,
      autoscale: [],
      evictions: [eviction('a', '2026-12-07T14:05:00Z')],
      evictionPolicy: 'Delete',
      observed: [
        { at: at('2026-12-07T14:06:00Z'), from: 2, to: 1 },
        { at: at('2026-12-07T14:07:00Z'), from: 1, to: 2 },
      ],
      now,
    })
    expect(list.map((e) => e.who)).toEqual(['outside', 'eviction'])
    expect(list[1]!.text).toMatch(/; it was deleted$/)
  })
})
