import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpsGet, type HttpGet } from '../../../electron/azure/prices/http'
import { PoolPrices } from '../../../electron/azure/prices/pool-prices'
import { RetailPricesClient } from '../../../electron/azure/prices/retail-prices-client'
import { startSandbox, type Sandbox } from '../../../sandbox'
import { retailCatalogue } from '../../../sandbox/prices/catalogue'
import { usdRates } from '../../../sandbox/prices/currencies'
import type { CostPoolSpec } from '../../../shared/cost'
import { AppError } from '../../../shared/errors'

/*
 * The Retail Prices client against the sandbox's prices.azure.com: every request goes over
 * HTTPS to the sandbox and is counted by wrapping the client's transport.
 */

const day = 24 * 60 * 60 * 1000

function counting(inner: HttpGet): HttpGet & { urls: string[] } {
  const urls: string[] = []
  const http = Object.assign(
    (url: string) => {
      urls.push(url)
      return inner(url)
    },
    { urls },
  )
  return http
}

const spec: CostPoolSpec = {
  region: 'eastus',
  vmSize: 'Standard_D4s_v5',
  os: 'Linux',
  priority: 'Regular',
  instanceCount: 2,
  osDisk: { storageAccountType: 'Premium_LRS', sizeGiB: 128 },
  share: { tier: 'Premium', redundancy: 'LRS', sizeGiB: 100 },
  network: { publicIps: 1, loadBalancerRules: 2 },
}

describe('Retail Prices client against the sandbox', () => {
  let sandbox: Sandbox
  let closed = false
  const dirs: string[] = []
  let now = Date.now()

  const client = async (dir?: string) => {
    const cacheDir = dir ?? (await mkdtemp(join(tmpdir(), 'prices-it-')))
    dirs.push(cacheDir)
    const http = counting(httpsGet({ ca: sandbox.caCert }))
    return {
      http,
      cacheDir,
      prices: new RetailPricesClient({
        endpoint: sandbox.pricesEndpoint,
        cacheDir,
        http,
        now: () => now,
      }),
    }
  }

  beforeAll(async () => {
    sandbox = await startSandbox()
  })
  afterAll(async () => {
    if (!closed) await sandbox?.close()
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  })

  it('reads every page of a large answer through NextPageLink', async () => {
    const { prices, http } = await client()
    const result = await prices.query({ serviceName: 'Virtual Machines', armRegionName: 'eastus' })
    const expected = retailCatalogue.filter(
      (m) => m.serviceName === 'Virtual Machines' && m.armRegionName === 'eastus',
    )
    expect(expected.length).toBeGreaterThan(100)
    expect(result.items).toHaveLength(expected.length)
    expect(new Set(result.items.map((m) => m.meterId)).size).toBe(expected.length)
    expect(http.urls).toHaveLength(Math.ceil(expected.length / 100))
  })

  it("prices in the user's currency", async () => {
    const { prices } = await client()
    const query = {
      serviceName: 'Virtual Machines',
      armRegionName: 'westeurope',
      armSkuName: 'Standard_D4s_v5',
    }
    const usd = await prices.query(query, 'USD')
    const eur = await prices.query(query, 'EUR')
    expect(eur.currency).toBe('EUR')
    expect(eur.items.every((m) => m.currencyCode === 'EUR')).toBe(true)
    for (const item of usd.items) {
      const inEuro = eur.items.find((m) => m.meterId === item.meterId)!
      expect(inEuro.retailPrice).toBeCloseTo(item.retailPrice * usdRates.EUR!, 5)
    }
  })

  it('answers a repeated query from the cache, in the same run and after a restart', async () => {
    const first = await client()
    const query = {
      serviceName: 'Storage',
      armRegionName: 'eastus',
      productName: 'Premium SSD Managed Disks',
    }
    await first.prices.query(query)
    const sent = first.http.urls.length
    expect(sent).toBe(1)
    expect((await first.prices.query(query)).fromCache).toBe(true)
    expect(first.http.urls).toHaveLength(sent)

    const restarted = await client(first.cacheDir)
    const again = await restarted.prices.query(query)
    expect(again.fromCache).toBe(true)
    expect(again.items.length).toBeGreaterThan(10)
    expect(restarted.http.urls).toHaveLength(0)
  })

  it("picks the sandbox's meters for a pool and prices the hand-worked estimate", async () => {
    const { prices, http } = await client()
    const pool = new PoolPrices(prices)
    const result = await pool.estimate(spec, undefined)
    expect(result.rates).toEqual({
      currency: 'USD',
      computePerHour: 0.192,
      osDiskPerMonth: 19.71,
      sharePerGiBMonth: 0.16,
      publicIpPerHour: 0.005,
      loadBalancerPerHour: 0.025,
      loadBalancerRulePerHour: 0.01,
    })
    // 2 × 0.192 × 730 + 2 × 19.71 + 100 × 0.16 + (0.005 + 0.025) × 730
    expect(result.estimate.perMonthAlwaysOn).toBeCloseTo(357.64, 6)
    expect(http.urls).toHaveLength(5)

    const windowsSpot = await pool.ratesFor({ ...spec, os: 'Windows', priority: 'Spot' })
    // (0.192 + 4 × 0.046) × (1 − 0.82)
    expect(windowsSpot.rates.computePerHour).toBeCloseTo(0.06768, 6)
    // The size's answer already holds its Windows and Spot meters: no new request.
    expect(http.urls).toHaveLength(5)
  })

  it('reports a size with no Spot price instead of guessing one', async () => {
    const { prices } = await client()
    const error = await new PoolPrices(prices)
      .ratesFor({ ...spec, vmSize: 'Standard_B2s', priority: 'Spot' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({
      code: 'NotFound',
      message: expect.stringContaining('Standard_B2s Linux Spot in eastus'),
      details: { problems: [expect.objectContaining({ part: 'compute', kind: 'none' })] },
    })
  })

  it('offline, uses saved prices and says how old they are; without them, says so', async () => {
    const { prices, cacheDir } = await client()
    const fetched = await new PoolPrices(prices).ratesFor(spec, 'GBP')
    await sandbox.close()
    closed = true
    now += 3 * day
    const offline = await client(cacheDir)
    const result = await new PoolPrices(offline.prices).ratesFor(spec, 'GBP')
    expect(result.stale).toBe(true)
    expect(result.rates).toEqual(fetched.rates)
    expect(result.asOf).toBe(fetched.asOf)
    const asOf = new Date(fetched.asOf)
    expect(result.note).toBe(
      `prices as of ${asOf.getUTCDate()} ${asOf.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${asOf.getUTCFullYear()}`,
    )
    expect(offline.http.urls.length).toBeGreaterThan(0)

    await expect(offline.prices.query({ armSkuName: 'Standard_E8s_v5' })).rejects.toMatchObject({
      code: 'Offline',
      message: expect.stringContaining(
        'Prices could not be loaded: no network and no saved prices.',
      ),
    })
  })
})
