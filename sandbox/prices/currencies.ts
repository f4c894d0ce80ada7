/**
 * Currencies the Retail Prices API accepts, with the fixed rate the sandbox uses to convert
 * from USD (Azure prices in USD and converts; the rates here are fixed so that tests and
 * screenshots agree).
 */
export const usdRates: Record<string, number> = {
  USD: 1,
  AUD: 1.52,
  BRL: 5.05,
  CAD: 1.37,
  CHF: 0.88,
  CNY: 7.21,
  DKK: 6.86,
  EUR: 0.92,
  GBP: 0.79,
  INR: 83.4,
  JPY: 151.2,
  KRW: 1345,
  NOK: 10.7,
  NZD: 1.66,
  RUB: 92.5,
  SEK: 10.6,
  TWD: 31.9,
}

/** `currencyCode=EUR` or `currencyCode='EUR'` → 'EUR'; undefined when not supported. */
export function parseCurrency(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return 'USD'
  const code = raw
    .trim()
    .replace(/^'(.*)'$/, '$1')
    .toUpperCase()
  return code in usdRates ? code : undefined
}

/** Converts a USD price, keeping the precision the real API returns (up to 6 decimals). */
export function convertUsd(usd: number, currency: string): number {
  const rate = usdRates[currency] ?? 1
  return Math.round(usd * rate * 1_000_000) / 1_000_000
}
