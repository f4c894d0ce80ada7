/**
 * Tags that make a set of Azure resources a pool (DESIGN.md decision 5): every teammate's
 * app finds pools and their shared settings here, not in local files.
 */
export const poolTags = {
  /** On every resource a pool consists of; value: the pool's name. */
  pool: 'dsvm-pool',
  /** Who created the pool (user principal name). */
  owner: 'dsvm-pool-owner',
  /** On the scale set while scaled to zero: the capacity to restore. */
  restoreCapacity: 'dsvm-pool-restore-capacity',
  /** Version of the app's template that created it. */
  templateVersion: 'dsvm-pool-template',
  /** On the scale set: the pool's monthly budget in its billing currency, e.g. "500". */
  budget: 'dsvm-pool-budget',
  /**
   * On the scale set of a Linux pool whose JupyterHub signs members in with their Microsoft
   * account: the client id (appId) of its app registration. Not a secret.
   */
  jupyterHubApp: 'dsvm-pool-jupyterhub-app',
} as const

/** Azure's limit on a tag value, in characters. */
export const tagValueLimit = 256

/** Key of the tag every write of the app to a pool's scale set or autoscale setting sets. */
export const lastChangeTag = 'dsvm-pool-last-change'

export type PoolChangeKind =
  | 'scale'
  | 'scaleToZero'
  | 'restoreFromZero'
  | 'schedule'
  | 'budget'
  /** A manual size autoscale keeps until a chosen time (a fixed-date profile). */
  | 'override'
  | 'endOverride'
  | 'startAll'
  | 'stopAll'

/**
 * Who changed a pool through the app, what and when: the value of `dsvm-pool-last-change`,
 * written in the same request as the change so a teammate's conflict can name the writer.
 */
export interface PoolChange {
  /** User principal name of the signed-in account that made the change. */
  by: string
  kind: PoolChangeKind
  /** Capacity before the change (scale, scaleToZero). */
  from?: number
  /** Capacity after the change (scale, restoreFromZero). */
  to?: number
  /** When the app sent the change, ISO 8601 in UTC. */
  at: string
}

const kinds: readonly PoolChangeKind[] = [
  'scale',
  'scaleToZero',
  'restoreFromZero',
  'schedule',
  'budget',
  'override',
  'endOverride',
  'startAll',
  'stopAll',
]
const maxNameLength = 120
const maxCapacity = 10_000
// Control characters and the bidirectional overrides that could disguise a name.
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

const cleanName = (name: string) => name.replace(unsafe, '').trim().slice(0, maxNameLength)
const isCapacity = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= maxCapacity

/** The tag value for a change: compact JSON, always within Azure's 256 characters. */
export function encodePoolChange(change: PoolChange): string {
  const at = new Date(change.at)
  const value = (by: string) =>
    JSON.stringify({
      by,
      kind: change.kind,
      ...(isCapacity(change.from) ? { from: change.from } : {}),
      ...(isCapacity(change.to) ? { to: change.to } : {}),
      at: Number.isNaN(at.getTime()) ? new Date(0).toISOString() : at.toISOString(),
    })
  let by = cleanName(change.by) || 'unknown'
  // JSON escapes can lengthen a name; shorten it until the whole value fits.
  while (value(by).length > tagValueLimit) by = by.slice(0, -1)
  return value(by)
}

/**
 * Reads a `dsvm-pool-last-change` value. Anyone with write access can put anything in a tag:
 * whatever is not a well-formed record written by the app is undefined, and names are cleaned.
 */
export function decodePoolChange(value: string | undefined): PoolChange | undefined {
  if (!value || value.length > tagValueLimit) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const { by, kind, from, to, at } = parsed as Record<string, unknown>
  if (typeof by !== 'string' || typeof at !== 'string') return undefined
  if (!kinds.includes(kind as PoolChangeKind)) return undefined
  const name = cleanName(by)
  const time = new Date(at)
  if (!name || !/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(time.getTime())) return undefined
  return {
    by: name,
    kind: kind as PoolChangeKind,
    ...(isCapacity(from) ? { from } : {}),
    ...(isCapacity(to) ? { to } : {}),
    at: time.toISOString(),
  }
}
