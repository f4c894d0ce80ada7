import { hoursPerMonth } from './types'

/** 0 = Sunday … 6 = Saturday, as Date.getDay() counts. */
export type CostScheduleDay = 0 | 1 | 2 | 3 | 4 | 5 | 6

/**
 * When the pool is in use. Outside these hours autoscale keeps `instancesOutside` (default 0).
 * Time zones and daylight saving do not change hour counts, so they play no part here.
 */
export interface CostSchedule {
  days: CostScheduleDay[]
  /** "HH:MM", 24-hour clock. */
  start: string
  /** "HH:MM"; earlier than `start` runs past midnight; equal to `start` means all day. */
  end: string
  /** Instances kept outside the hours; default 0 (scale to zero). */
  instancesOutside?: number
  /**
   * What happens to the instances that stop: 'remove' (scale in: their OS disks go with them)
   * or 'deallocate' (stopped: compute stops, their OS disks are still billed). Default 'remove'.
   */
  outsideMode?: 'remove' | 'deallocate'
}

const hoursPerWeek = 7 * 24

function minutesOf(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time)
  if (!match) throw new RangeError(`Expected a time as HH:MM, got '${time}'`)
  return Number(match[1]) * 60 + Number(match[2])
}

/** Hours in use on one working day. */
export function workingHoursPerDay(hours: Pick<CostSchedule, 'start' | 'end'>): number {
  const start = minutesOf(hours.start)
  const end = minutesOf(hours.end)
  const minutes = end > start ? end - start : end + 24 * 60 - start
  return minutes / 60
}

/** Hours in use in one week (each weekday counted once). */
export function workingHoursPerWeek(hours: CostSchedule): number {
  return new Set(hours.days).size * workingHoursPerDay(hours)
}

/** Hours in use in an average month: a week's hours scaled to Azure's 730-hour month. */
export function workingHoursPerMonth(hours: CostSchedule): number {
  return (workingHoursPerWeek(hours) * hoursPerMonth) / hoursPerWeek
}
