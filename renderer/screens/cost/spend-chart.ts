import type { CallOutput } from '../../../shared/api'

type PoolSpend = CallOutput<'cost.poolSpend'>

/*
 * The geometry of the spend chart, apart from React so it is unit-tested: a y axis with round
 * ticks, one stacked bar per day (largest services at the bottom), and the sentence a screen
 * reader hears instead of the picture.
 */

export type SpendDay = PoolSpend['days'][number]

/** How many services get their own colour; the rest are stacked as "Other". */
export const maxChartServices = 5
export const otherServices = 'Other'

export interface YAxis {
  /** Top of the axis (≥ the largest day). */
  max: number
  ticks: number[]
}

/**
 * Round ticks (1, 2, 2.5 or 5 × 10ⁿ) from 0 to at least `largest`, about `count` of them. No
 * step is finer than `minStep` (the currency's smallest unit: 0.01 for dollars), and 2.5 is
 * used only where it still reads in those units, so no two labels print the same.
 */
export function yAxisFor(largest: number, count = 4, minStep = 0.01): YAxis {
  if (!(largest > 0) || !Number.isFinite(largest)) return { max: 1, ticks: [0, 0.5, 1] }
  const rough = Math.max(largest / count, minStep)
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const readable = (s: number) => Math.abs(s / minStep - Math.round(s / minStep)) < 1e-6
  const step =
    [1, 2, 2.5, 5, 10]
      .map((m) => round(m * magnitude))
      .find((s) => s >= rough - 1e-12 && readable(s)) ?? round(10 * magnitude)
  const steps = Math.ceil(largest / step - 1e-9)
  const ticks = Array.from({ length: steps + 1 }, (_, i) => round(i * step))
  return { max: round(steps * step), ticks }
}

/** The smallest unit a currency is written in: 0.01 for USD and EUR, 1 for JPY. */
export function smallestUnit(currency: string): number {
  try {
    const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits
    return 10 ** -(digits ?? 2)
  } catch {
    return 0.01
  }
}

/** The services that get their own colour (by spend, largest first); the rest are Other. */
export function chartServices(services: readonly string[]): string[] {
  if (services.length <= maxChartServices) return [...services]
  return [...services.slice(0, maxChartServices - 1), otherServices]
}

/** A day's cost per charted service (services beyond the coloured ones summed as Other). */
export function dayParts(day: SpendDay, charted: readonly string[]): number[] {
  const own = new Set(charted.filter((s) => s !== otherServices))
  return charted.map((service) =>
    service === otherServices
      ? Object.entries(day.byService)
          .filter(([name]) => !own.has(name))
          .reduce((sum, [, cost]) => sum + cost, 0)
      : (day.byService[service] ?? 0),
  )
}

export interface BarSegment {
  service: string
  value: number
  /** Top edge and height in chart pixels (0 at the top of the plot). */
  y: number
  height: number
}

export interface Bar {
  date: string
  total: number
  x: number
  width: number
  segments: BarSegment[]
}

/** A day still to come, at the daily rate the projection uses. */
export interface ProjectedBar {
  /** Day of the month, 1-based. */
  day: number
  x: number
  width: number
  y: number
  height: number
}

export interface BarLayout {
  axis: YAxis
  bars: Bar[]
  /** The rest of the month at the projection's daily rate (outlined, not filled). */
  projected: ProjectedBar[]
  /** y in chart pixels of each tick. */
  tickY: number[]
}

/**
 * One bar per day of the month so far, stacked bottom-up in the order of `charted`; the days
 * still to come as outlines at the projection's daily rate, so the chart shows both how far
 * into the month it is and what the projection assumes.
 */
export function layoutBars(
  days: readonly SpendDay[],
  charted: readonly string[],
  size: {
    width: number
    height: number
    daysInMonth: number
    dailyRate?: number
    /** The currency's smallest unit (0.01 for dollars, 1 for yen). */
    minStep?: number
  },
): BarLayout {
  const dailyRate = Math.max(0, size.dailyRate ?? 0)
  const axis = yAxisFor(Math.max(dailyRate, ...days.map((d) => d.total)), 4, size.minStep)
  const slots = Math.max(size.daysInMonth, days.length, 1)
  const slot = size.width / slots
  const width = Math.max(1, slot * 0.7)
  const scale = (value: number) => (value / axis.max) * size.height
  const bars = days.map((day, index) => {
    // From the running total, so that the top of the stack is exactly the day's total.
    let below = 0
    const segments: BarSegment[] = []
    dayParts(day, charted).forEach((value, i) => {
      if (value <= 0) return
      const top = size.height - scale(below + value)
      segments.push({
        service: charted[i]!,
        value,
        y: top,
        height: scale(below + value) - scale(below),
      })
      below += value
    })
    return {
      date: day.date,
      total: day.total,
      x: index * slot + (slot - width) / 2,
      width,
      segments,
    }
  })
  const projected: ProjectedBar[] = []
  if (dailyRate > 0) {
    for (let index = days.length; index < size.daysInMonth; index++) {
      const height = scale(dailyRate)
      projected.push({
        day: index + 1,
        x: index * slot + (slot - width) / 2,
        width,
        y: size.height - height,
        height,
      })
    }
  }
  return { axis, bars, projected, tickY: axis.ticks.map((t) => size.height - scale(t)) }
}

/** What the chart says, for its aria-label: the total, the days, the most expensive day. */
export function chartSummary(
  spend: Pick<PoolSpend, 'days' | 'monthToDate' | 'projection'>,
  money: (amount: number) => string,
): string {
  const billed = spend.days.filter((d) => d.total > 0)
  if (billed.length === 0) return `No spend recorded this month so far.`
  const top = billed.reduce((a, b) => (b.total > a.total ? b : a))
  return (
    `Spend by day this month: ${money(spend.monthToDate)} over ${spend.days.length} day${spend.days.length === 1 ? '' : 's'}; ` +
    `the most was ${money(top.total)} on ${dayLabel(top.date)}. ` +
    `Projected for the whole month: ${money(spend.projection.projected)}.`
  )
}

/** "27 Nov" from "2026-11-27" (UTC, as Cost Management dates are). */
export function dayLabel(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  })
}

const round = (n: number) => Math.round(n * 1e6) / 1e6
