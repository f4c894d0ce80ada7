import { describe, expect, it } from 'vitest'
import { vmSizes as computeSizes } from '../../../../electron/sandbox/arm/compute/catalog'
import { hourlyUsd, vmSizes } from '../../../../electron/sandbox/seed/vm-sizes'

// Compute keeps its own SKU catalogue (restrictions, zones); every size it offers anywhere
// must have a price there, or Cost Management would bill it as free.
describe('prices cover what compute offers', () => {
  it.each(
    computeSizes.flatMap((size) => size.regions.map((region) => [size.name, region] as const)),
  )('%s in %s has Linux and Windows hourly rates', (size, region) => {
    expect(hourlyUsd(size, region, 'Linux')).toBeGreaterThan(0)
    expect(hourlyUsd(size, region, 'Windows')).toBeGreaterThan(hourlyUsd(size, region, 'Linux')!)
  })

  it('agrees with compute on vCPUs, memory, GPUs and quota family', () => {
    for (const size of computeSizes) {
      const priced = vmSizes.find((s) => s.vmSize === size.name)!
      expect({
        vCPUs: priced.vCPUs,
        memory: priced.memoryGiB,
        gpus: priced.gpus,
        family: priced.family,
      }).toEqual({
        vCPUs: size.vCPUs,
        memory: size.memoryGB,
        gpus: size.gpus,
        family: size.family,
      })
    }
  })
})
