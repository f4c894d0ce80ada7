import { describe, expect, it } from 'vitest'
import { formatMoney, formatRate } from '../../../shared/cost'

describe('formatMoney', () => {
  it("uses the currency's own decimals and the locale's separators", () => {
    expect(formatMoney(357.64, 'USD', { locale: 'en-US' })).toBe('$357.64')
    expect(formatMoney(1234.5, 'EUR', { locale: 'de-DE' })).toBe('1.234,50\u00a0€')
    expect(formatMoney(1234.5, 'JPY', { locale: 'en-US' })).toBe('¥1,235')
  })

  it('keeps three significant digits for small hourly rates when asked', () => {
    expect(formatMoney(0.03456, 'USD', { locale: 'en-US', precise: true })).toBe('$0.035')
    // One format: 0.2 and 0.449 an hour read alike ("$0.2" and "$0.449" before).
    expect(formatMoney(0.2, 'USD', { locale: 'en-US', precise: true })).toBe('$0.200')
    expect(formatRate(0.449, 'USD', { locale: 'en-US' })).toBe('$0.449')
    expect(formatMoney(0.03456, 'USD', { locale: 'en-US' })).toBe('$0.03')
    expect(formatMoney(0, 'USD', { locale: 'en-US', precise: true })).toBe('$0.000')
    expect(formatMoney(2.5, 'USD', { locale: 'en-US', precise: true })).toBe('$2.500')
  })
})
