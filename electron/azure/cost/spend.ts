import type { z } from 'zod'
import { poolSpendSchema } from '../../../shared/cost/schemas'
import { projectMonthEnd, type MonthEndProjection } from '../../../shared/cost/projection'
import type { CostRow } from './query'

export interface DailySpend {
  /** "YYYY-MM-DD" */
  date: string
  total: number
  byService: Record<string, number>
}

/** A pool's actual spend this month, for the spend chart and the budget. */
export interface PoolSpend {
  subscriptionId: string
  resourceGroup: string
  currency: string
  /** Every day of the month so far (days without spend at 0), oldest first. */
  days: DailySpend[]
  /** Services by spend this month, largest first. */
  services: string[]
  monthToDate: number
  projection: MonthEndProjection
  /** ISO time Cost Management gave these figures. */
  fetchedAt: string
  /** Answered without a request (recent enough, or Cost Management could not be asked). */
  fromCache: boolean
  /** Cost Management is throttling: these are the saved figures; ask again after retryAt. */
  throttled?: { retryAt: string; retryAfterSeconds: number }
  /** Azure could not be reached: these are the saved figures. */
  offline?: boolean
}

const dayMs = 24 * 60 * 60 * 1000
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10)

/** Rows → days of the month so far (gaps filled), services ranked, projection at `now`. */
export function spendOf(
  scope: { subscriptionId: string; resourceGroup: string },
  rows: CostRow[],
  now: number,
  fetchedAt: string,
): PoolSpend {
  // Figures dated after today (a clock behind Azure's, or the sandbox's) move "now" to the
  // end of their day, so that the days shown and the month-to-date always agree.
  const latest = rows.reduce((max, row) => (row.date > max ? row.date : max), isoDay(now))
  const at = latest > isoDay(now) ? Date.parse(`${latest}T00:00:00Z`) + dayMs - 1 : now
  const byDay = new Map<string, DailySpend>()
  const current = new Date(at)
  const monthStart = Date.UTC(current.getUTCFullYear(), current.getUTCMonth(), 1)
  for (let t = monthStart; t <= at; t += dayMs) {
    byDay.set(isoDay(t), { date: isoDay(t), total: 0, byService: {} })
  }
  const serviceTotals = new Map<string, number>()
  for (const row of rows) {
    const day = byDay.get(row.date) ?? { date: row.date, total: 0, byService: {} }
    day.total += row.cost
    day.byService[row.service] = (day.byService[row.service] ?? 0) + row.cost
    byDay.set(row.date, day)
    serviceTotals.set(row.service, (serviceTotals.get(row.service) ?? 0) + row.cost)
  }
  const days = [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date))
  const projection = projectMonthEnd(
    days.map((d) => ({ date: d.date, cost: d.total })),
    at,
  )
  return {
    ...scope,
    currency: rows[0]?.currency ?? 'USD',
    days,
    services: [...serviceTotals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name),
    monthToDate: projection.monthToDate,
    projection,
    fetchedAt,
    fromCache: false,
  }
}

/** The IPC contract's schema describes this same shape (checked by the compiler). */
const _matchesContract: z.ZodType<PoolSpend> = poolSpendSchema
