import { describe, expect, it } from 'vitest'
import { diskTierFor, retailCatalogue } from '../../../../sandbox/prices/catalogue'
import { ratesForUsage } from '../../../../sandbox/prices/usage-rates'
import { hourlyUsd, regions, vmSizes } from '../../../../sandbox/seed/vm-sizes'

const find = (predicate: (i: (typeof retailCatalogue)[number]) => boolean) =>
  retailCatalogue.filter(predicate)

describe('sandbox retail price table', () => {
  it('prices every VM size in every region it is offered, Linux and Windows', () => {
    for (const size of vmSizes) {
      for (const region of regions) {
        const price = size.prices[region.name]
        const payg = find(
          (i) =>
            i.armSkuName === size.vmSize &&
            i.armRegionName === region.name &&
            i.type === 'Consumption' &&
            i.skuName === size.meterName,
        )
        if (!price) {
          expect(payg).toHaveLength(0)
          continue
        }
        const linux = payg.find((i) => !i.productName.endsWith('Windows'))
        const windows = payg.find((i) => i.productName.endsWith('Windows'))
        expect(linux?.retailPrice).toBeCloseTo(price.linux, 6)
        expect(windows?.retailPrice).toBeCloseTo(price.windows, 6)
        expect(windows!.retailPrice).toBeGreaterThan(linux!.retailPrice)
      }
    }
  })

  it('has Spot and Low Priority meters, cheaper than pay-as-you-go, but none for B-series', () => {
    const eastD4 = find(
      (i) =>
        i.armSkuName === 'Standard_D4s_v5' &&
        i.armRegionName === 'eastus' &&
        i.type === 'Consumption',
    )
    const names = eastD4.map((i) => `${i.productName} / ${i.skuName}`)
    expect(names).toContain('Virtual Machines Dsv5 Series / D4s v5 Spot')
    expect(names).toContain('Virtual Machines Dsv5 Series Windows / D4s v5 Low Priority')
    const regular = eastD4.find(
      (i) => i.skuName === 'D4s v5' && !i.productName.endsWith('Windows'),
    )!
    const spot = eastD4.find(
      (i) => i.skuName === 'D4s v5 Spot' && !i.productName.endsWith('Windows'),
    )!
    expect(spot.retailPrice).toBeLessThan(regular.retailPrice)
    expect(
      find((i) => i.armSkuName === 'Standard_B2s' && /Spot|Low Priority/.test(i.skuName)),
    ).toHaveLength(0)
  })

  it('offers Dev/Test Windows at the Linux rate and reservations as a total for the term', () => {
    const devTest = find(
      (i) =>
        i.type === 'DevTestConsumption' &&
        i.armSkuName === 'Standard_D4s_v5' &&
        i.armRegionName === 'eastus' &&
        i.skuName === 'D4s v5',
    )
    expect(devTest).toHaveLength(1)
    expect(devTest[0]!.retailPrice).toBeCloseTo(hourlyUsd('Standard_D4s_v5', 'eastus', 'Linux')!, 6)
    const reserved = find(
      (i) =>
        i.type === 'Reservation' &&
        i.armSkuName === 'Standard_D4s_v5' &&
        i.armRegionName === 'eastus',
    )
    expect(reserved.map((i) => i.reservationTerm).sort()).toEqual(['1 Year', '3 Years'])
    expect(reserved[0]!.retailPrice).toBeGreaterThan(500)
  })

  it('has managed disks, Azure Files, public IP and load balancer meters with their units', () => {
    const east = find((i) => i.armRegionName === 'eastus')
    expect(east.find((i) => i.meterName === 'P10 LRS Disk')).toMatchObject({
      productName: 'Premium SSD Managed Disks',
      unitOfMeasure: '1/Month',
      retailPrice: 19.71,
    })
    expect(east.find((i) => i.meterName === 'E10 LRS Disk')).toMatchObject({
      productName: 'Standard SSD Managed Disks',
      unitOfMeasure: '1/Month',
    })
    expect(east.find((i) => i.meterName === 'Premium LRS Provisioned')).toMatchObject({
      productName: 'Premium Files',
      unitOfMeasure: '1 GiB/Month',
    })
    expect(east.find((i) => i.meterName === 'LRS Data Stored')).toMatchObject({
      productName: 'Files v2',
      unitOfMeasure: '1 GB/Month',
    })
    expect(east.find((i) => i.meterName === 'Standard IPv4 Static Public IP')).toMatchObject({
      serviceName: 'Virtual Network',
      unitOfMeasure: '1 Hour',
    })
    expect(
      east.find((i) => i.meterName === 'Standard Included LB Rules and Outbound Rules'),
    ).toMatchObject({ serviceName: 'Load Balancer', retailPrice: 0.025 })
    expect(east.find((i) => i.meterName === 'Standard Data Processed')).toMatchObject({
      unitOfMeasure: '1 GB',
    })
  })

  it('gives every meter a unique, stable id', () => {
    const ids = new Set(retailCatalogue.map((i) => i.meterId))
    expect(ids.size).toBe(retailCatalogue.length)
    for (const i of retailCatalogue.slice(0, 20))
      expect(i.meterId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  })

  it('picks the billed disk tier from the disk size', () => {
    expect(diskTierFor('Premium_LRS', 128)?.tier).toBe('P10')
    expect(diskTierFor('Premium_LRS', 150)?.tier).toBe('P15')
    expect(diskTierFor('StandardSSD_LRS', 30)?.tier).toBe('E4')
    expect(diskTierFor('Premium_LRS', 10_000)?.tier).toBe('P70')
    expect(diskTierFor('Premium_LRS', 40_000)).toBeUndefined()
    expect(diskTierFor('Standard_LRS', 4)?.tier).toBe('S4')
  })
})

describe('usage rates (what Cost Management charges)', () => {
  it('charges a running Linux, Windows or Spot instance its hourly meter', () => {
    const base = {
      meter: 'compute',
      sku: 'Standard_D4s_v5',
      location: 'eastus',
      quantity: 1,
    } as const
    const [linux] = ratesForUsage({ ...base, os: 'Linux', priority: 'Regular' })
    expect(linux!.meter.retailPrice * linux!.unitsPerHour).toBeCloseTo(0.192, 6)
    const [windows] = ratesForUsage({ ...base, os: 'Windows' })
    expect(windows!.meter.productName).toBe('Virtual Machines Dsv5 Series Windows')
    const [spot] = ratesForUsage({ ...base, os: 'Linux', priority: 'Spot' })
    expect(spot!.meter.skuName).toBe('D4s v5 Spot')
    expect(ratesForUsage({ ...base, sku: 'Standard_Unknown' })).toEqual([])
    expect(
      ratesForUsage({ ...base, location: 'northeurope', sku: 'Standard_NC24ads_A100_v4' }),
    ).toEqual([])
  })

  it('prorates monthly disks and GiB-months per hour', () => {
    const [disk] = ratesForUsage({ meter: 'osDisk', sku: 'P10', location: 'eastus', quantity: 1 })
    expect(disk!.meter.retailPrice * disk!.unitsPerHour * 730).toBeCloseTo(19.71, 6)
    const [files] = ratesForUsage({
      meter: 'filesStorage',
      sku: 'Premium',
      location: 'eastus',
      quantity: 100,
    })
    expect(files!.meter.retailPrice * files!.unitsPerHour * 730).toBeCloseTo(16, 6)
  })

  it('reads the storage provider\'s share sku "<tier> <redundancy>" and disk skus with a type prefix', () => {
    const monthly = (sku: string, meter: 'filesStorage' | 'osDisk', quantity = 1) => {
      const [rate] = ratesForUsage({ meter, sku, location: 'eastus', quantity })
      return rate ? rate.meter.retailPrice * rate.unitsPerHour * 730 : undefined
    }
    expect(monthly('TransactionOptimized GRS', 'filesStorage', 10)).toBeCloseTo(1, 6)
    expect(monthly('Hot', 'filesStorage', 100)).toBeCloseTo(2.55, 6)
    expect(monthly('Premium GRS', 'filesStorage', 100)).toBeUndefined()
    expect(monthly('Premium_LRS P10', 'osDisk')).toBeCloseTo(19.71, 6)
    expect(monthly('E10', 'osDisk')).toBeCloseTo(9.6, 6)
  })

  it('charges the load balancer base rate for up to five rules and overage beyond', () => {
    const perHour = (rules: number) =>
      ratesForUsage({
        meter: 'loadBalancer',
        sku: 'Standard',
        location: 'eastus',
        quantity: rules,
      }).reduce((sum, r) => sum + r.meter.retailPrice * r.unitsPerHour, 0)
    expect(perHour(1)).toBeCloseTo(0.025, 6)
    expect(perHour(5)).toBeCloseTo(0.025, 6)
    expect(perHour(7)).toBeCloseTo(0.045, 6)
    const [ip] = ratesForUsage({
      meter: 'publicIp',
      sku: 'Standard',
      location: 'westeurope',
      quantity: 1,
    })
    expect(ip!.meter.retailPrice).toBe(0.005)
  })
})
