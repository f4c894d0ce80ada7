/**
 * Time zones for autoscale schedules. Azure names them the Windows way ('W. Europe Standard
 * Time'), people and operating systems mostly the IANA way ('Europe/Berlin'). One table serves
 * both directions: each Windows zone with its IANA zones (CLDR windowsZones), the first being
 * the one used for wall-clock arithmetic (territory 001). Pure: Intl only, so daylight saving
 * comes from the runtime's zone data.
 */
const windowsZones: ReadonlyArray<readonly [windows: string, ...iana: string[]]> = [
  ['UTC', 'UTC', 'Etc/UTC', 'Etc/GMT'],
  ['Coordinated Universal Time', 'UTC'],
  ['Dateline Standard Time', 'Etc/GMT+12'],
  ['Hawaiian Standard Time', 'Pacific/Honolulu'],
  ['Alaskan Standard Time', 'America/Anchorage'],
  ['Pacific Standard Time', 'America/Los_Angeles', 'America/Vancouver'],
  ['US Mountain Standard Time', 'America/Phoenix'],
  ['Mountain Standard Time', 'America/Denver', 'America/Edmonton'],
  ['Central Standard Time', 'America/Chicago', 'America/Winnipeg'],
  ['Central Standard Time (Mexico)', 'America/Mexico_City'],
  ['Eastern Standard Time', 'America/New_York', 'America/Toronto'],
  ['SA Pacific Standard Time', 'America/Bogota', 'America/Lima'],
  ['Atlantic Standard Time', 'America/Halifax'],
  ['Venezuela Standard Time', 'America/Caracas'],
  ['Pacific SA Standard Time', 'America/Santiago'],
  ['E. South America Standard Time', 'America/Sao_Paulo'],
  ['Argentina Standard Time', 'America/Argentina/Buenos_Aires'],
  ['Newfoundland Standard Time', 'America/St_Johns'],
  ['Greenwich Standard Time', 'Atlantic/Reykjavik'],
  ['GMT Standard Time', 'Europe/London', 'Europe/Dublin', 'Europe/Lisbon'],
  [
    'W. Europe Standard Time',
    'Europe/Berlin',
    'Europe/Amsterdam',
    'Europe/Rome',
    'Europe/Stockholm',
    'Europe/Vienna',
    'Europe/Zurich',
    'Europe/Oslo',
  ],
  ['Central Europe Standard Time', 'Europe/Budapest', 'Europe/Prague', 'Europe/Belgrade'],
  ['Central European Standard Time', 'Europe/Warsaw'],
  [
    'Romance Standard Time',
    'Europe/Paris',
    'Europe/Brussels',
    'Europe/Madrid',
    'Europe/Copenhagen',
  ],
  ['E. Europe Standard Time', 'Europe/Chisinau'],
  ['FLE Standard Time', 'Europe/Kiev', 'Europe/Kyiv', 'Europe/Helsinki'],
  ['GTB Standard Time', 'Europe/Bucharest', 'Europe/Athens'],
  ['Turkey Standard Time', 'Europe/Istanbul'],
  ['Russian Standard Time', 'Europe/Moscow'],
  ['Egypt Standard Time', 'Africa/Cairo'],
  ['South Africa Standard Time', 'Africa/Johannesburg'],
  ['W. Central Africa Standard Time', 'Africa/Lagos'],
  ['E. Africa Standard Time', 'Africa/Nairobi'],
  ['Israel Standard Time', 'Asia/Jerusalem'],
  ['Arab Standard Time', 'Asia/Riyadh'],
  ['Arabian Standard Time', 'Asia/Dubai'],
  ['Iran Standard Time', 'Asia/Tehran'],
  ['Pakistan Standard Time', 'Asia/Karachi'],
  ['India Standard Time', 'Asia/Kolkata', 'Asia/Calcutta'],
  ['Nepal Standard Time', 'Asia/Kathmandu'],
  ['Bangladesh Standard Time', 'Asia/Dhaka'],
  ['SE Asia Standard Time', 'Asia/Bangkok', 'Asia/Jakarta'],
  ['China Standard Time', 'Asia/Shanghai', 'Asia/Hong_Kong'],
  ['Singapore Standard Time', 'Asia/Singapore'],
  ['Taipei Standard Time', 'Asia/Taipei'],
  ['Tokyo Standard Time', 'Asia/Tokyo'],
  ['Korea Standard Time', 'Asia/Seoul'],
  ['W. Australia Standard Time', 'Australia/Perth'],
  ['Cen. Australia Standard Time', 'Australia/Adelaide'],
  ['E. Australia Standard Time', 'Australia/Brisbane'],
  ['AUS Eastern Standard Time', 'Australia/Sydney', 'Australia/Melbourne'],
  ['New Zealand Standard Time', 'Pacific/Auckland'],
]

/** Lower-cased Windows name → [Windows name as Azure spells it, IANA zone for arithmetic]. */
const byWindowsName = new Map(
  windowsZones.map(([windows, iana]) => [windows.toLowerCase(), { windows, iana }]),
)

/** IANA zone → Windows name; the first Windows zone listing an IANA zone claims it. */
const windowsByIana = new Map<string, string>()
for (const [windows, ...ianaZones] of windowsZones) {
  for (const iana of ianaZones) if (!windowsByIana.has(iana)) windowsByIana.set(iana, windows)
}

/** The Windows name for a Windows or IANA time zone name; undefined when unknown. */
export function windowsTimeZone(name: string): string | undefined {
  const trimmed = name.trim()
  return byWindowsName.get(trimmed.toLowerCase())?.windows ?? windowsByIana.get(trimmed)
}

/** Every Windows zone name this module knows, for pickers. */
export const knownWindowsTimeZones: readonly string[] = windowsZones
  .map(([windows]) => windows)
  .sort()

function isIana(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The IANA zone for a Windows or IANA name ('UTC' when absent); undefined when unknown. */
export function ianaZone(name: string | undefined): string | undefined {
  if (!name) return 'UTC'
  const trimmed = name.trim()
  const mapped = byWindowsName.get(trimmed.toLowerCase())?.iana
  if (mapped) return mapped
  return isIana(trimmed) ? trimmed : undefined
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

const shortWeekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const formatters = new Map<string, Intl.DateTimeFormat>()

/** What a clock in the IANA `zone` shows at `epochMs`. */
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
    weekday: shortWeekdays.indexOf(String(parts.weekday)),
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
