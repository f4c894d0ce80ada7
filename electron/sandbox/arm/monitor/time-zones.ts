/**
 * Autoscale schedules name time zones the Windows way ('W. Europe Standard Time'); the sandbox
 * maps them to IANA zones and does wall-clock arithmetic with Intl, so daylight saving works.
 */

const windowsToIana: Record<string, string> = {
  utc: 'UTC',
  'coordinated universal time': 'UTC',
  'dateline standard time': 'Etc/GMT+12',
  'hawaiian standard time': 'Pacific/Honolulu',
  'alaskan standard time': 'America/Anchorage',
  'pacific standard time': 'America/Los_Angeles',
  'mountain standard time': 'America/Denver',
  'us mountain standard time': 'America/Phoenix',
  'central standard time': 'America/Chicago',
  'eastern standard time': 'America/New_York',
  'atlantic standard time': 'America/Halifax',
  'e. south america standard time': 'America/Sao_Paulo',
  'gmt standard time': 'Europe/London',
  'greenwich standard time': 'Atlantic/Reykjavik',
  'w. europe standard time': 'Europe/Berlin',
  'central europe standard time': 'Europe/Budapest',
  'central european standard time': 'Europe/Warsaw',
  'romance standard time': 'Europe/Paris',
  'e. europe standard time': 'Europe/Chisinau',
  'fle standard time': 'Europe/Kiev',
  'gtb standard time': 'Europe/Bucharest',
  'russian standard time': 'Europe/Moscow',
  'israel standard time': 'Asia/Jerusalem',
  'arabian standard time': 'Asia/Dubai',
  'india standard time': 'Asia/Kolkata',
  'se asia standard time': 'Asia/Bangkok',
  'china standard time': 'Asia/Shanghai',
  'singapore standard time': 'Asia/Singapore',
  'tokyo standard time': 'Asia/Tokyo',
  'korea standard time': 'Asia/Seoul',
  'aus eastern standard time': 'Australia/Sydney',
  'new zealand standard time': 'Pacific/Auckland',
}

function isIana(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The IANA zone for a Windows or IANA name; undefined when the sandbox does not know it. */
export function ianaZone(name: string | undefined): string | undefined {
  if (!name) return 'UTC'
  const mapped = windowsToIana[name.trim().toLowerCase()]
  if (mapped) return mapped
  return isIana(name.trim()) ? name.trim() : undefined
}

export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  /** 0 = Sunday */
  weekday: number
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const formatters = new Map<string, Intl.DateTimeFormat>()

export function wallClock(epochMs: number, zone: string): WallClock {
  let format = formatters.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    })
    formatters.set(zone, format)
  }
  const parts = Object.fromEntries(
    format.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]),
  )
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: weekdays.indexOf(String(parts.weekday)),
  }
}

/** The instant at which the wall clock in `zone` shows the given local time. */
export function zonedTime(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  zone: string,
): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute)
  let guess = asUtc
  for (let i = 0; i < 3; i++) {
    const shown = wallClock(guess, zone)
    const shownAsUtc = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute)
    const error = shownAsUtc - asUtc
    if (error === 0) break
    guess -= error
  }
  return guess
}

const dayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']

/** Day of week (0 = Sunday) from 'Monday', 'mon' or '1'. */
export function dayIndex(day: string): number | undefined {
  const value = day.trim().toLowerCase()
  if (/^[0-6]$/.test(value)) return Number(value)
  const index = dayNames.findIndex((name) => name === value || name.slice(0, 3) === value)
  return index >= 0 ? index : undefined
}
