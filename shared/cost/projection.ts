/** One day of actual spend (UTC day). */
export interface DailyCost {
  /** "YYYY-MM-DD" */
  date: string
  cost: number
}

export interface MonthEndProjection {
  /** "YYYY-MM" of the month projected. */
  month: string
  monthToDate: number
  projected: number
  /** Daily rate used for the rest of the month. */
  dailyRate: number
  /** Complete days the rate is the mean of (0: extrapolated from today so far). */
  basisDays: number
  /** Days left until the month ends, fractional (the rest of today included). */
  remainingDays: number
  daysInMonth: number
  /**
   * What the daily rate is: 'history' (past days' spend, above) or 'burnRate' (the pool's
   * cost per hour now × 24, while instances run). Absent means history.
   */
  basis?: 'history' | 'burnRate'
  /** With basis 'burnRate': the cost per hour it is taken from. */
  perHour?: number
}

/**
 * While instances run, the rest of the month at the pool's cost per hour now: Cost
 * Management is a day or more behind, so a pool started this week would otherwise be
 * projected at the nothing it cost last week.
 */
export function projectWithBurnRate(
  projection: MonthEndProjection,
  perHour: number,
): MonthEndProjection {
  const dailyRate = perHour * 24
  return {
    ...projection,
    dailyRate,
    projected: projection.monthToDate + dailyRate * projection.remainingDays,
    basis: 'burnRate',
    perHour,
  }
}

const dayMs = 24 * 60 * 60 * 1000
/** The rate is the mean of at most this many complete days before today. */
export const projectionWindowDays = 7

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10)

/**
 * Month-end projection from daily actuals: spend so far this month plus the mean of the last
 * (up to seven) complete days for every day still to come. Days without a row cost nothing.
 * On the first day of a month there is no complete day: today's spend is scaled to a full day.
 */
export function projectMonthEnd(days: DailyCost[], now: number): MonthEndProjection {
  const current = new Date(now)
  const monthStart = Date.UTC(current.getUTCFullYear(), current.getUTCMonth(), 1)
  const monthEnd = Date.UTC(current.getUTCFullYear(), current.getUTCMonth() + 1, 1)
  const today = Math.floor(now / dayMs) * dayMs
  const costOn = new Map<string, number>()
  for (const day of days) costOn.set(day.date, (costOn.get(day.date) ?? 0) + day.cost)

  let monthToDate = 0
  for (let t = monthStart; t <= today; t += dayMs) monthToDate += costOn.get(isoDay(t)) ?? 0

  const windowStart = Math.max(monthStart, today - projectionWindowDays * dayMs)
  const basisDays = Math.round((today - windowStart) / dayMs)
  let dailyRate: number
  if (basisDays > 0) {
    let sum = 0
    for (let t = windowStart; t < today; t += dayMs) sum += costOn.get(isoDay(t)) ?? 0
    dailyRate = sum / basisDays
  } else {
    const elapsed = (now - today) / dayMs
    dailyRate = elapsed > 0 ? (costOn.get(isoDay(today)) ?? 0) / elapsed : 0
  }
  const remainingDays = (monthEnd - now) / dayMs
  return {
    month: isoDay(monthStart).slice(0, 7),
    monthToDate,
    projected: monthToDate + dailyRate * remainingDays,
    dailyRate,
    basisDays,
    remainingDays,
    daysInMonth: Math.round((monthEnd - monthStart) / dayMs),
  }
}
