import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { view, type ArmResource } from '../../core/resources'
import { isPremium } from './accounts'
import { isValidShareName } from './names'
import { meterShare, type ShareBookkeeping } from './metering'

export type { ShareBookkeeping }

export const fileShareType = 'Microsoft.Storage/storageAccounts/fileServices/shares'

export type ShareAccessTier = 'TransactionOptimized' | 'Hot' | 'Cool' | 'Premium'
const standardTiers: ShareAccessTier[] = ['TransactionOptimized', 'Hot', 'Cool']
const maxStandardQuotaGiB = 102_400
const minPremiumQuotaGiB = 100

export interface ShareSettings {
  quotaGiB?: number
  accessTier?: string
  metadata?: Record<string, string>
}

export const shareIdOf = (account: ArmResource, name: string) =>
  `${account.id}/fileServices/default/shares/${name}`

export function shareBookkeeping(share: ArmResource): ShareBookkeeping {
  return share.sandbox as unknown as ShareBookkeeping
}

export function findShare(
  ctx: SandboxContext,
  account: ArmResource,
  name: string,
): ArmResource | undefined {
  return ctx.resources.get(shareIdOf(account, name))
}

export function listShares(ctx: SandboxContext, account: ArmResource): ArmResource[] {
  const prefix = `${account.id.toLowerCase()}/fileservices/default/shares/`
  return ctx.resources
    .list({ subscriptionId: account.id.split('/')[2]!, type: fileShareType })
    .filter((s) => s.id.toLowerCase().startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** A fresh ETag in the service's format (quoted 0x8D... hex). */
export function newEtag(ctx: SandboxContext): string {
  return `"0x8D${Math.floor(ctx.clock.now() * 10_000)
    .toString(16)
    .toUpperCase()
    .slice(-13)
    .padStart(13, '0')}"`
}

/** Checks quota and tier against the account, as both planes do. Returns normalized values. */
function validate(account: ArmResource, settings: ShareSettings, current?: ArmResource) {
  const premium = isPremium(account)
  const tier =
    settings.accessTier ??
    (current?.properties?.accessTier as string | undefined) ??
    (premium ? 'Premium' : 'TransactionOptimized')
  const allowed = premium ? ['Premium'] : standardTiers
  const normalizedTier = allowed.find((t) => t.toLowerCase() === tier.toLowerCase())
  if (!normalizedTier) {
    throw new ArmError(
      400,
      'InvalidHeaderValue',
      `The access tier '${tier}' is not valid for this storage account. Valid tiers: ${allowed.join(', ')}.`,
    )
  }
  const quota =
    settings.quotaGiB ??
    (current?.properties?.shareQuota as number | undefined) ??
    (premium ? minPremiumQuotaGiB : 5_120)
  const max = maxStandardQuotaGiB
  const min = premium ? minPremiumQuotaGiB : 1
  if (!Number.isInteger(quota) || quota < min || quota > max) {
    throw new ArmError(
      400,
      'InvalidHeaderValue',
      `The share quota must be an integer between ${min} and ${max} GiB; ${quota} was given.`,
    )
  }
  return { tier: normalizedTier, quota }
}

export function createShare(
  ctx: SandboxContext,
  account: ArmResource,
  name: string,
  settings: ShareSettings,
): ArmResource {
  if (!isValidShareName(name)) {
    throw new ArmError(
      400,
      'InvalidResourceName',
      'The specifed resource name contains invalid characters.',
    )
  }
  if (findShare(ctx, account, name)) {
    throw new ArmError(409, 'ShareAlreadyExists', 'The specified share already exists.')
  }
  const { tier, quota } = validate(account, settings)
  const now = ctx.clock.nowIso()
  const share: ArmResource = {
    id: shareIdOf(account, name),
    name,
    type: fileShareType,
    etag: newEtag(ctx),
    properties: {
      lastModifiedTime: now,
      shareQuota: quota,
      accessTier: tier,
      accessTierChangeTime: now,
      enabledProtocols: 'SMB',
      leaseStatus: 'Unlocked',
      leaseState: 'Available',
    },
    sandbox: {
      usedBytes: 0,
      metadata: settings.metadata ?? {},
    } satisfies ShareBookkeeping as unknown as Record<string, unknown>,
  }
  ctx.resources.put(share)
  meterShare(ctx, account, share)
  return share
}

export function updateShare(
  ctx: SandboxContext,
  account: ArmResource,
  share: ArmResource,
  settings: ShareSettings,
): ArmResource {
  const { tier, quota } = validate(account, settings, share)
  const props = share.properties!
  if (props.accessTier !== tier) props.accessTierChangeTime = ctx.clock.nowIso()
  props.accessTier = tier
  props.shareQuota = quota
  props.lastModifiedTime = ctx.clock.nowIso()
  if (settings.metadata) shareBookkeeping(share).metadata = settings.metadata
  share.etag = newEtag(ctx)
  ctx.resources.touch()
  meterShare(ctx, account, share)
  return share
}

/** Records a change in bytes used (file created, resized, deleted). */
export function addShareUsage(
  ctx: SandboxContext,
  account: ArmResource,
  share: ArmResource,
  deltaBytes: number,
): void {
  if (deltaBytes === 0) return
  const book = shareBookkeeping(share)
  book.usedBytes = Math.max(0, book.usedBytes + deltaBytes)
  ctx.resources.touch()
  meterShare(ctx, account, share)
}

export function deleteShare(ctx: SandboxContext, share: ArmResource): void {
  ctx.resources.delete(share.id)
}

export function shareView(share: ArmResource, expandStats = false): Record<string, unknown> {
  const visible = view(share)
  const book = shareBookkeeping(share)
  return {
    ...visible,
    properties: {
      ...share.properties,
      ...(Object.keys(book.metadata).length ? { metadata: book.metadata } : {}),
      ...(expandStats ? { shareUsageBytes: book.usedBytes } : {}),
    },
  }
}
