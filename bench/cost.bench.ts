import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { httpsGet, type HttpGet } from '../electron/azure/prices/http'
import { PoolPrices } from '../electron/azure/prices/pool-prices'
import { RetailPricesClient } from '../electron/azure/prices/retail-prices-client'
import { startSandbox } from '../sandbox'
import { costInputsOf, estimatePool, type PoolCostAnswers } from '../shared/cost'
import { defaultPoolSpec } from '../shared/pool-spec'
import type { Bench } from './figure'

export interface BenchFigure {
  name: string
  value: number
  unit: string
  note: string
}

/** The wizard's starting answers, as the Review step estimates them. */
const { spec: baseSpec, schedule: officeHours } = costInputsOf({
  ...defaultPoolSpec('bench-pool'),
  location: 'eastus',
} as PoolCostAnswers)

/** A wizard session: the first size, then 10 changes (8 new sizes, 2 back to earlier ones). */
const sizeChanges = [
  'Standard_D8s_v5',
  'Standard_E4s_v5',
  'Standard_E8s_v5',
  'Standard_D4s_v5',
  'Standard_D4as_v5',
  'Standard_D8as_v5',
  'Standard_NC4as_T4_v3',
  'Standard_E16s_v5',
  'Standard_D8s_v5',
  'Standard_D16s_v5',
]

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Cost figures for `npm run bench`, measured against the sandbox in one run: price queries a
 * wizard session sends, and how long an estimate takes once its prices are cached.
 */
export async function benchCost(options: { runs?: number } = {}): Promise<BenchFigure[]> {
  const runs = options.runs ?? 200
  const sandbox = await startSandbox()
  const cacheDir = await mkdtemp(join(tmpdir(), 'bench-prices-'))
  try {
    const inner = httpsGet({ ca: sandbox.caCert })
    let requests = 0
    const http: HttpGet = (url) => {
      requests++
      return inner(url)
    }
    const pool = new PoolPrices(
      new RetailPricesClient({ endpoint: sandbox.pricesEndpoint, cacheDir, http }),
    )

    await pool.estimate(baseSpec, officeHours)
    const firstEstimate = requests
    for (const vmSize of sizeChanges) await pool.estimate({ ...baseSpec, vmSize }, officeHours)
    const sessionRequests = requests

    // A second session (the same sizes again, e.g. after a restart within the day).
    const again = new PoolPrices(
      new RetailPricesClient({ endpoint: sandbox.pricesEndpoint, cacheDir, http }),
    )
    for (const vmSize of sizeChanges) await again.estimate({ ...baseSpec, vmSize }, officeHours)
    const secondSession = requests - sessionRequests

    const warm: number[] = []
    for (let i = 0; i < runs; i++) {
      const spec = {
        ...baseSpec,
        vmSize: sizeChanges[i % sizeChanges.length]!,
        instanceCount: 1 + (i % 5),
      }
      const start = performance.now()
      await pool.estimate(spec, officeHours)
      warm.push(performance.now() - start)
    }

    const { rates } = await pool.ratesFor(baseSpec)
    const math: number[] = []
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      estimatePool({ ...baseSpec, instanceCount: 1 + (i % 5) }, rates, officeHours)
      math.push(performance.now() - start)
    }

    return [
      {
        name: 'cost.wizard.priceQueries',
        value: sessionRequests,
        unit: 'requests',
        note: `first estimate (${firstEstimate} queries: size, disk, share, IP, load balancer) + 10 size changes (8 new sizes, 2 back), cold cache`,
      },
      {
        name: 'cost.wizard.priceQueries.cachedSession',
        value: secondSession,
        unit: 'requests',
        note: 'the same 10 size changes again with the disk cache of the first session',
      },
      {
        name: 'cost.estimate.warm.median',
        value: median(warm),
        unit: 'ms',
        note: `estimate recomputation with cached prices (lookup + meter selection + math), median of ${runs}`,
      },
      {
        name: 'cost.estimate.math.median',
        value: median(math),
        unit: 'ms',
        note: `the estimate math alone (shared/cost estimatePool), median of ${runs}`,
      },
    ]
  } finally {
    await sandbox.close()
    await rm(cacheDir, { recursive: true, force: true })
  }
}

export const costBench: Bench = {
  title: 'Cost: price queries of a wizard session, and estimate time',
  run: () => benchCost(),
}
