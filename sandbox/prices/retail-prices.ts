import { ArmError } from '../core/arm-error'
import type { SandboxContext } from '../core/context'
import type { SandboxReply, SandboxRequest } from '../core/http'
import { retailCatalogue, type RetailPriceItem } from './catalogue'
import { convertUsd, parseCurrency, usdRates } from './currencies'
import { compileFilter, FilterError, type FilterRecord } from './odata-filter'

/** Items per page, as documented for the Retail Prices API. */
export const retailPricesPageSize = 100

/** Filter values became case-sensitive, and savings plan rates appeared, with this API version. */
const caseSensitiveSince = '2023-01-01-preview'
const savingsPlansSince = '2023-01-01-preview'

/** Every property of an item can be filtered on (reservationTerm exists on reservations only). */
const itemFields: Array<keyof RetailPriceItem> = [
  ...Object.keys(retailCatalogue[0]!),
  'reservationTerm',
] as Array<keyof RetailPriceItem>

/** The wire shape of one page. */
export interface RetailPricesPage {
  BillingCurrency: string
  CustomerEntityId: string
  CustomerEntityType: string
  Items: RetailPriceItem[]
  NextPageLink: string | null
  Count: number
}

/** GET /api/retail/prices: filter, currency and paging as prices.azure.com does them. */
export function retailPricesHandler(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const currency = parseCurrency(req.query('currencyCode'))
  if (!currency) {
    throw new ArmError(
      400,
      'BadRequest',
      `Invalid currency code '${req.query('currencyCode')}'. Supported currencies: ${Object.keys(usdRates).join(', ')}.`,
    )
  }
  const skipText = req.query('$skip') ?? '0'
  const skip = Number(skipText)
  if (!Number.isInteger(skip) || skip < 0) {
    throw new ArmError(
      400,
      'BadRequest',
      `Invalid value '${skipText}' for $skip: it must be a non-negative integer.`,
    )
  }

  const apiVersion = req.query('api-version')
  const ignoreCase = !apiVersion || apiVersion < caseSensitiveSince
  let matches: readonly RetailPriceItem[] = retailCatalogue
  const filterText = req.query('$filter')
  if (filterText && filterText.trim() !== '') {
    try {
      const predicate = compileFilter(filterText, itemFields, { ignoreCase })
      matches = retailCatalogue.filter((entry) => predicate(entry as unknown as FilterRecord))
    } catch (error) {
      if (error instanceof FilterError) throw new ArmError(400, 'BadRequest', error.message)
      throw error
    }
  }
  if (/^'?primary'?$/i.test(req.query('meterRegion') ?? '')) {
    matches = matches.filter((entry) => entry.isPrimaryMeterRegion)
  }

  const savingsPlans = !!apiVersion && apiVersion >= savingsPlansSince
  const page = matches
    .slice(skip, skip + retailPricesPageSize)
    .map((entry) => inCurrency(savingsPlans ? withSavingsPlan(entry) : entry, currency))
  const next =
    skip + retailPricesPageSize < matches.length
      ? nextPageLink(req, ctx, skip + retailPricesPageSize)
      : null
  const body: RetailPricesPage = {
    BillingCurrency: currency,
    CustomerEntityId: 'Default',
    CustomerEntityType: 'Retail',
    Items: page,
    NextPageLink: next,
    Count: page.length,
  }
  return { status: 200, body }
}

type SavingsPlanPrice = NonNullable<RetailPriceItem['savingsPlan']>[number]

const savingsPlanTerms = [
  { term: '3 Years', factor: 0.48 },
  { term: '1 Year', factor: 0.7 },
] as const

function withSavingsPlan(entry: RetailPriceItem): RetailPriceItem {
  const eligible =
    entry.serviceName === 'Virtual Machines' &&
    entry.type === 'Consumption' &&
    !/ (Spot|Low Priority)$/.test(entry.skuName)
  if (!eligible) return entry
  const savingsPlan: SavingsPlanPrice[] = savingsPlanTerms.map(({ term, factor }) => {
    const price = Math.round(entry.retailPrice * factor * 1_000_000) / 1_000_000
    return { unitPrice: price, retailPrice: price, term }
  })
  return { ...entry, savingsPlan }
}

function inCurrency(entry: RetailPriceItem, currency: string): RetailPriceItem {
  if (currency === 'USD') return entry
  return {
    ...entry,
    currencyCode: currency,
    retailPrice: convertUsd(entry.retailPrice, currency),
    unitPrice: convertUsd(entry.unitPrice, currency),
    ...(entry.savingsPlan
      ? {
          savingsPlan: entry.savingsPlan.map((plan) => ({
            ...plan,
            unitPrice: convertUsd(plan.unitPrice, currency),
            retailPrice: convertUsd(plan.retailPrice, currency),
          })),
        }
      : {}),
  }
}

/** The same query with `$skip` moved on, on the sandbox's own prices endpoint. */
function nextPageLink(req: SandboxRequest, ctx: SandboxContext, skip: number): string {
  const base = ctx.endpoints.pricesEndpoint || `${req.url.origin}/api/retail/prices`
  const parts: string[] = []
  for (const [key, value] of req.url.searchParams) {
    if (key.toLowerCase() === '$skip') continue
    parts.push(`${key}=${encodeURIComponent(value).replace(/'/g, '%27')}`)
  }
  parts.push(`$skip=${skip}`)
  return `${base}?${parts.join('&')}`
}
