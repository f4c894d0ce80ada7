/**
 * Tags that make a set of Azure resources a pool (DESIGN.md decision 5): every teammate's
 * app finds pools and their shared settings here, not in local files.
 */
export const poolTags = {
  /** On every resource a pool consists of; value: the pool's name. */
  pool: 'dsvm-pool',
  /** Who created the pool (user principal name). */
  owner: 'dsvm-pool-owner',
  /** On the scale set while scaled to zero: the capacity to restore. */
  restoreCapacity: 'dsvm-pool-restore-capacity',
  /** Version of the app's template that created it. */
  templateVersion: 'dsvm-pool-template',
} as const
