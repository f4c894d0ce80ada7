import { describe, expect, it } from 'vitest'
import {
  describeChange,
  scaleSetChangedBy,
  whenText,
  withChange,
} from '../../../electron/azure/pools/change-record'
import {
  decodePoolChange,
  encodePoolChange,
  lastChangeTag,
  tagValueLimit,
  type PoolChange,
} from '../../../shared/pool-tags'

const at = '2026-11-28T14:02:00.000Z'
const ada: PoolChange = { by: 'ada@contoso.example', kind: 'scaleToZero', from: 3, at }

describe('the dsvm-pool-last-change tag', () => {
  it('round-trips a change as compact JSON', () => {
    const value = encodePoolChange(ada)
    expect(value).toBe(
      '{"by":"ada@contoso.example","kind":"scaleToZero","from":3,"at":"2026-11-28T14:02:00.000Z"}',
    )
    expect(decodePoolChange(value)).toEqual(ada)
  })

  it("stays within Azure's 256 characters however long the name", () => {
    for (const by of ['a'.repeat(1000), '"'.repeat(500), '\\'.repeat(300), '€'.repeat(400)]) {
      const value = encodePoolChange({ by, kind: 'scale', from: 9999, to: 10000, at })
      expect(value.length).toBeLessThanOrEqual(tagValueLimit)
      const decoded = decodePoolChange(value)
      expect(decoded).toMatchObject({ kind: 'scale', from: 9999, to: 10000, at })
      expect(by.startsWith(decoded!.by)).toBe(true)
    }
  })

  it('strips control and direction-override characters from names', () => {
    const value = encodePoolChange({ ...ada, by: 'mallory\u202e\n\u0000@contoso.example' })
    expect(decodePoolChange(value)?.by).toBe('mallory@contoso.example')
    const hostile = JSON.stringify({ ...ada, by: 'eve\u001b[31m\u2066' })
    expect(decodePoolChange(hostile)?.by).toBe('eve[31m')
  })

  it('ignores values the app did not write', () => {
    const hostile = [
      undefined,
      '',
      'ada scaled it',
      '{"by":"ada"',
      'null',
      '[]',
      '"text"',
      JSON.stringify({ ...ada, kind: 'deletedEverything' }),
      JSON.stringify({ ...ada, by: 42 }),
      JSON.stringify({ ...ada, by: '\u0000\n ' }),
      JSON.stringify({ ...ada, at: 'yesterday' }),
      JSON.stringify({ ...ada, at: '2026-13-45T99:99:99Z' }),
      JSON.stringify({ ...ada, by: 'x'.repeat(300) }),
      `{"__proto__":{"polluted":true},${JSON.stringify(ada).slice(1)}`,
    ]
    for (const value of hostile.slice(0, -1)) expect(decodePoolChange(value)).toBeUndefined()
    expect(decodePoolChange(hostile.at(-1))).toEqual(ada)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('drops capacities that are not small whole numbers', () => {
    const value = JSON.stringify({ ...ada, from: -1, to: 1.5 })
    expect(decodePoolChange(value)).toEqual({ by: ada.by, kind: 'scaleToZero', at })
    expect(encodePoolChange({ ...ada, from: Number.NaN })).not.toContain('from')
  })

  it('is added to the tags a write sends, keeping the others', () => {
    const tags = withChange(
      { 'dsvm-pool': 'team-pool' },
      { by: 'grace@contoso.example', now: () => Date.parse(at) },
      { kind: 'scale', from: 3, to: 4 },
    )
    expect(tags['dsvm-pool']).toBe('team-pool')
    expect(decodePoolChange(tags[lastChangeTag])).toEqual({
      by: 'grace@contoso.example',
      kind: 'scale',
      from: 3,
      to: 4,
      at,
    })
  })
})

describe('who changed a pool, in words', () => {
  const clock = Date.parse(at) + 60_000
  const local = whenText(at, clock)
  const tagged = (change: PoolChange) => ({ [lastChangeTag]: encodePoolChange(change) })

  it('says what each kind of change did', () => {
    expect(describeChange(ada, 'team-pool')).toBe('scaled team-pool to zero')
    expect(describeChange({ ...ada, kind: 'scale', to: 5 }, 'team-pool')).toBe(
      'scaled team-pool from 3 to 5',
    )
    expect(describeChange({ ...ada, kind: 'restoreFromZero', to: 3 }, 'p')).toBe(
      'brought p back from zero (3 instances)',
    )
    expect(describeChange({ ...ada, kind: 'schedule' }, 'p')).toBe(
      'changed the autoscale schedule of p',
    )
    expect(describeChange({ by: 'g', kind: 'budget', at }, 'p')).toBe(
      'changed the monthly budget of p',
    )
  })

  it('gives the local time, and the day when it was not today', () => {
    expect(local).toMatch(/^at \d{2}:\d{2}$/)
    expect(whenText(at, clock + 3 * 86_400_000)).toMatch(/^on \d{1,2} Nov at \d{2}:\d{2}$/)
  })

  it('names the writer the app recorded', () => {
    const text = scaleSetChangedBy({
      poolName: 'team-pool',
      seen: { capacity: 3, tags: {} },
      now: { capacity: 0, tags: tagged(ada) },
      autoscaleEnabled: true,
      changes: ['capacity 3 → 0'],
      clock,
    })
    expect(text).toBe(`ada@contoso.example scaled team-pool to zero ${local} (capacity 3 → 0)`)
  })

  it('adds a later capacity change that the record does not explain', () => {
    const grace: PoolChange = { by: 'grace@contoso.example', kind: 'scale', from: 3, to: 4, at }
    const text = scaleSetChangedBy({
      poolName: 'team-pool',
      seen: { capacity: 3 },
      now: { capacity: 6, tags: tagged(grace) },
      autoscaleEnabled: true,
      changes: ['capacity 3 → 6'],
      clock,
    })
    expect(text).toMatch(/^grace@contoso\.example scaled team-pool from 3 to 4 at/)
    expect(text).toMatch(/since then autoscale changed the capacity to 6$/)
  })

  it('says autoscale when only the capacity changed and autoscale is on', () => {
    const unchanged = tagged(ada)
    const input = {
      poolName: 'team-pool',
      seen: { capacity: 3, tags: unchanged },
      now: { capacity: 5, tags: unchanged },
      changes: ['capacity 3 → 5'],
      clock,
    }
    expect(scaleSetChangedBy({ ...input, autoscaleEnabled: true })).toBe(
      'Autoscale changed team-pool (capacity 3 → 5)',
    )
    expect(scaleSetChangedBy({ ...input, autoscaleEnabled: undefined })).toBe(
      'Autoscale or someone outside this app changed team-pool (capacity 3 → 5)',
    )
    expect(scaleSetChangedBy({ ...input, autoscaleEnabled: false })).toBe(
      'Someone outside this app changed team-pool (capacity 3 → 5)',
    )
  })

  it('says someone outside this app for other changes without a record', () => {
    expect(
      scaleSetChangedBy({
        poolName: 'team-pool',
        seen: { capacity: 3, tags: {} },
        now: { capacity: 3, tags: { owner: 'x' } },
        autoscaleEnabled: true,
        changes: ['tag owner (none) → x'],
        clock,
      }),
    ).toBe('Someone outside this app changed team-pool (tag owner (none) → x)')
  })
})
