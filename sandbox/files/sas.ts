import type { SandboxRequest } from '../core/http'
import type { ArmResource } from '../core/resources'
import { accountKeys } from '../arm/storage/accounts'
import { FilesError } from './errors'
import { signatureMatches } from './shared-key'
import { escapeXml } from './xml'

/** What an operation needs from a SAS: a permission letter and, for account SAS, a resource type. */
export interface SasRequirement {
  /** r(ead), l(ist), c(reate), w(rite), d(elete). Creating also accepts w. */
  permission: 'r' | 'l' | 'c' | 'w' | 'd'
  /** Account SAS resource types that cover it: s(ervice), c(ontainer: shares, directories), o(bject: files). */
  resourceTypes: string
  /** Share and path inside it (empty for account-level operations). */
  share?: string
  path: string[]
}

const authenticationFailed = (detail: string) =>
  new FilesError(
    403,
    'AuthenticationFailed',
    'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
    `<AuthenticationErrorDetail>${escapeXml(detail)}</AuthenticationErrorDetail>`,
  )
const permissionMismatch = () =>
  new FilesError(
    403,
    'AuthorizationPermissionMismatch',
    'This request is not authorized to perform this operation using this permission.',
  )
const resourceTypeMismatch = () =>
  new FilesError(
    403,
    'AuthorizationResourceTypeMismatch',
    'This request is not authorized to perform this operation using this resource type.',
  )
const serviceMismatch = () =>
  new FilesError(
    403,
    'AuthorizationServiceMismatch',
    'This request is not authorized to perform this operation using this service.',
  )

export const hasSas = (req: SandboxRequest) => req.query('sig') !== undefined

/**
 * Verifies a shared access signature made with an account key: an account SAS (ss, srt)
 * or a service SAS for a share or a file (sr=s|f). Stored access policies (si) and user
 * delegation SAS are not emulated.
 */
export function verifySas(req: SandboxRequest, account: ArmResource, need: SasRequirement): void {
  const q = (name: string) => req.query(name) ?? ''
  const version = q('sv')
  if (!version) throw authenticationFailed('sv is mandatory. Cannot be empty')
  const now = Date.now()
  const start = q('st') ? Date.parse(q('st')) : undefined
  const expiry = Date.parse(q('se'))
  if (Number.isNaN(expiry) || (start !== undefined && Number.isNaN(start))) {
    throw authenticationFailed('se and st must be ISO 8601 dates.')
  }
  if (now > expiry || (start !== undefined && now < start)) {
    throw authenticationFailed(
      `Signed expiry time [${new Date(expiry).toUTCString()}] must be after signed start time and the current time [${new Date(now).toUTCString()}].`,
    )
  }
  if (q('spr') && !q('spr').split(',').includes('https'))
    throw authenticationFailed(
      'This request is not authorized to perform this operation using this protocol.',
    )
  if (q('si'))
    throw authenticationFailed(
      `Signed identifier '${q('si')}' was not found: the sandbox keeps no stored access policies.`,
    )

  const keys = accountKeys(account).map((k) => k.value)
  let toSign: string
  if (q('ss')) {
    toSign = [
      account.name,
      q('sp'),
      q('ss'),
      q('srt'),
      q('st'),
      q('se'),
      q('sip'),
      q('spr'),
      version,
      ...(version >= '2020-12-06' ? [q('ses')] : []),
      '',
    ].join('\n')
    checkSignature(keys, toSign, q('sig'))
    if (!q('ss').includes('f')) throw serviceMismatch()
    if (![...need.resourceTypes].some((t) => q('srt').includes(t))) throw resourceTypeMismatch()
  } else {
    const resource = q('sr')
    if (resource !== 's' && resource !== 'f')
      throw authenticationFailed("sr must be 's' (share) or 'f' (file).")
    const sasPath = canonicalPath(req, resource)
    const canonicalName = `/file/${account.name}/${sasPath}`
    toSign = [
      q('sp'),
      q('st'),
      q('se'),
      canonicalName,
      q('si'),
      q('sip'),
      q('spr'),
      version,
      q('rscc'),
      q('rscd'),
      q('rsce'),
      q('rscl'),
      q('rsct'),
    ].join('\n')
    checkSignature(keys, toSign, q('sig'))
    const requested = [need.share ?? '', ...need.path].join('/')
    const covered =
      resource === 'f'
        ? requested === sasPath
        : requested === sasPath || requested.startsWith(`${sasPath}/`)
    if (!covered || !need.share) throw permissionMismatch()
  }
  const permissions = q('sp')
  const allowed =
    permissions.includes(need.permission) || (need.permission === 'c' && permissions.includes('w'))
  if (!allowed) throw permissionMismatch()
}

/** The share (sr=s) or share/path (sr=f) the service SAS was signed for, taken from the URL. */
function canonicalPath(req: SandboxRequest, resource: 's' | 'f'): string {
  const [, share = '', ...path] = req.path.split('/').filter(Boolean)
  return resource === 's' ? share : [share, ...path].join('/')
}

function checkSignature(keys: string[], toSign: string, given: string): void {
  if (!signatureMatches(keys, toSign, given)) {
    throw authenticationFailed(`Signature did not match. String to sign used was ${toSign}`)
  }
}
