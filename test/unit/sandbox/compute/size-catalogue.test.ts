import { describe, expect, it } from 'vitest'
import { availabilityOf, baseQuota } from '../../../../sandbox/arm/compute/catalog'
import { findVmSize, hourlyUsd, vmSizes } from '../../../../sandbox/seed/vm-sizes'

/** The size catalogue covers what data-science teams use, with Microsoft's published shapes. */
describe('VM size catalogue', () => {
  it.each([
    // Microsoft's own sample size and one size of every family the issue names.
    ['Standard_D2s_v3', 2, 8, 0, 'standardDSv3Family'],
    ['Standard_B2ms', 2, 8, 0, 'standardBSFamily'],
    ['Standard_D8s_v4', 8, 32, 0, 'standardDSv4Family'],
    ['Standard_D16s_v5', 16, 64, 0, 'standardDSv5Family'],
    ['Standard_D4s_v6', 4, 16, 0, 'standardDSv6Family'],
    ['Standard_D8as_v5', 8, 32, 0, 'standardDASv5Family'],
    ['Standard_D8as_v6', 8, 32, 0, 'standardDASv6Family'],
    ['Standard_E64s_v3', 64, 432, 0, 'standardESv3Family'],
    ['Standard_E8s_v4', 8, 64, 0, 'standardESv4Family'],
    ['Standard_E96s_v5', 96, 672, 0, 'standardESv5Family'],
    ['Standard_E4s_v6', 4, 32, 0, 'standardESv6Family'],
    ['Standard_F72s_v2', 72, 144, 0, 'standardFSv2Family'],
    ['Standard_NC24s_v3', 24, 448, 4, 'standardNCSv3Family'],
    ['Standard_NC64as_T4_v3', 64, 440, 4, 'Standard NCASv3_T4 Family'],
    ['Standard_NC96ads_A100_v4', 96, 880, 4, 'StandardNCADSA100v4Family'],
    ['Standard_NC40ads_H100_v5', 40, 320, 1, 'StandardNCadsH100v5Family'],
    ['Standard_NC80adis_H100_v5', 80, 640, 2, 'StandardNCadsH100v5Family'],
    ['Standard_ND96asr_v4', 96, 900, 8, 'standardNDASv4_A100Family'],
    ['Standard_ND96isr_H100_v5', 96, 1900, 8, 'standardNDSH100v5Family'],
  ] as const)(
    '%s: %i vCPUs, %i GiB, %i GPUs, quota family %s',
    (name, vCPUs, memory, gpus, family) => {
      const size = findVmSize(name)
      expect(size).toMatchObject({ vCPUs, memoryGiB: memory, gpus, family })
      expect(Object.hasOwn(baseQuota, family)).toBe(true)
    },
  )

  it('accepts Microsoft’s sample size in the sample’s region', () => {
    expect(availabilityOf('Standard_D2s_v3', 'West Europe')).toBe('available')
  })

  it('prices a size higher in West Europe than East US, and Windows above Linux', () => {
    const east = hourlyUsd('Standard_D2s_v3', 'eastus', 'Linux')!
    expect(hourlyUsd('Standard_D2s_v3', 'westeurope', 'Linux')).toBeGreaterThan(east)
    expect(hourlyUsd('Standard_D2s_v3', 'eastus', 'Windows')).toBeGreaterThan(east)
  })

  it('gives every size a unique name and a meter, and GPU sizes a GPU count', () => {
    const names = vmSizes.map((s) => s.vmSize.toLowerCase())
    expect(new Set(names).size).toBe(names.length)
    for (const size of vmSizes) {
      expect(size.meterName).not.toBe('')
      expect(size.gpus > 0).toBe(/^Standard_N/.test(size.vmSize))
    }
  })
})
