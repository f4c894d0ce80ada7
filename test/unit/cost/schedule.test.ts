import { describe, expect, it } from 'vitest'
import { workingHoursPerDay, workingHoursPerMonth, workingHoursPerWeek } from '../../../shared/cost'

describe('working hours', () => {
  it('counts a day from start to end', () => {
    expect(workingHoursPerDay({ start: '08:00', end: '18:00' })).toBe(10)
    expect(workingHoursPerDay({ start: '08:30', end: '17:15' })).toBe(8.75)
  })

  it('runs past midnight when the end is earlier than the start; equal means all day', () => {
    expect(workingHoursPerDay({ start: '22:00', end: '06:00' })).toBe(8)
    expect(workingHoursPerDay({ start: '00:00', end: '00:00' })).toBe(24)
  })

  it('counts each weekday once and scales a week to 730 hours a month', () => {
    const hours = { days: [1, 2, 3, 4, 5, 5] as const, start: '09:00', end: '17:00' }
    expect(workingHoursPerWeek({ ...hours, days: [...hours.days] })).toBe(40)
    // 40 × 730 / 168
    expect(workingHoursPerMonth({ ...hours, days: [...hours.days] })).toBeCloseTo(173.8095, 4)
    const always = {
      days: [0, 1, 2, 3, 4, 5, 6] as Array<0 | 1 | 2 | 3 | 4 | 5 | 6>,
      start: '00:00',
      end: '00:00',
    }
    expect(workingHoursPerMonth(always)).toBeCloseTo(730, 10)
  })

  it('refuses times that are not HH:MM', () => {
    expect(() => workingHoursPerDay({ start: '8:00', end: '18:00' })).toThrow(/HH:MM/)
    expect(() => workingHoursPerDay({ start: '08:00', end: '24:00' })).toThrow(/HH:MM/)
  })
})
