import type { VmSizeInfo } from '../../../shared/deploy'

/*
 * Whether a pool of a size fits the quota that limits it, known on the Machines step from
 * the region's sizes (pre-flight checks the regional total again before deploying).
 */

/** vCPUs free in the quota that limits a size, or undefined when not known. */
export const freeOf = (size: VmSizeInfo) =>
  size.quota ? Math.max(0, size.quota.limit - size.quota.used) : undefined

/** The problem when `count` instances of `size` need more vCPUs than its quota has free. */
export function quotaShortfall(size: VmSizeInfo | undefined, count: number): string | undefined {
  const free = size && freeOf(size)
  if (!size?.quota || free === undefined || !Number.isInteger(count)) return undefined
  const needed = count * size.vCPUs
  if (needed <= free) return undefined
  const instances = `${count} instance${count === 1 ? '' : 's'}`
  return free === 0
    ? `None of your ${size.quota.limit} ${size.quota.displayName} are free in this region, so no ${size.name} can start (${instances} need ${needed}).`
    : `Not enough quota: ${instances} of ${size.name} need ${needed} vCPUs, but only ${free} of your ${size.quota.limit} ${size.quota.displayName} are free in this region.`
}
