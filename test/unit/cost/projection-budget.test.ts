import { describe, expect, it } from 'vitest'
import {
  budgetAlertKey,
  budgetStatus,
  newBudgetAlerts,
  projectMonthEnd,
  projectWithBurnRate,
  type DailyCost,
} from '../../../shared/cost'

const days = (from: number, to: number, cost: number, month = '2026-11'): DailyCost[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    date: `${month}-${String(from + i).padStart(2, '0')}`,
    cost,
  }))

describe('projectMonthEnd', () => {
  it('adds the mean of the last seven complete days for the rest of the month', () => {
    // 1–27 Nov at 10 a day, 4 so far on the 28th; at noon 2.5 days remain: 274 + 2.5 × 10
    const now = Date.parse('2026-11-28T12:00:00Z')
    const projection = projectMonthEnd([...days(1, 27, 10), { date: '2026-11-28', cost: 4 }], now)
    expect(projection.month).toBe('2026-11')
    expect(projection.monthToDate).toBeCloseTo(274, 10)
    expect(projection.basisDays).toBe(7)
    expect(projection.dailyRate).toBeCloseTo(10, 10)
    expect(projection.remainingDays).toBeCloseTo(2.5, 10)
    expect(projection.projected).toBeCloseTo(299, 10)
    expect(projection.daysInMonth).toBe(30)
  })

  it('counts days without spend as zero and ignores other months', () => {
    // Only 5 of the last 7 days (21–27 Nov) have spend, 14 each: mean 70 / 7 = 10.
    const now = Date.parse('2026-11-28T00:00:00Z')
    const rows = [
      { date: '2026-10-31', cost: 1000 },
      ...days(23, 27, 14),
      { date: '2026-11-02', cost: 6 },
    ]
    const projection = projectMonthEnd(rows, now)
    expect(projection.monthToDate).toBeCloseTo(76, 10)
    expect(projection.dailyRate).toBeCloseTo(10, 10)
    // 3 whole days left: 76 + 30
    expect(projection.projected).toBeCloseTo(106, 10)
  })

  it('on the first day extrapolates today so far; on the second uses one complete day', () => {
    // 6 h into 1 Dec, 3 spent: 12 a day, 30.75 days left → 3 + 369
    const first = projectMonthEnd(
      [{ date: '2026-12-01', cost: 3 }],
      Date.parse('2026-12-01T06:00:00Z'),
    )
    expect(first.basisDays).toBe(0)
    expect(first.dailyRate).toBeCloseTo(12, 10)
    expect(first.projected).toBeCloseTo(372, 10)
    expect(first.daysInMonth).toBe(31)

    const second = projectMonthEnd(
      [{ date: '2026-12-01', cost: 20 }],
      Date.parse('2026-12-02T00:00:00Z'),
    )
    expect(second.basisDays).toBe(1)
    // 20 + 30 days × 20
    expect(second.projected).toBeCloseTo(620, 10)
  })

  it('adds up several rows of the same day (one per service)', () => {
    const now = Date.parse('2026-11-03T00:00:00Z')
    const projection = projectMonthEnd(
      [
        { date: '2026-11-01', cost: 3 },
        { date: '2026-11-01', cost: 1 },
        { date: '2026-11-02', cost: 4 },
      ],
      now,
    )
    expect(projection.monthToDate).toBeCloseTo(8, 10)
    // mean of 4 and 4 over 28 days
    expect(projection.projected).toBeCloseTo(8 + 28 * 4, 10)
  })
})

describe('budgetStatus', () => {
  it('warns at 80 % and 100 % of actual and projected spend', () => {
    const status = budgetStatus(300, 250, 310)
    expect(status.actualRatio).toBeCloseTo(250 / 300, 10)
    expect(status.level).toBe('over')
    expect(status.alerts.map((a) => `${a.basis}:${a.threshold}`)).toEqual([
      'actual:80',
      'projected:80',
      'projected:100',
    ])
  })

  it('is ok below 80 % and a warning from exactly 80 %', () => {
    expect(budgetStatus(100, 50, 79.99).level).toBe('ok')
    expect(budgetStatus(100, 50, 80).level).toBe('warning')
    expect(budgetStatus(100, 100, 100).alerts).toHaveLength(4)
  })

  it('notifies each threshold once a month', () => {
    const status = budgetStatus(100, 85, 120)
    const notified = new Set([budgetAlertKey('2026-11', { basis: 'actual', threshold: 80 })])
    expect(
      newBudgetAlerts('2026-11', status, notified).map((a) => budgetAlertKey('2026-11', a)),
    ).toEqual(['2026-11:projected:80', '2026-11:projected:100'])
    expect(newBudgetAlerts('2026-12', status, notified)).toHaveLength(3)
  })

  it('refuses a budget that is not a positive amount', () => {
    expect(() => budgetStatus(0, 1, 1)).toThrow(RangeError)
  })
})

describe('projection while instances run', () => {
  it('takes the rest of the month at the cost per hour now, and says so', () => {
    // 10 May 2026 at noon; nothing billed yet (Cost Management is a day behind).
    const now = Date.UTC(2026, 4, 10, 12)
    const history = projectMonthEnd([], now)
    expect(history.projected).toBe(0)
    const running = projectWithBurnRate(history, 0.65)
    expect(running.basis).toBe('burnRate')
    expect(running.perHour).toBe(0.65)
    expect(running.dailyRate).toBeCloseTo(15.6)
    // 21.5 days left: the rest of today and 21 more.
    expect(running.projected).toBeCloseTo(0.65 * 24 * 21.5)
  })
})
