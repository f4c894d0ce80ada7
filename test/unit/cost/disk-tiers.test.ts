import { describe, expect, it } from 'vitest'
import { diskTierFor } from '../../../shared/cost'
import { diskTiers } from '../../../sandbox/prices/catalogue'

describe('diskTierFor', () => {
  it('bills a disk at the smallest tier of its type that holds it', () => {
    expect(diskTierFor('Premium_LRS', 30)).toEqual({ tier: 'P4', sizeGiB: 32 })
    expect(diskTierFor('Premium_LRS', 127)).toEqual({ tier: 'P10', sizeGiB: 128 })
    expect(diskTierFor('Premium_LRS', 128)).toEqual({ tier: 'P10', sizeGiB: 128 })
    expect(diskTierFor('Premium_LRS', 129)).toEqual({ tier: 'P15', sizeGiB: 256 })
    expect(diskTierFor('StandardSSD_LRS', 64)).toEqual({ tier: 'E6', sizeGiB: 64 })
  })

  it('starts Standard HDD at S4 and stops after the largest tier', () => {
    expect(diskTierFor('Standard_LRS', 30)?.tier).toBe('S4')
    expect(diskTierFor('Premium_LRS', 32767)?.tier).toBe('P80')
    expect(diskTierFor('Premium_LRS', 40000)).toBeUndefined()
  })

  it("agrees with every tier in the sandbox's price table", () => {
    for (const t of diskTiers)
      expect(diskTierFor(t.storageAccountType, t.sizeGiB)?.tier).toBe(t.tier)
  })
})
