import type { SandboxContext } from '../../core/context'
import { parseResourceId, type ArmResource } from '../../core/resources'
import { isPremium, redundancyOf } from './accounts'

/** Bookkeeping kept on the share's ARM record (never sent). */
export interface ShareBookkeeping {
  /** Bytes used by files in the share (sum of their lengths). */
  usedBytes: number
  metadata: Record<string, string>
  /** Open usage interval and the quantity it meters. */
  usageId?: string
  meteredQuantity?: number
  meteredSku?: string
}

const mib = 1024 ** 2

/**
 * What a share is billed on: premium shares on their provisioned quota, standard shares on
 * the GiB they hold (counted in whole MiB). The meter's sku is "<tier> <redundancy>", e.g. "Hot LRS", "Premium LRS",
 * "TransactionOptimized GRS".
 */
export function shareMeter(
  account: ArmResource,
  share: ArmResource,
): { sku: string; quantity: number } {
  const book = share.sandbox as unknown as ShareBookkeeping
  const tier = String(share.properties?.accessTier ?? 'TransactionOptimized')
  const sku = `${tier} ${redundancyOf(account)}`
  if (isPremium(account)) return { sku, quantity: Number(share.properties?.shareQuota ?? 0) }
  // Whole MiB, so that a burst of small writes does not open an interval each.
  return { sku, quantity: Math.ceil(book.usedBytes / mib) / 1024 }
}

/** Keeps one open 'filesStorage' interval per share, reopened when what it meters changes. */
export function meterShare(ctx: SandboxContext, account: ArmResource, share: ArmResource): void {
  const book = share.sandbox as unknown as ShareBookkeeping
  const { sku, quantity } = shareMeter(account, share)
  if (book.usageId && book.meteredQuantity === quantity && book.meteredSku === sku) return
  const now = ctx.clock.now()
  if (book.usageId) ctx.usage.close(book.usageId, now)
  delete book.usageId
  book.meteredQuantity = quantity
  book.meteredSku = sku
  if (quantity > 0) {
    const parts = parseResourceId(account.id)!
    book.usageId = ctx.usage.open({
      subscriptionId: parts.subscriptionId,
      resourceGroup: parts.resourceGroup ?? '',
      resourceId: account.id,
      meter: 'filesStorage',
      sku,
      location: account.location ?? '',
      quantity,
      start: now,
    })
  }
  ctx.resources.touch()
}

export function stopMeteringShare(ctx: SandboxContext, share: ArmResource): void {
  const book = share.sandbox as unknown as ShareBookkeeping | undefined
  if (book?.usageId) ctx.usage.close(book.usageId, ctx.clock.now())
}
