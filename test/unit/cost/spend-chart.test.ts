import { describe, expect, it } from 'vitest'
import {
  chartServices,
  chartSummary,
  dayParts,
  layoutBars,
  smallestUnit,
  yAxisFor,
  type SpendDay,
} from '../../../renderer/screens/cost/spend-chart'
import { formatMoney } from '../../../shared/cost/format'

const usd = (n: number) => `$${n.toFixed(2)}`

describe('spend chart axis', () => {
  it('ends at a round figure above the largest day, with round steps', () => {
    expect(yAxisFor(37.2)).toEqual({ max: 40, ticks: [0, 10, 20, 30, 40] })
    expect(yAxisFor(9)).toEqual({ max: 10, ticks: [0, 2.5, 5, 7.5, 10] })
    expect(yAxisFor(0.83)).toEqual({ max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] })
    expect(yAxisFor(1200)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] })
  })

  it('a largest day exactly on a step is the top, not one step more', () => {
    expect(yAxisFor(40).max).toBe(40)
  })

  it('a month without spend still has an axis', () => {
    expect(yAxisFor(0)).toEqual({ max: 1, ticks: [0, 0.5, 1] })
    // Tiny spend: no tick finer than a cent, so no label repeats ("$0.00, $0.00, $0.01").
    expect(yAxisFor(0.004)).toEqual({ max: 0.01, ticks: [0, 0.01] })
    expect(yAxisFor(0.09)).toEqual({ max: 0.1, ticks: [0, 0.05, 0.1] })
    // Yen: whole units only.
    expect(yAxisFor(3, 4, 1)).toEqual({ max: 3, ticks: [0, 1, 2, 3] })
    expect(smallestUnit('USD')).toBe(0.01)
    expect(smallestUnit('JPY')).toBe(1)
    for (const largest of [0.003, 0.02, 0.07, 0.3, 2.2, 9, 33, 444]) {
      const labels = yAxisFor(largest).ticks.map((t) => formatMoney(t, 'USD', { locale: 'en-US' }))
      expect(new Set(labels).size).toBe(labels.length)
    }
  })
})

describe('stacked bars', () => {
  const days: SpendDay[] = [
    { date: '2026-11-01', total: 30, byService: { 'Virtual Machines': 20, Storage: 10 } },
    { date: '2026-11-02', total: 0, byService: {} },
    { date: '2026-11-03', total: 15, byService: { Storage: 5, Bandwidth: 10 } },
  ]

  it('keeps five services and sums the rest as Other', () => {
    const many = ['A', 'B', 'C', 'D', 'E', 'F']
    expect(chartServices(many)).toEqual(['A', 'B', 'C', 'D', 'Other'])
    expect(chartServices(['A', 'B'])).toEqual(['A', 'B'])
    expect(
      dayParts({ date: 'x', total: 6, byService: { A: 1, E: 2, F: 3 } }, chartServices(many)),
    ).toEqual([1, 0, 0, 0, 5])
  })

  it('stacks each day bottom-up in proportion to the axis, one slot per day of the month', () => {
    const layout = layoutBars(days, ['Virtual Machines', 'Storage', 'Bandwidth'], {
      width: 300,
      height: 100,
      daysInMonth: 30,
    })
    expect(layout.axis.max).toBe(30)
    const [first, empty, third] = layout.bars
    expect(first!.x).toBeCloseTo(1.5)
    expect(first!.width).toBeCloseTo(7)
    expect(third!.x).toBeCloseTo(21.5)
    // 20 of 30 at the bottom, 10 of 30 above it: the bar reaches the top.
    const [vm, storage] = first!.segments
    expect([vm!.service, vm!.value, storage!.service, storage!.value]).toEqual([
      'Virtual Machines',
      20,
      'Storage',
      10,
    ])
    expect(vm!.height).toBeCloseTo(200 / 3)
    expect(vm!.y).toBeCloseTo(100 / 3)
    expect(storage!.height).toBeCloseTo(100 / 3)
    expect(storage!.y).toBeCloseTo(0)
    expect(empty!.segments).toEqual([])
    expect(third!.segments.map((s) => s.service)).toEqual(['Storage', 'Bandwidth'])
    expect(third!.segments[1]!.y).toBeCloseTo(50)
    expect(layout.tickY[0]).toBe(100)
    expect(layout.tickY.at(-1)).toBe(0)
  })

  it('outlines the rest of the month at the daily rate, which the axis makes room for', () => {
    const layout = layoutBars(days, ['Storage'], {
      width: 300,
      height: 100,
      daysInMonth: 30,
      dailyRate: 40,
    })
    expect(layout.axis.max).toBe(40)
    expect(layout.projected).toHaveLength(27)
    expect(layout.projected[0]).toMatchObject({ day: 4, y: 0, height: 100 })
    expect(layout.projected[0]!.x).toBeCloseTo(31.5)
    expect(layout.projected.at(-1)!.day).toBe(30)
    expect(
      layoutBars(days, ['Storage'], { width: 300, height: 100, daysInMonth: 30 }).projected,
    ).toEqual([])
  })

  it('says what the picture shows', () => {
    const projection = {
      month: '2026-11',
      monthToDate: 45,
      projected: 420,
      dailyRate: 15,
      basisDays: 2,
      remainingDays: 25,
      daysInMonth: 30,
    }
    expect(chartSummary({ days, monthToDate: 45, projection }, usd)).toBe(
      'Spend by day this month: $45.00 over 3 days; the most was $30.00 on 1 Nov. Projected for the whole month: $420.00.',
    )
    expect(chartSummary({ days: [days[1]!], monthToDate: 0, projection }, usd)).toBe(
      'No spend recorded this month so far.',
    )
  })
})
