import { AppError } from '../../../shared/errors'
import { PriceCache } from './cache'
import { httpsGet, type HttpGet, type HttpReply } from './http'
import { filterOf, type PriceQuery } from './odata'
import { retailPricesPageSchema, type RetailPriceItem } from './types'

/** Filter values are case-sensitive from this version on; older ones match any case. */
export const retailPricesApiVersion = '2023-01-01-preview'
const dayMs = 24 * 60 * 60 * 1000
/** Saved answers older than this are removed (offline, a month-old price is still an estimate). */
const pruneAfterMs = 30 * dayMs

export interface RetailPricesClientOptions {
  /** The cloud's prices endpoint, e.g. https://prices.azure.com/api/retail/prices. */
  endpoint: string
  /** Folder for the disk cache (under the app's data folder). */
  cacheDir: string
  /** CA to trust (the sandbox's certificate). Ignored when `http` is given. */
  ca?: string | undefined
  /** How requests are sent; default: Node's https client. Tests count requests here. */
  http?: HttpGet
  now?: () => number
  /** How long saved prices count as current; default one day. */
  maxAgeMs?: number
  /** Pages followed at most for one query (a runaway filter stops here). */
  maxPages?: number
}

export interface PriceQueryResult {
  items: RetailPriceItem[]
  currency: string
  /** ISO time the prices were fetched from the API. */
  asOf: string
  /** Answered from the disk or memory cache, without a request. */
  fromCache: boolean
  /** The API could not be reached and the saved prices are older than a day. */
  stale: boolean
}

/** "prices as of 27 Nov 2026" for an answer that did not come from the API just now. */
export function pricesAsOfText(asOf: string): string {
  const date = new Date(asOf)
  return `prices as of ${date.getUTCDate()} ${date.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${date.getUTCFullYear()}`
}

/** Why the API did not give prices, and whether saved prices may stand in. */
class PricesUnavailable extends Error {
  constructor(
    readonly appError: AppError,
    readonly cacheMayAnswer: boolean,
  ) {
    super(appError.message)
  }
}

/**
 * The Azure Retail Prices API: equality filters, every page through NextPageLink, prices in
 * the user's currency, and a disk cache per query that answers for a day and, when the API
 * cannot be reached, for as long as it has to (saying how old it is).
 */
export class RetailPricesClient {
  private readonly cache: PriceCache
  private readonly http: HttpGet
  private readonly now: () => number
  private readonly maxAgeMs: number
  private readonly memory = new Map<string, { fetchedAt: string; items: RetailPriceItem[] }>()
  private readonly inFlight = new Map<string, Promise<PriceQueryResult>>()
  private pruned = false

  constructor(private readonly options: RetailPricesClientOptions) {
    this.cache = new PriceCache(options.cacheDir)
    this.http = options.http ?? httpsGet({ ca: options.ca })
    this.now = options.now ?? Date.now
    this.maxAgeMs = options.maxAgeMs ?? dayMs
  }

  /** The meters matching `query`, in `currency` (an ISO code the API supports; default USD). */
  query(query: PriceQuery, currency = 'USD'): Promise<PriceQueryResult> {
    const code = currency.toUpperCase()
    if (!/^[A-Z]{3}$/.test(code)) {
      return Promise.reject(new AppError('Validation', `'${currency}' is not a currency code.`))
    }
    let url: string
    try {
      url = this.urlOf(query, code)
    } catch (error) {
      return Promise.reject(new AppError('Validation', (error as Error).message))
    }
    const running = this.inFlight.get(url)
    if (running) return running
    const answer = this.answer(url, code).finally(() => this.inFlight.delete(url))
    this.inFlight.set(url, answer)
    return answer
  }

  private urlOf(query: PriceQuery, currency: string): string {
    // encodeURIComponent keeps spaces as %20 and quotes as %27, which every server reads alike.
    const parameters = [
      ['api-version', retailPricesApiVersion],
      ['currencyCode', `'${currency}'`],
      ['meterRegion', `'primary'`],
      ['$filter', filterOf(query)],
    ]
    const search = parameters
      .map(([k, v]) => `${k}=${encodeURIComponent(v!).replace(/'/g, '%27')}`)
      .join('&')
    return `${this.options.endpoint}?${search}`
  }

  private async answer(key: string, currency: string): Promise<PriceQueryResult> {
    const saved = this.memory.get(key) ?? (await this.cache.read(key))
    if (saved) this.memory.set(key, saved)
    if (saved && this.now() - Date.parse(saved.fetchedAt) < this.maxAgeMs) {
      return { items: saved.items, currency, asOf: saved.fetchedAt, fromCache: true, stale: false }
    }
    try {
      const items = await this.fetchAll(key)
      const fetchedAt = new Date(this.now()).toISOString()
      const entry = { key, fetchedAt, items }
      this.memory.set(key, entry)
      // A cache that cannot be written costs a request next time, not the answer now.
      await this.cache.write(entry).catch(() => undefined)
      this.pruneOnce()
      return { items, currency, asOf: fetchedAt, fromCache: false, stale: false }
    } catch (error) {
      if (!(error instanceof PricesUnavailable)) throw error
      if (saved && error.cacheMayAnswer) {
        return { items: saved.items, currency, asOf: saved.fetchedAt, fromCache: true, stale: true }
      }
      throw error.appError
    }
  }

  /** Once per client: answers nobody asked for in a month leave the disk. */
  private pruneOnce(): void {
    if (this.pruned) return
    this.pruned = true
    void this.cache.prune(this.now() - pruneAfterMs).catch(() => undefined)
  }

  private async fetchAll(firstUrl: string): Promise<RetailPriceItem[]> {
    const origin = new URL(firstUrl).origin
    const maxPages = this.options.maxPages ?? 200
    const items: RetailPriceItem[] = []
    let url: string | null | undefined = firstUrl
    for (let page = 0; url; page++) {
      if (page >= maxPages) {
        throw new PricesUnavailable(
          new AppError('Unknown', `The price query returned more than ${maxPages} pages.`),
          false,
        )
      }
      if (new URL(url).origin !== origin) {
        throw new PricesUnavailable(
          new AppError('Unknown', 'The price list pointed to another server for its next page.'),
          false,
        )
      }
      const body = pageOf(await this.get(url))
      items.push(...body.Items)
      url = body.NextPageLink
    }
    return items
  }

  private async get(url: string): Promise<HttpReply> {
    let reply: HttpReply
    try {
      reply = await this.http(url)
    } catch {
      throw new PricesUnavailable(
        new AppError(
          'Offline',
          'Prices could not be loaded: no network and no saved prices. Connect to the internet and try again.',
        ),
        true,
      )
    }
    if (reply.status === 200) return reply
    if (reply.status === 429) {
      const retryAfter = Number(reply.headers['retry-after'])
      throw new PricesUnavailable(
        new AppError('Throttled', 'The price list is busy. Try again in a minute.', {
          ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
        }),
        true,
      )
    }
    if (reply.status >= 500) {
      throw new PricesUnavailable(
        new AppError('Transient', 'The price list is not answering right now. Try again later.'),
        true,
      )
    }
    throw new PricesUnavailable(
      new AppError('Unknown', `The price list refused the query: ${errorMessageOf(reply.text)}`, {
        status: reply.status,
      }),
      false,
    )
  }
}

function pageOf(reply: HttpReply) {
  let json: unknown
  try {
    json = JSON.parse(reply.text)
  } catch {
    throw new PricesUnavailable(
      new AppError('Unknown', 'The price list answered with something that is not JSON.'),
      false,
    )
  }
  const parsed = retailPricesPageSchema.safeParse(json)
  if (!parsed.success) {
    throw new PricesUnavailable(
      new AppError('Unknown', 'The price list answered in an unexpected shape.'),
      false,
    )
  }
  return parsed.data
}

function errorMessageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown }; Message?: unknown }
    const message = body.error?.message ?? body.Message
    if (typeof message === 'string') return message.slice(0, 300)
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 300) || 'no reason given'
}
