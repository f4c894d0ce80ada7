import type { PoolState } from './pools'

/**
 * One truth about a pool's size (DESIGN.md decision 10): the header badge, the scale-to-zero
 * switch, the banner, the pool card and the tray all read the view this pure function derives
 * from Azure's state. Main computes it on every poll and sends it with the pool's summary, so
 * no screen guesses on its own and no two can disagree.
 *
 * The switch reads "Scaled to zero" and is on while the pool is held at zero: by the app (the
 * restore tag is on the scale set) or by its autoscale schedule (the profile in force allows no
 * instance). Protected instances that were kept when the pool was scaled to zero leave the
 * switch on, and the badge and banner say they still run.
 */

export interface InstanceFacts {
  powerState: string
  provisioningState: string
  protectedFromScaleIn: boolean
}

/** A manual size autoscale keeps: a fixed-date profile the app wrote (min = max = default). */
export interface PoolOverride {
  capacity: number
  /** When the profile ends, ISO 8601. */
  until: string
  /** Who set it (user principal name), from the profile's name. */
  by?: string
}

export interface AutoscaleFacts {
  enabled: boolean
  /** Capacity bounds of the profile Azure applies now; absent when none applies. */
  active?: { minimum: number; maximum: number; default: number; fixedDate: boolean }
  /** The app's override, when it is the profile in force. */
  override?: PoolOverride
  /** The next time a recurrence profile starts, and the most instances it allows. */
  next?: { at: string; maximum: number; default: number }
}

export interface PoolFacts {
  /** The scale set's provisioning state. */
  provisioningState: string | undefined
  capacity: number
  instances: readonly InstanceFacts[]
  /** From the dsvm-pool-restore-capacity tag. */
  restoreCapacity?: number
  /** Absent when no autoscale setting targets the pool. */
  autoscale?: AutoscaleFacts
  /** Compute cost of one running instance per hour, when prices are known. */
  instancePerHour?: number
  currency?: string
  now: number
  /** IANA zone for the clock times in texts (tests pin it; the app uses the local zone). */
  timeZone?: string
}

export type BannerOffer =
  'endOverride' | 'startUntil' | 'includeProtected' | 'keepRunning' | 'restoreFromZero'

export interface PoolBanner {
  tone: 'info' | 'warning'
  text: string
  /** The action the banner offers, if any (the screen names and runs it). */
  offer?: BannerOffer
}

export interface PoolView {
  state: PoolState
  /** The badge's words ("Running", "Scaled to zero", "1 protected running"). */
  badge: string
  /** The scale-to-zero switch. */
  scaledToZero: boolean
  /** Why the switch cannot be used now; absent when it can. */
  switchBlocked?: string
  /** Who holds the pool at zero. */
  heldAtZeroBy?: 'app' | 'schedule' | 'nobody'
  banner?: PoolBanner
  /** Protected instances that still exist while the pool is held at zero. */
  protectedRunning: number
  override?: PoolOverride
  /** "Kept at 3 until 20:00 by ada", in Azure's time, for wherever the override is shown. */
  overrideLine?: string
  /** Bringing the pool back needs an override: the schedule in force would take it away. */
  bringBackKept?: boolean
  /**
   * Within ten minutes the schedule takes the pool below what runs: when, to how many, and
   * until when "Keep running" would keep it (an hour after that moment).
   */
  goesDownSoon?: { at: string; to: number; keepUntil: string; text: string }
  /** JupyterHub answers only while an instance runs; why not, in words. */
  jupyterHubBlocked?: string
  /** One line for the tray and the card ("3 running", "scaled to zero", …). */
  line: string
  /**
   * Until when a manual size is kept unless the person picks another time: the end of today's
   * working hours while they last, otherwise two hours from now. ISO 8601.
   */
  suggestedUntil: string
}

const twoHoursMs = 2 * 3_600_000
const snoozeNoticeMs = 10 * 60_000
const snoozeMs = 3_600_000

/** The end of the working hours in force, or two hours from now outside them. */
export function suggestedUntil(autoscale: AutoscaleFacts | undefined, now: number): string {
  const next = autoscale?.enabled ? autoscale.next : undefined
  const active = autoscale?.active
  const inWorkingHours =
    next !== undefined && active !== undefined && !active.fixedDate && next.maximum < active.maximum
  // Rounded up to five minutes: a time people pick, and one that does not change every poll.
  const fiveMinutes = 5 * 60_000
  const later = Math.ceil((now + twoHoursMs) / fiveMinutes) * fiveMinutes
  return new Date(inWorkingHours ? Date.parse(next.at) : later).toISOString()
}

const changingPower = new Set(['starting', 'stopping', 'deallocating'])
const changingProvisioning = new Set(['Creating', 'Updating', 'Deleting', 'Migrating'])

export const isChangingInstance = (i: InstanceFacts) =>
  changingPower.has(i.powerState) || changingProvisioning.has(i.provisioningState)
export const isRunningInstance = (i: InstanceFacts) =>
  i.powerState === 'running' && i.provisioningState !== 'Deleting'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** "20:00" today, "Mon 08:00" another day, in `timeZone` (default: this computer's). */
export function clockText(iso: string, now: number, timeZone?: string): string {
  const at = new Date(iso)
  const options = { ...(timeZone ? { timeZone } : {}) }
  const time = at.toLocaleTimeString('en-GB', { ...options, hour: '2-digit', minute: '2-digit' })
  const day = (d: Date) => d.toLocaleDateString('en-GB', { ...options, dateStyle: 'short' })
  if (day(at) === day(new Date(now))) return time
  return `${at.toLocaleDateString('en-GB', { ...options, weekday: 'short' })} ${time}`
}

function money(amount: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount)
}

/** "Kept at 3 until 20:00 by ada@contoso.com". */
export function overrideText(override: PoolOverride, now: number, timeZone?: string): string {
  return `Kept at ${override.capacity} until ${clockText(override.until, now, timeZone)}${
    override.by ? ` by ${override.by}` : ''
  }`
}

export function poolView(facts: PoolFacts): PoolView {
  const { capacity, restoreCapacity, autoscale, now, timeZone } = facts
  const present = facts.instances.filter((i) => i.provisioningState !== 'Deleting')
  const running = present.filter(isRunningInstance).length
  const protectedPresent = present.filter((i) => i.protectedFromScaleIn)
  const changing = facts.instances.some(isChangingInstance) || present.length !== capacity
  const override = autoscale?.enabled ? autoscale.override : undefined
  const scheduleAtZero = autoscale?.enabled === true && !override && autoscale.active?.maximum === 0
  const heldByApp = restoreCapacity !== undefined
  const heldAtZeroBy: PoolView['heldAtZeroBy'] = heldByApp
    ? 'app'
    : scheduleAtZero
      ? 'schedule'
      : capacity === 0 && present.length === 0
        ? 'nobody'
        : undefined
  const next = autoscale?.enabled ? autoscale.next : undefined
  const nextText = next ? ` until ${clockText(next.at, now, timeZone)}` : ''

  const soon =
    next && !override && next.maximum < running && Date.parse(next.at) > now
      ? Date.parse(next.at) - now <= snoozeNoticeMs
      : false
  const keepUntil = next ? new Date(Date.parse(next.at) + snoozeMs).toISOString() : ''
  const base = {
    ...(soon && next
      ? {
          goesDownSoon: {
            at: next.at,
            to: next.maximum,
            keepUntil,
            text: `goes to ${next.maximum === 0 ? 'zero' : next.maximum} at ${clockText(next.at, now, timeZone)} — Keep running until ${clockText(keepUntil, now, timeZone)}`,
          },
        }
      : {}),
    suggestedUntil: suggestedUntil(autoscale, now),
    protectedRunning: heldByApp ? protectedPresent.length : 0,
    ...(override ? { override, overrideLine: overrideText(override, now, timeZone) } : {}),
    ...(heldByApp &&
    autoscale?.active &&
    (autoscale.active.maximum < restoreCapacity! || autoscale.active.minimum > restoreCapacity!)
      ? { bringBackKept: true }
      : {}),
    ...(running === 0
      ? {
          jupyterHubBlocked:
            present.length === 0
              ? 'No instance is running: the pool is at zero.'
              : 'No instance is running yet.',
        }
      : {}),
  }

  if (facts.provisioningState === 'Failed')
    return {
      ...base,
      state: 'Failed',
      badge: 'Failed',
      scaledToZero: false,
      switchBlocked: 'The scale set failed to provision.',
      line: 'failed',
    }
  if (facts.provisioningState === 'Creating')
    return {
      ...base,
      state: 'Deploying',
      badge: 'Deploying',
      scaledToZero: false,
      switchBlocked: 'The pool is still being deployed.',
      line: `deploying: ${running} of ${capacity} running`,
    }

  // Held at zero (by the app or the schedule), with nothing left but protected instances.
  const keptProtected =
    heldByApp && present.length > 0 && present.every((i) => i.protectedFromScaleIn)
  if (keptProtected && !changing) {
    const n = protectedPresent.length
    const cost =
      facts.instancePerHour !== undefined && running > 0
        ? `, ${money(facts.instancePerHour * running, facts.currency)}/h`
        : ''
    return {
      ...base,
      state: 'Protected running',
      badge: `${n} protected running`,
      scaledToZero: true,
      heldAtZeroBy: 'app',
      banner: {
        tone: 'warning',
        text: `Not scaled to zero: ${plural(n, 'protected instance')} still ${
          running > 0 ? `running${cost}` : 'there (deallocated; its disk still costs money)'
        }. Everything else is at zero.`,
        offer: 'includeProtected',
      },
      line: `${n} protected running`,
    }
  }

  if (changing)
    return {
      ...base,
      state: 'Scaling',
      badge: 'Scaling',
      scaledToZero: heldAtZeroBy !== undefined && heldAtZeroBy !== 'nobody',
      switchBlocked: 'Azure is still changing the pool.',
      ...(heldAtZeroBy ? { heldAtZeroBy } : {}),
      ...(override
        ? {
            banner: {
              tone: 'info',
              text: overrideText(override, now, timeZone),
              offer: 'endOverride',
            },
          }
        : {}),
      line: `scaling: ${running} of ${capacity} running`,
    }

  if (present.length === 0) {
    const banner: PoolBanner =
      heldAtZeroBy === 'app'
        ? {
            tone: 'info',
            text: `Scaled to zero: no instances and no compute cost. Switching it off brings back ${plural(
              restoreCapacity!,
              'instance',
            )}.`,
            offer: 'restoreFromZero',
          }
        : heldAtZeroBy === 'schedule'
          ? {
              tone: 'info',
              text: `At zero outside working hours: autoscale keeps it there${nextText}.`,
              offer: 'startUntil',
            }
          : {
              tone: 'info',
              text: autoscale?.enabled
                ? 'No instances: autoscale has not started any yet.'
                : 'No instances: its capacity is 0. Switching scale to zero off brings one back.',
              offer: 'restoreFromZero',
            }
    return {
      ...base,
      state: 'Scaled to zero',
      badge: 'Scaled to zero',
      scaledToZero: true,
      ...(heldAtZeroBy ? { heldAtZeroBy } : {}),
      banner,
      line: 'scaled to zero',
    }
  }

  const failed = present.some((i) => i.provisioningState === 'Failed') && running === 0
  const state: PoolState = failed ? 'Failed' : running === 0 ? 'Stopped' : 'Running'
  let banner: PoolBanner | undefined
  if (override)
    banner = { tone: 'info', text: overrideText(override, now, timeZone), offer: 'endOverride' }
  else if (heldByApp)
    // The tag says the pool is held at zero, yet unprotected instances exist: someone scaled it
    // outside the app. Say so rather than pretend either way.
    banner = {
      tone: 'warning',
      text: `Marked as scaled to zero, but ${plural(present.length, 'instance')} exist: someone changed its capacity outside this app.`,
    }
  else if (next && next.maximum < present.length)
    banner = {
      tone: 'info',
      text: `Autoscale takes it to ${next.maximum} at ${clockText(next.at, now, timeZone)}.`,
      offer: 'keepRunning',
    }
  return {
    ...base,
    state,
    badge: state,
    // Instances exist: the switch is off whatever the tag says (the banner says why).
    scaledToZero: false,
    ...(banner ? { banner } : {}),
    line:
      state === 'Failed'
        ? 'failed'
        : state === 'Stopped'
          ? `stopped (${present.length} deallocated)`
          : `${running} running`,
  }
}
