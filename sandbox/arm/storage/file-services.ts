import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { ArmResource } from '../../core/resources'

export const fileServiceType = 'Microsoft.Storage/storageAccounts/fileServices'

interface Bookkeeping {
  fileServiceProperties?: Record<string, unknown>
}

const defaults = {
  cors: { corsRules: [] },
  shareDeleteRetentionPolicy: { enabled: true, days: 7 },
  protocolSettings: { smb: {} },
}

/** fileServices/default: the account's file service settings (CORS, soft delete, SMB). */
export function fileServiceView(account: ArmResource): Record<string, unknown> {
  const stored = (account.sandbox as Bookkeeping).fileServiceProperties ?? {}
  return {
    id: `${account.id}/fileServices/default`,
    name: 'default',
    type: fileServiceType,
    sku: account.sku,
    properties: { ...defaults, ...stored },
  }
}

export function setFileServiceProperties(
  ctx: SandboxContext,
  account: ArmResource,
  body: { properties?: Record<string, unknown> } | undefined,
): Record<string, unknown> {
  const properties = body?.properties ?? {}
  const retention = properties.shareDeleteRetentionPolicy as
    { enabled?: boolean; days?: number } | undefined
  if (
    retention?.enabled &&
    (retention.days === undefined || retention.days < 1 || retention.days > 365)
  ) {
    throw new ArmError(
      400,
      'InvalidRequestPropertyValue',
      'The value of shareDeleteRetentionPolicy.days must be between 1 and 365 when the policy is enabled.',
    )
  }
  const book = account.sandbox as Bookkeeping
  book.fileServiceProperties = { ...book.fileServiceProperties, ...properties }
  ctx.resources.touch()
  return fileServiceView(account)
}
