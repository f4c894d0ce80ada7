import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liveBurnRate } from '../../../electron/azure/cost/burn-rate'
import { PoolPrices } from '../../../electron/azure/prices/pool-prices'
import { RetailPricesClient } from '../../../electron/azure/prices/retail-prices-client'
import { startSandbox, type Sandbox } from '../../../sandbox'

/*
 * Burn rate of a live pool priced from the sandbox's price list. East US: D4s v5 Linux
 * $0.192/h, E10 (the template's 128 GiB Standard SSD) $9.60/month, Standard IP $0.005/h,
 * Standard load balancer $0.025/h, transaction-optimized share $0.06/GiB-month.
 */
describe('liveBurnRate against the sandbox prices', () => {
  let sandbox: Sandbox
  let cacheDir: string
  let prices: PoolPrices

  beforeAll(async () => {
    sandbox = await startSandbox()
    cacheDir = await mkdtemp(join(tmpdir(), 'burn-rate-'))
    prices = new PoolPrices(
      new RetailPricesClient({ endpoint: sandbox.pricesEndpoint, cacheDir, ca: sandbox.caCert }),
    )
  })
  afterAll(async () => {
    await sandbox?.close()
    await rm(cacheDir, { recursive: true, force: true })
  })

  const pool = { region: 'eastus', vmSize: 'Standard_D4s_v5', os: 'Linux' } as const

  it('running instances, every disk, and the fixed parts', async () => {
    const rate = await liveBurnRate(prices, { ...pool, running: 2, total: 3, shareGiB: 73 })
    expect(rate.parts.compute).toBeCloseTo(2 * 0.192, 10)
    // three disks, the third on a deallocated instance
    expect(rate.parts.disks).toBeCloseTo((3 * 9.6) / 730, 10)
    expect(rate.parts.storage).toBeCloseTo((73 * 0.06) / 730, 10)
    expect(rate.parts.network).toBeCloseTo(0.005 + 0.025, 10)
    expect(rate.perHour).toBeCloseTo(0.384 + 28.8 / 730 + 4.38 / 730 + 0.03, 10)
    expect(rate).toMatchObject({ currency: 'USD', stale: false })
  })

  it('a pool scaled to zero still pays for its IP and load balancer', async () => {
    const rate = await liveBurnRate(prices, { ...pool, running: 0, total: 0 })
    expect(rate.perHour).toBeCloseTo(0.03, 10)
    const internal = await liveBurnRate(prices, {
      ...pool,
      running: 0,
      total: 0,
      publicAccess: false,
    })
    expect(internal.perHour).toBeCloseTo(0.025, 10)
  })

  it('Windows Spot in euros', async () => {
    const rate = await liveBurnRate(
      prices,
      { ...pool, os: 'Windows', priority: 'Spot', running: 1, total: 1 },
      'EUR',
    )
    // (0.192 + 4 × 0.046) × 0.18 = 0.06768 USD at 0.92
    expect(rate.parts.compute).toBeCloseTo(0.06768 * 0.92, 5)
    expect(rate.currency).toBe('EUR')
  })
})
