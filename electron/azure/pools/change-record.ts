import {
  decodePoolChange,
  encodePoolChange,
  lastChangeTag,
  type PoolChange,
  type PoolChangeKind,
} from '../../../shared/pool-tags'

/**
 * The app records who changed a pool in the `dsvm-pool-last-change` tag of the resource it
 * writes, in the same request. Azure itself names the caller only in the Activity Log, which
 * the app does not read; this record is what lets a conflict say "ada scaled team-pool to zero
 * at 14:02" instead of "someone".
 */

/** The signed-in person making changes now. */
export interface Author {
  /** User principal name; undefined when the account has none. */
  by: string | undefined
  now(): number
}

/** `tags` with the record of this change, ready to send with the write. */
export function withChange(
  tags: Record<string, string> | undefined,
  author: Author,
  change: { kind: PoolChangeKind; from?: number; to?: number },
): Record<string, string> {
  return {
    ...(tags ?? {}),
    [lastChangeTag]: encodePoolChange({
      by: author.by ?? 'unknown account',
      ...change,
      at: new Date(author.now()).toISOString(),
    }),
  }
}

export const lastChangeOf = (tags: Record<string, string> | undefined): PoolChange | undefined =>
  decodePoolChange(tags?.[lastChangeTag])

/** "scaled team-pool to zero", "scaled team-pool from 3 to 5", … */
export function describeChange(change: PoolChange, poolName: string): string {
  switch (change.kind) {
    case 'scale':
      return change.from !== undefined && change.to !== undefined
        ? `scaled ${poolName} from ${change.from} to ${change.to}`
        : `scaled ${poolName}${change.to !== undefined ? ` to ${change.to}` : ''}`
    case 'scaleToZero':
      return `scaled ${poolName} to zero`
    case 'restoreFromZero':
      return `brought ${poolName} back from zero${change.to !== undefined ? ` (${change.to} instances)` : ''}`
    case 'schedule':
      return `changed the autoscale schedule of ${poolName}`
    case 'budget':
      return `changed the monthly budget of ${poolName}`
    case 'override':
      return `kept ${poolName} at ${change.to ?? '?'} for a while`
    case 'endOverride':
      return `handed ${poolName} back to its autoscale schedule`
    case 'startAll':
      return `started every instance of ${poolName}`
    case 'stopAll':
      return `stopped every instance of ${poolName}`
  }
}

/** "at 14:02" today (local time), "on 27 Nov at 14:02" another day. */
export function whenText(at: string, now: number): string {
  const time = new Date(at)
  const pad = (n: number) => String(n).padStart(2, '0')
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}`
  if (time.toDateString() === new Date(now).toDateString()) return `at ${clock}`
  return `on ${time.getDate()} ${time.toLocaleString('en-GB', { month: 'short' })} at ${clock}`
}

export interface ScaleSetSide {
  capacity: number
  tags?: Record<string, string>
}

/**
 * Who changed a scale set between what the person saw and what Azure has now, as the start
 * of a sentence: the app's record when its tag changed; otherwise a capacity change alone is
 * autoscale's (when the pool's autoscale is on) and anything else someone outside this app.
 */
export function scaleSetChangedBy(input: {
  poolName: string
  seen: ScaleSetSide | undefined
  now: ScaleSetSide
  /** Whether the pool's autoscale setting is on; undefined when it could not be read. */
  autoscaleEnabled: boolean | undefined
  /** What differs, in words ("capacity 3 → 0"). */
  changes: string[]
  clock: number
}): string {
  const { poolName, seen, now, autoscaleEnabled, changes, clock } = input
  const details = changes.length ? ` (${changes.join(', ')})` : ''
  const recorded = lastChangeOf(now.tags)
  const tagChanged = !seen || seen.tags?.[lastChangeTag] !== now.tags?.[lastChangeTag]
  const autoscaleText =
    autoscaleEnabled === true
      ? 'autoscale'
      : autoscaleEnabled === false
        ? 'someone outside this app'
        : 'autoscale or someone outside this app'
  if (recorded && tagChanged) {
    const text = `${recorded.by} ${describeChange(recorded, poolName)} ${whenText(recorded.at, clock)}${details}`
    // The record says what the app set; a capacity that differs since is someone else's.
    const expected = recorded.kind === 'scaleToZero' ? 0 : recorded.to
    return expected !== undefined && expected !== now.capacity
      ? `${text}; since then ${autoscaleText} changed the capacity to ${now.capacity}`
      : text
  }
  const capacityOnly = seen !== undefined && seen.capacity !== now.capacity && changes.length === 1
  const who = capacityOnly ? autoscaleText : 'someone outside this app'
  return `${who[0]!.toUpperCase()}${who.slice(1)} changed ${poolName}${details}`
}
