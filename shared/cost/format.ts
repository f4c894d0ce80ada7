/**
 * The app's one money format, in the pool's currency. Amounts (spend, budgets, months) use
 * the currency's own decimals: "$357.64", "357,64 €". Prices per hour (`precise`, or
 * formatRate) always show three decimals, so rates line up and compare: "$0.200", "$0.449",
 * "$3.550", where two would say "$0.20" for 0.2 and 0.204 alike.
 */
export function formatMoney(
  amount: number,
  currency: string,
  options: { locale?: string; precise?: boolean } = {},
): string {
  if (options.precise) return formatRate(amount, currency, options)
  return new Intl.NumberFormat(options.locale, { style: 'currency', currency }).format(amount)
}

/** A price per hour, with three decimals ("$0.449"). */
export function formatRate(
  amount: number,
  currency: string,
  options: { locale?: string } = {},
): string {
  return new Intl.NumberFormat(options.locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: 3,
    maximumFractionDigits: 3,
  }).format(amount)
}
