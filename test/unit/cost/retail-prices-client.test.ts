import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PriceCache } from '../../../electron/azure/prices/cache'
import type { HttpGet, HttpReply } from '../../../electron/azure/prices/http'
import { RetailPricesClient } from '../../../electron/azure/prices/retail-prices-client'
import { AppError } from '../../../shared/errors'

const endpoint = 'https://prices.example/api/retail/prices'
const day = 24 * 60 * 60 * 1000

function meter(n: number, price = 0.1 * n) {
  return {
    currencyCode: 'USD',
    tierMinimumUnits: 0,
    retailPrice: price,
    unitPrice: price,
    armRegionName: 'eastus',
    location: 'US East',
    effectiveStartDate: '2024-01-01T00:00:00Z',
    meterId: `m-${n}`,
    meterName: `Meter ${n}`,
    productId: 'P',
    skuId: 'P/1',
    productName: 'Product',
    skuName: `Sku ${n}`,
    serviceName: 'Virtual Machines',
    serviceId: 'S',
    serviceFamily: 'Compute',
    unitOfMeasure: '1 Hour',
    type: 'Consumption',
    isPrimaryMeterRegion: true,
    armSkuName: 'Standard_X',
  }
}

const json = (body: unknown, status = 200): HttpReply => ({
  status,
  headers: {},
  text: JSON.stringify(body),
})

/** A price API with two pages for any query, which records every URL asked for. */
function fakeApi() {
  const urls: string[] = []
  let mode: 'ok' | 'offline' | 'throttled' = 'ok'
  const http: HttpGet = async (url) => {
    urls.push(url)
    if (mode === 'offline')
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    if (mode === 'throttled') return { status: 429, headers: { 'retry-after': '30' }, text: '' }
    const skip = Number(new URL(url).searchParams.get('$skip') ?? '0')
    if (skip === 0) {
      return json({
        BillingCurrency: 'USD',
        Items: [meter(1), meter(2)],
        NextPageLink: `${url}&$skip=2`,
      })
    }
    return json({ BillingCurrency: 'USD', Items: [meter(3)], NextPageLink: null })
  }
  return { http, urls, set: (m: typeof mode) => (mode = m) }
}

describe('RetailPricesClient', () => {
  let dir: string
  let now: number
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prices-'))
    now = Date.parse('2026-11-27T10:00:00Z')
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  const client = (http: HttpGet) =>
    new RetailPricesClient({ endpoint, cacheDir: dir, http, now: () => now })

  it('follows NextPageLink to the last page and sends the filter, currency and api-version', async () => {
    const api = fakeApi()
    const result = await client(api.http).query(
      { serviceName: 'Virtual Machines', armRegionName: 'eastus' },
      'eur',
    )
    expect(result.items.map((m) => m.meterId)).toEqual(['m-1', 'm-2', 'm-3'])
    expect(result).toMatchObject({
      currency: 'EUR',
      fromCache: false,
      stale: false,
      asOf: '2026-11-27T10:00:00.000Z',
    })
    expect(api.urls).toHaveLength(2)
    const first = new URL(api.urls[0]!)
    expect(first.searchParams.get('$filter')).toBe(
      "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus'",
    )
    expect(first.searchParams.get('currencyCode')).toBe("'EUR'")
    expect(first.searchParams.get('api-version')).toBe('2023-01-01-preview')
    expect(api.urls[0]).not.toContain('+')
  })

  it('answers the same query from the cache for a day, also after a restart', async () => {
    const api = fakeApi()
    await client(api.http).query({ armSkuName: 'Standard_X' })
    const again = await client(api.http).query({ armSkuName: 'Standard_X' })
    expect(again.fromCache).toBe(true)
    expect(again.items).toHaveLength(3)
    expect(api.urls).toHaveLength(2)
    // Another currency is another query.
    await client(api.http).query({ armSkuName: 'Standard_X' }, 'GBP')
    expect(api.urls).toHaveLength(4)
    // A day later the prices are fetched again.
    now += day + 1
    const fresh = await client(api.http).query({ armSkuName: 'Standard_X' })
    expect(fresh.fromCache).toBe(false)
    expect(api.urls).toHaveLength(6)
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('sends one request for identical queries asked at the same time', async () => {
    const api = fakeApi()
    const c = client(api.http)
    await Promise.all([c.query({ armSkuName: 'A' }), c.query({ armSkuName: 'A' })])
    expect(api.urls).toHaveLength(2)
  })

  it('offline, answers with saved prices older than a day and says how old they are', async () => {
    const api = fakeApi()
    await client(api.http).query({ armSkuName: 'Standard_X' })
    now += 3 * day
    api.set('offline')
    const result = await client(api.http).query({ armSkuName: 'Standard_X' })
    expect(result).toMatchObject({ fromCache: true, stale: true, asOf: '2026-11-27T10:00:00.000Z' })
    expect(result.items).toHaveLength(3)
  })

  it('offline without saved prices says so plainly', async () => {
    const api = fakeApi()
    api.set('offline')
    const error = await client(api.http)
      .query({ armSkuName: 'Standard_X' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({
      code: 'Offline',
      message: expect.stringMatching(
        /^Prices could not be loaded: no network and no saved prices\./,
      ),
    })
  })

  it('throttled without saved prices is Throttled with the wait; with them, the saved prices', async () => {
    const api = fakeApi()
    api.set('throttled')
    await expect(client(api.http).query({ armSkuName: 'B' })).rejects.toMatchObject({
      code: 'Throttled',
      details: { retryAfterSeconds: 30 },
    })
    api.set('ok')
    await client(api.http).query({ armSkuName: 'B' })
    now += 2 * day
    api.set('throttled')
    expect(await client(api.http).query({ armSkuName: 'B' })).toMatchObject({ stale: true })
  })

  it('does not follow a next page on another server, and refuses a bad currency', async () => {
    const http: HttpGet = async () =>
      json({
        Items: [meter(1)],
        NextPageLink: 'https://elsewhere.example/api/retail/prices?$skip=1',
      })
    await expect(client(http).query({ armSkuName: 'A' })).rejects.toThrow(/another server/)
    await expect(client(fakeApi().http).query({ armSkuName: 'A' }, 'euro')).rejects.toMatchObject({
      code: 'Validation',
    })
    await expect(client(fakeApi().http).query({ armSkuName: 'A\nB' })).rejects.toMatchObject({
      code: 'Validation',
    })
  })

  it('reports a refused query with the API message and does not fall back to the cache', async () => {
    const http: HttpGet = async () =>
      json({ error: { code: 'BadRequest', message: "Could not find a property named 'x'" } }, 400)
    await expect(client(http).query({ armSkuName: 'A' })).rejects.toThrow(
      /Could not find a property named 'x'/,
    )
  })
})

describe('PriceCache.prune', () => {
  it('removes answers written before the cut-off, and nothing it did not write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prices-prune-'))
    try {
      const cache = new PriceCache(dir)
      await cache.write({ key: 'old', fetchedAt: '2026-10-01T00:00:00.000Z', items: [] })
      await cache.write({ key: 'new', fetchedAt: '2026-11-27T00:00:00.000Z', items: [] })
      await writeFile(join(dir, 'notes.txt'), 'not ours')
      const october = new Date('2026-10-01T00:00:00Z')
      for (const name of await readdir(dir)) {
        const text = await readFile(join(dir, name), 'utf8')
        if (name === 'notes.txt' || (JSON.parse(text) as { key: string }).key === 'old') {
          await utimes(join(dir, name), october, october)
        }
      }
      expect(await cache.prune(Date.parse('2026-11-01T00:00:00Z'))).toBe(1)
      expect(await cache.read('old')).toBeUndefined()
      expect(await cache.read('new')).toBeDefined()
      expect(await readdir(dir)).toContain('notes.txt')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
