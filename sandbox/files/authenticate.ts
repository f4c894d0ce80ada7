import { ArmError } from '../core/arm-error'
import type { SandboxContext } from '../core/context'
import type { Principal, SandboxRequest } from '../core/http'
import type { ArmResource } from '../core/resources'
import { defaultTenantId, roleOf, subscriptions } from '../seed/directory'
import { accountKeys } from '../arm/storage/accounts'
import { FilesError, missingHeader } from './errors'
import { hasSas, verifySas, type SasRequirement } from './sas'
import { stringToSign, signatureMatches } from './shared-key'
import { escapeXml } from './xml'

export const storageAudiences = ['https://storage.azure.com', 'https://storage.azure.com/']

/** How long a request's x-ms-date / Date may be off the service's clock. */
const allowedClockSkewMs = 15 * 60 * 1000

export type Caller =
  { kind: 'sharedKey' } | { kind: 'sas' } | { kind: 'bearer'; principal: Principal }

const authenticationFailedMessage =
  'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.'

const authenticationFailed = (detail: string) =>
  new FilesError(
    403,
    'AuthenticationFailed',
    authenticationFailedMessage,
    `<AuthenticationErrorDetail>${escapeXml(detail)}</AuthenticationErrorDetail>`,
  )

/**
 * Authenticates a Files request: Shared Key (signature checked against both account keys),
 * a shared access signature in the query, or a Microsoft Entra bearer token for
 * https://storage.azure.com (file and directory operations also need the backup intent).
 */
export function authenticate(
  ctx: SandboxContext,
  req: SandboxRequest,
  account: ArmResource,
  need: SasRequirement,
): Caller {
  const authorization = req.header('authorization')
  if (!authorization && hasSas(req)) {
    verifySas(req, account, need)
    return { kind: 'sas' }
  }
  if (!authorization) {
    throw new FilesError(
      401,
      'NoAuthenticationInformation',
      'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.',
      '',
      {
        'WWW-Authenticate': `Bearer authorization_uri=${ctx.endpoints.authorityHost}/${tenantOf(account)}/oauth2/authorize resource_id=https://storage.azure.com`,
      },
    )
  }
  if (!req.header('x-ms-version')) throw missingHeader('x-ms-version')
  if (/^SharedKey\s/i.test(authorization)) return verifySharedKey(req, account, authorization)
  if (/^Bearer\s/i.test(authorization)) return verifyBearer(ctx, req, account)
  throw authenticationFailed(
    `The authorization header '${authorization.split(' ')[0]}' is not supported.`,
  )
}

/** The directory the account's subscription trusts: where a client gets its token. */
function tenantOf(account: ArmResource): string {
  const subscriptionId = account.id.split('/')[2]!.toLowerCase()
  return (
    subscriptions.find((s) => s.id.toLowerCase() === subscriptionId)?.tenantId ?? defaultTenantId
  )
}

function verifySharedKey(req: SandboxRequest, account: ArmResource, authorization: string): Caller {
  const match = /^SharedKey\s+([^:\s]+):(\S+)$/i.exec(authorization.trim())
  if (!match)
    throw authenticationFailed(
      'The Authorization header is not of the form SharedKey <account>:<signature>.',
    )
  const [, accountName, given] = match as unknown as [string, string, string]
  if (accountName !== account.name) {
    throw authenticationFailed(
      `Issuer validation failed. The account '${accountName}' in the Authorization header does not match the account '${account.name}' of the request.`,
    )
  }
  if (account.properties?.allowSharedKeyAccess === false) {
    throw new FilesError(
      403,
      'KeyBasedAuthenticationNotPermitted',
      'Key based authentication is not permitted on this storage account.',
    )
  }
  const dateHeader = req.header('x-ms-date') ?? req.header('date')
  const date = dateHeader ? Date.parse(dateHeader) : NaN
  if (Number.isNaN(date)) {
    throw authenticationFailed('Request date header not specified or not valid.')
  }
  if (Math.abs(Date.now() - date) > allowedClockSkewMs) {
    throw authenticationFailed(`Request date header too old: '${dateHeader}'`)
  }
  const toSign = stringToSign(account.name, {
    method: req.method,
    url: req.url,
    headers: req.headers,
  })
  if (
    !signatureMatches(
      accountKeys(account).map((k) => k.value),
      toSign,
      given,
    )
  ) {
    throw authenticationFailed(
      `The MAC signature found in the HTTP request '${given}' is not the same as any computed signature. Server used following string to sign: '${toSign}'.`,
    )
  }
  return { kind: 'sharedKey' }
}

function verifyBearer(ctx: SandboxContext, req: SandboxRequest, account: ArmResource): Caller {
  const principal = ctx.tokens.verify(req, storageAudiences)
  if (principal instanceof ArmError) {
    throw new FilesError(
      principal.status,
      principal.code,
      principal.message,
      '',
      principal.extra.headers ?? {},
    )
  }
  const subscriptionId = account.id.split('/')[2]!
  const role = roleOf(principal.oid, subscriptionId)
  const reading = req.method === 'GET' || req.method === 'HEAD'
  const allowed = role === 'Owner' || role === 'Contributor' || (role === 'Reader' && reading)
  if (!allowed) {
    throw new FilesError(
      403,
      'AuthorizationPermissionMismatch',
      'This request is not authorized to perform this operation using this permission.',
    )
  }
  return { kind: 'bearer', principal }
}

/** File and directory operations with a token must state the backup intent (x-ms-file-request-intent). */
export function requireIntentForToken(caller: Caller, req: SandboxRequest): void {
  if (
    caller.kind === 'bearer' &&
    req.header('x-ms-file-request-intent')?.toLowerCase() !== 'backup'
  ) {
    throw missingHeader('x-ms-file-request-intent')
  }
}
