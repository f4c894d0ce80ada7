import type { DiskStorageType } from './types'

/**
 * Managed disks are billed by tier: the smallest tier of the disk's type that holds its
 * size (a 30 GiB Premium SSD is billed as P4 at 32 GiB; 128 GiB as P10). Azure's tier table.
 */
const tierSizesGiB = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767]
const tierNumbers = [1, 2, 3, 4, 6, 10, 15, 20, 30, 40, 50, 60, 70, 80]
const letters: Record<DiskStorageType, string> = {
  Premium_LRS: 'P',
  StandardSSD_LRS: 'E',
  Standard_LRS: 'S',
}
/** Standard HDD starts at S4 (32 GiB): smaller disks are billed as S4. */
const smallestIndex: Record<DiskStorageType, number> = {
  Premium_LRS: 0,
  StandardSSD_LRS: 0,
  Standard_LRS: 3,
}

/** Retail Prices product of each disk type. */
export const diskProductNames: Record<DiskStorageType, string> = {
  Premium_LRS: 'Premium SSD Managed Disks',
  StandardSSD_LRS: 'Standard SSD Managed Disks',
  Standard_LRS: 'Standard HDD Managed Disks',
}

export interface DiskTier {
  /** "P10", "E10", "S4" … */
  tier: string
  sizeGiB: number
}

/** The billed tier of a disk; undefined above the largest tier (32,767 GiB). */
export function diskTierFor(type: DiskStorageType, sizeGiB: number): DiskTier | undefined {
  for (let i = smallestIndex[type]; i < tierSizesGiB.length; i++) {
    if (tierSizesGiB[i]! >= sizeGiB)
      return { tier: `${letters[type]}${tierNumbers[i]}`, sizeGiB: tierSizesGiB[i]! }
  }
  return undefined
}
