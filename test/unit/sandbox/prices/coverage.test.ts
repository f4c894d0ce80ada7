import { describe, expect, it } from 'vitest'
import { hourlyUsd, offeredRegions, vmSizes } from '../../../../sandbox/seed/vm-sizes'

// Compute and prices share seed/vm-sizes.ts; every size compute offers anywhere must have a
// price there, or Cost Management would bill it as free.
describe('prices cover what compute offers', () => {
  it.each(
    vmSizes.flatMap((size) => offeredRegions(size).map((region) => [size.vmSize, region] as const)),
  )('%s in %s has Linux and Windows hourly rates', (size, region) => {
    expect(hourlyUsd(size, region, 'Linux')).toBeGreaterThan(0)
    expect(hourlyUsd(size, region, 'Windows')).toBeGreaterThan(hourlyUsd(size, region, 'Linux')!)
  })
})
