import { describe, expect, it } from 'vitest'
import {
  hourlyUsd,
  offeredRegions,
  vmSizes,
  vmSizes as computeSizes,
} from '../../../../electron/sandbox/seed/vm-sizes'

// Compute and prices share seed/vm-sizes.ts; every size compute offers anywhere must have a
// price there, or Cost Management would bill it as free.
describe('prices cover what compute offers', () => {
  it.each(
    computeSizes.flatMap((size) =>
      offeredRegions(size).map((region) => [size.vmSize, region] as const),
    ),
  )('%s in %s has Linux and Windows hourly rates', (size, region) => {
    expect(hourlyUsd(size, region, 'Linux')).toBeGreaterThan(0)
    expect(hourlyUsd(size, region, 'Windows')).toBeGreaterThan(hourlyUsd(size, region, 'Linux')!)
  })

  it('agrees with compute on vCPUs, memory, GPUs and quota family', () => {
    for (const size of computeSizes) {
      const priced = vmSizes.find((s) => s.vmSize === size.vmSize)!
      expect({
        vCPUs: priced.vCPUs,
        memory: priced.memoryGiB,
        gpus: priced.gpus,
        family: priced.family,
      }).toEqual({
        vCPUs: size.vCPUs,
        memory: size.memoryGiB,
        gpus: size.gpus,
        family: size.family,
      })
    }
  })
})
