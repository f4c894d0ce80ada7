/**
 * Money as people read it, in the pool's currency: "$357.64", "357,64 €". Hourly rates below
 * one unit keep three significant digits ("$0.0346"), where two decimals would say "$0.03".
 */
export function formatMoney(
  amount: number,
  currency: string,
  options: { locale?: string; precise?: boolean } = {},
): string {
  const small = options.precise && Math.abs(amount) < 1 && amount !== 0
  return new Intl.NumberFormat(options.locale, {
    style: 'currency',
    currency,
    ...(small ? { maximumSignificantDigits: 3, minimumSignificantDigits: 1 } : {}),
  }).format(amount)
}
