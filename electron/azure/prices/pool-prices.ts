import { estimatePool, type PoolEstimate } from '../../../shared/cost/estimate'
import type { CostSchedule } from '../../../shared/cost/schedule'
import type { CostPoolSpec, PoolRates } from '../../../shared/cost/types'
import { AppError } from '../../../shared/errors'
import {
  diskPriceQuery,
  loadBalancerPriceQuery,
  publicIpPriceQuery,
  selectDiskMeter,
  selectLoadBalancerMeters,
  selectPublicIpMeter,
  selectShareMeter,
  selectVmMeter,
  sharePriceQuery,
  vmPriceQuery,
  type MeterMatch,
  type MeterProblem,
} from './meters'
import { pricesAsOfText, type RetailPricesClient } from './retail-prices-client'

export interface PoolRatesResult {
  rates: PoolRates
  /** Oldest fetch time of the prices used (ISO). */
  asOf: string
  /** Some prices are saved ones the API could not refresh (older than a day). */
  stale: boolean
  /** "prices as of 27 Nov 2026" when stale. */
  note?: string
}

export interface PoolEstimateResult extends PoolRatesResult {
  estimate: PoolEstimate
}

/**
 * Unit prices for a pool spec from the Retail Prices API: five queries (the VM size, the
 * disk product, the share product, public IPs, load balancer), each cached by the client, so
 * a wizard that changes only the size asks for one new query per new size.
 */
export class PoolPrices {
  constructor(private readonly client: RetailPricesClient) {}

  async ratesFor(spec: CostPoolSpec, currency = 'USD'): Promise<PoolRatesResult> {
    const region = spec.region
    const [vm, disk, share, ip, lb] = await Promise.all([
      this.client.query(vmPriceQuery(spec), currency),
      this.client.query(diskPriceQuery({ region, ...spec.osDisk }), currency),
      this.client.query(sharePriceQuery({ region, ...spec.share }), currency),
      this.client.query(publicIpPriceQuery(region), currency),
      this.client.query(loadBalancerPriceQuery(region), currency),
    ])
    const loadBalancer = selectLoadBalancerMeters(lb.items, region)
    const matches: MeterMatch[] = [
      selectVmMeter(vm.items, spec),
      selectDiskMeter(disk.items, { region, ...spec.osDisk }),
      selectShareMeter(share.items, { region, ...spec.share }),
      selectPublicIpMeter(ip.items, region),
      loadBalancer.base,
      loadBalancer.rule,
    ]
    const problems = matches.flatMap((m) => ('problem' in m ? [m.problem] : []))
    if (problems.length > 0) throw meterProblemsError(problems)
    const [compute, osDisk, shareGiB, publicIp, lbBase, lbRule] = matches.map(
      (m) => (m as { meter: { retailPrice: number } }).meter.retailPrice,
    ) as [number, number, number, number, number, number]

    const answers = [vm, disk, share, ip, lb]
    const asOf = answers.map((a) => a.asOf).sort()[0]!
    const stale = answers.some((a) => a.stale)
    return {
      rates: {
        currency: vm.currency,
        computePerHour: compute,
        osDiskPerMonth: osDisk,
        sharePerGiBMonth: shareGiB,
        publicIpPerHour: publicIp,
        loadBalancerPerHour: lbBase,
        loadBalancerRulePerHour: lbRule,
      },
      asOf,
      stale,
      ...(stale ? { note: pricesAsOfText(asOf) } : {}),
    }
  }

  /** The wizard's and pool detail's estimate, with how current its prices are. */
  async estimate(
    spec: CostPoolSpec,
    schedule: CostSchedule | undefined,
    currency = 'USD',
  ): Promise<PoolEstimateResult> {
    const prices = await this.ratesFor(spec, currency)
    return { ...prices, estimate: estimatePool(spec, prices.rates, schedule) }
  }
}

/** Meter problems as one AppError: NotFound when something has no price, Conflict when unclear. */
export function meterProblemsError(problems: MeterProblem[]): AppError {
  const none = problems.filter((p) => p.kind === 'none')
  const list = (ps: MeterProblem[]) => ps.map((p) => p.wanted).join('; ')
  const message =
    none.length > 0
      ? `No price was found for ${list(none)}. It may not be offered there; try another size or region.`
      : `More than one price matches ${list(problems)}; the estimate is left out rather than guessed.`
  return new AppError(none.length > 0 ? 'NotFound' : 'Conflict', message, { problems })
}
