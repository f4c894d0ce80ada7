import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  selectDiskMeter,
  selectLoadBalancerMeters,
  selectPublicIpMeter,
  selectShareMeter,
  selectVmMeter,
  type MeterMatch,
} from '../../../electron/azure/prices/meters'
import { retailPriceItemSchema, type RetailPriceItem } from '../../../electron/azure/prices/types'
import { diskTiers, retailCatalogue } from '../../../sandbox/prices/catalogue'
import { hourlyUsd, regions, vmSizes } from '../../../sandbox/seed/vm-sizes'
import type { ShareTier } from '../../../shared/cost'

const examples = join(
  process.env.AZURE_API_EXAMPLES ?? join(__dirname, '../../../../shared/azure-api-examples'),
  'retail-prices',
)
const sample = (file: string): RetailPriceItem =>
  retailPriceItemSchema.parse(JSON.parse(readFileSync(`${examples}/${file}`, 'utf8')))

const meterOf = (match: MeterMatch) => {
  if ('problem' in match) throw new Error(`no meter: ${JSON.stringify(match.problem)}`)
  return match.meter
}
const problemOf = (match: MeterMatch) => ('problem' in match ? match.problem : undefined)

describe("meter selection against Microsoft's samples", () => {
  // F16s Spot, Windows product, Dev/Test price type, West Europe.
  const devTestSpot = sample('sample.json')
  const reservation = sample('sample-reservation.json')
  const f16s = { region: 'westeurope', vmSize: 'Standard_F16s' } as const

  it('takes the Dev/Test Windows Spot meter only when exactly that is asked for', () => {
    const match = selectVmMeter([devTestSpot], {
      ...f16s,
      os: 'Windows',
      priority: 'Spot',
      priceType: 'DevTestConsumption',
    })
    expect(meterOf(match).retailPrice).toBe(0.176346)
  })

  it('does not take it for pay-as-you-go, Linux or Regular: no meter, reported not guessed', () => {
    for (const want of [
      { os: 'Windows', priority: 'Spot' },
      { os: 'Linux', priority: 'Spot', priceType: 'DevTestConsumption' },
      { os: 'Windows', priority: 'Regular', priceType: 'DevTestConsumption' },
      { os: 'Windows', priority: 'LowPriority', priceType: 'DevTestConsumption' },
    ] as const) {
      const problem = problemOf(selectVmMeter([devTestSpot], { ...f16s, ...want }))
      expect(problem).toMatchObject({ part: 'compute', kind: 'none' })
      expect(problem?.candidates[0]?.skuName).toBe('F16s Spot')
    }
  })

  it('never takes a reservation price for an hourly rate', () => {
    const problem = problemOf(
      selectVmMeter([reservation], {
        region: 'southcentralus',
        vmSize: 'Standard_E64_v4',
        os: 'Linux',
        priority: 'Regular',
      }),
    )
    expect(problem?.kind).toBe('none')
  })

  it('reports two different meters for the same thing as ambiguous', () => {
    const other = { ...devTestSpot, meterId: 'another-meter', retailPrice: 0.2 }
    const problem = problemOf(
      selectVmMeter([devTestSpot, other], {
        ...f16s,
        os: 'Windows',
        priority: 'Spot',
        priceType: 'DevTestConsumption',
      }),
    )
    expect(problem).toMatchObject({ kind: 'ambiguous' })
    expect(problem?.candidates).toHaveLength(2)
    // The same meter twice (a non-primary copy) is one meter.
    const copy = { ...devTestSpot, isPrimaryMeterRegion: false }
    expect(
      meterOf(
        selectVmMeter([copy, devTestSpot], {
          ...f16s,
          os: 'Windows',
          priority: 'Spot',
          priceType: 'DevTestConsumption',
        }),
      ).isPrimaryMeterRegion,
    ).toBe(true)
  })
})

describe("meter selection against the sandbox's price table", () => {
  const table = retailCatalogue as unknown as RetailPriceItem[]
  const inRegion = (region: string) => table.filter((m) => m.armRegionName === region)

  it('finds exactly the sandbox rate for every size, region, OS and priority it offers', () => {
    let checked = 0
    for (const region of regions) {
      const items = inRegion(region.name)
      for (const size of vmSizes) {
        for (const os of ['Linux', 'Windows'] as const) {
          for (const priority of ['Regular', 'Spot', 'LowPriority'] as const) {
            const expected = hourlyUsd(
              size.vmSize,
              region.name,
              os,
              priority === 'LowPriority' ? 'Low' : priority,
            )
            const match = selectVmMeter(items, {
              region: region.name,
              vmSize: size.vmSize,
              os,
              priority,
            })
            if (expected === undefined) {
              expect(problemOf(match)?.kind).toBe('none')
            } else {
              expect(meterOf(match).retailPrice).toBeCloseTo(expected, 4)
              checked++
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200)
  })

  it('Dev/Test Windows is priced without the licence', () => {
    const items = inRegion('eastus')
    const want = {
      region: 'eastus',
      vmSize: 'Standard_D4s_v5',
      os: 'Windows',
      priority: 'Regular',
    } as const
    expect(
      meterOf(selectVmMeter(items, { ...want, priceType: 'DevTestConsumption' })).retailPrice,
    ).toBe(0.192)
    expect(meterOf(selectVmMeter(items, want)).retailPrice).toBe(0.376)
  })

  it('prices every managed disk tier per month at the tier that holds the size', () => {
    const items = inRegion('eastus')
    for (const tier of diskTiers) {
      const match = selectDiskMeter(items, {
        region: 'eastus',
        storageAccountType: tier.storageAccountType,
        sizeGiB: tier.sizeGiB,
      })
      expect(meterOf(match).retailPrice).toBeCloseTo(tier.monthlyUsd, 6)
    }
    // 100 GiB Premium is billed as P10.
    expect(
      meterOf(
        selectDiskMeter(items, {
          region: 'eastus',
          storageAccountType: 'Premium_LRS',
          sizeGiB: 100,
        }),
      ).meterName,
    ).toBe('P10 LRS Disk')
    expect(
      problemOf(
        selectDiskMeter(items, {
          region: 'eastus',
          storageAccountType: 'Premium_LRS',
          sizeGiB: 99999,
        }),
      )?.kind,
    ).toBe('none')
  })

  it("takes the disk meter, not the same tier's other meters, in either spelling of the unit", () => {
    const p10 = table.find((m) => m.armRegionName === 'eastus' && m.meterName === 'P10 LRS Disk')!
    const items = [
      { ...p10, meterId: 'mount', meterName: 'P10 LRS Disk Mount', retailPrice: 1 },
      { ...p10, meterId: 'burst', meterName: 'P10 LRS Burst Enablement', retailPrice: 2 },
      { ...p10, unitOfMeasure: '1 Month' },
    ]
    const match = selectDiskMeter(items, {
      region: 'eastus',
      storageAccountType: 'Premium_LRS',
      sizeGiB: 128,
    })
    expect(meterOf(match).retailPrice).toBe(19.71)
  })

  it('prices Azure Files provisioned (Premium) and stored (standard tiers) per GiB-month', () => {
    const items = inRegion('eastus')
    const price = (tier: ShareTier, redundancy: 'LRS' | 'ZRS' | 'GRS' = 'LRS') =>
      meterOf(selectShareMeter(items, { region: 'eastus', tier, redundancy }))
    expect(price('Premium')).toMatchObject({
      meterName: 'Premium LRS Provisioned',
      retailPrice: 0.16,
    })
    expect(price('TransactionOptimized')).toMatchObject({
      meterName: 'LRS Data Stored',
      retailPrice: 0.06,
    })
    expect(price('Hot', 'ZRS').retailPrice).toBe(0.032)
    expect(price('Cool').retailPrice).toBe(0.015)
    // The sandbox has no GRS premium shares: reported.
    expect(
      problemOf(selectShareMeter(items, { region: 'eastus', tier: 'Premium', redundancy: 'GRS' }))
        ?.kind,
    ).toBe('none')
  })

  it('prices the Standard public IP and load balancer rules per hour', () => {
    const items = inRegion('westeurope')
    expect(meterOf(selectPublicIpMeter(items, 'westeurope')).retailPrice).toBe(0.005)
    const lb = selectLoadBalancerMeters(items, 'westeurope')
    expect(meterOf(lb.base).retailPrice).toBe(0.025)
    expect(meterOf(lb.rule).retailPrice).toBe(0.01)
  })
})
