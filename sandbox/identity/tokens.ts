import { createHash, randomBytes, verify as verifySignature } from 'node:crypto'
import { SignJWT } from 'jose'
import { ArmError } from '../core/arm-error'
import type { TokenVerifier } from '../core/context'
import type { Principal, SandboxRequest } from '../core/http'
import type { SandboxState, Table } from '../core/state'
import { subscriptions, userByOid, type SandboxUser } from '../seed/directory'
import type { SigningKey } from './keys'

const accessTokenSeconds = 3600
const refreshTokenSeconds = 90 * 24 * 3600
const graphAudience = '00000003-0000-0000-c000-000000000000'

/** Resources the sandbox directory issues tokens for (app id URIs, as requested in scopes). */
const knownResources = new Set([
  'https://management.azure.com',
  'https://management.azure.com/',
  'https://management.core.windows.net',
  'https://management.core.windows.net/',
  'https://storage.azure.com',
  'https://storage.azure.com/',
  'https://graph.microsoft.com',
  // The Entra ID login for Linux VMs: SSH certificates (token_type=ssh-cert).
  'https://pas.windows.net/CheckMyAccess/Linux',
])
const oidcScopes = new Set(['openid', 'profile', 'offline_access', 'email'])

export interface TokenRequestScope {
  /** Audience of the access token. */
  audience: string
  /** The `scp` claim: permissions granted on that resource. */
  permissions: string[]
}

/**
 * What `.default` grants: the permissions consented for the client. The sandbox's public
 * client is consented for Graph's User.Read and User.ReadBasic.All (a people picker's needs)
 * and Application.ReadWrite.All (registering a pool's JupyterHub app, as the Azure CLI's
 * client may; the directory still decides whether the user may register apps).
 */
const defaultPermissions = (resource: string) =>
  resource === 'https://graph.microsoft.com'
    ? ['User.Read', 'User.ReadBasic.All', 'Application.ReadWrite.All']
    : ['user_impersonation']

/** Splits requested scopes into the one resource and its permissions, as Entra does. */
export function parseScopes(scope: string): TokenRequestScope | { error: string } {
  const resourceScopes = scope.split(/\s+/).filter((s) => s && !oidcScopes.has(s.toLowerCase()))
  if (resourceScopes.length === 0) {
    return { audience: graphAudience, permissions: ['openid', 'profile', 'email', 'User.Read'] }
  }
  const resources = new Map<string, string[]>()
  for (const s of resourceScopes) {
    const slash = s.lastIndexOf('/')
    if (slash <= 'https://'.length) return { error: `The scope '${s}' is not a resource scope.` }
    const resource = s.slice(0, slash)
    const permission = s.slice(slash + 1)
    const list = resources.get(resource) ?? []
    if (permission === '.default') list.push(...defaultPermissions(resource))
    else list.push(permission)
    resources.set(resource, list)
  }
  if (resources.size > 1) {
    return {
      error:
        'Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ' +
        scope +
        ' is not valid.',
    }
  }
  const [[resource, permissions]] = [...resources] as [[string, string[]]]
  if (!knownResources.has(resource)) {
    return {
      error: `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    }
  }
  return { audience: resource, permissions: [...new Set(permissions)] }
}

interface RefreshRecord {
  oid: string
  clientId: string
  expiresAt: number
  /** Tenants whose multi-factor requirement the sign-in behind this token satisfied. */
  mfaTenants?: string[]
}

/** A redeemed refresh token: who, and what the original sign-in satisfied. */
export interface RefreshGrant {
  user: SandboxUser
  mfaTenants: string[]
}

export interface IssueRequest {
  user: SandboxUser
  tenantId: string
  clientId: string
  scope: string
  resource: TokenRequestScope
  nonce?: string
  /** Carried into the refresh token (see TenantPolicies). */
  mfaTenants?: string[]
}

/** The body of a successful token response, as Entra's v2.0 token endpoint sends it. */
export interface TokenResponse {
  token_type: 'Bearer'
  scope: string
  expires_in: number
  ext_expires_in: number
  access_token: string
  refresh_token: string
  id_token: string
  client_info: string
}

/**
 * Issues and verifies the directory's tokens. Token lifetimes run on wall-clock time, not
 * the sandbox clock: clients (MSAL) judge expiry by the real clock, and tests that move the
 * sandbox clock hours ahead must not invalidate every token.
 */
export class TokenService implements TokenVerifier {
  private readonly refreshTokens: Table<RefreshRecord>
  private readonly settings: Table<number>

  constructor(
    private readonly key: SigningKey,
    state: SandboxState,
    private readonly authorityHost: () => string,
    private readonly newId: () => string,
  ) {
    this.refreshTokens = state.table<RefreshRecord>('identity-refresh-tokens')
    this.settings = state.table<number>('identity-settings')
  }

  issuer(tenantId: string): string {
    return `${this.authorityHost()}/${tenantId}/v2.0`
  }

  /** Every access token issued so far now counts as expired (faults.expireTokens()). */
  expireIssuedTokens(): void {
    this.settings.set('epoch', this.epoch + 1)
  }

  private get epoch(): number {
    return this.settings.get('epoch') ?? 0
  }

  async issue(request: IssueRequest): Promise<TokenResponse> {
    const { user, tenantId, clientId, resource } = request
    const now = Math.floor(Date.now() / 1000)
    const accessToken = await this.sign(
      {
        aud: resource.audience,
        iss: this.issuer(tenantId),
        iat: now,
        nbf: now,
        exp: now + accessTokenSeconds,
        tid: tenantId,
        oid: user.oid,
        sub: pairwiseSubject(user.oid, resource.audience),
        upn: user.username,
        unique_name: user.username,
        name: user.name,
        scp: resource.permissions.join(' '),
        appid: clientId,
        idtyp: 'user',
        ver: '2.0',
        uti: this.newId().replace(/-/g, '').slice(0, 22),
        xms_sbx_epoch: this.epoch,
      },
      'at+jwt',
    )
    const idToken = await this.sign(
      {
        aud: clientId,
        iss: this.issuer(tenantId),
        iat: now,
        nbf: now,
        exp: now + accessTokenSeconds,
        tid: tenantId,
        oid: user.oid,
        sub: pairwiseSubject(user.oid, clientId),
        preferred_username: user.username,
        name: user.name,
        ver: '2.0',
        ...(request.nonce ? { nonce: request.nonce } : {}),
      },
      'JWT',
    )
    return {
      token_type: 'Bearer',
      scope: request.scope,
      expires_in: accessTokenSeconds,
      ext_expires_in: accessTokenSeconds,
      access_token: accessToken,
      refresh_token: this.newRefreshToken(user.oid, clientId, request.mfaTenants ?? []),
      id_token: idToken,
      // uid.utid is MSAL's home account id: the user's home tenant, not the token's.
      client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: user.homeTenantId })).toString(
        'base64url',
      ),
    }
  }

  /**
   * An app-only access token (client credentials, managed identity): no user, no refresh
   * token, no id token; `idtyp` app and the application's object id as `oid`.
   */
  async issueApp(request: {
    principal: { oid: string; appId: string }
    tenantId: string
    audience: string
  }): Promise<{ accessToken: string; expiresIn: number; notBefore: number }> {
    const now = Math.floor(Date.now() / 1000)
    const accessToken = await this.sign(
      {
        aud: request.audience,
        iss: this.issuer(request.tenantId),
        iat: now,
        nbf: now,
        exp: now + accessTokenSeconds,
        tid: request.tenantId,
        oid: request.principal.oid,
        sub: request.principal.oid,
        appid: request.principal.appId,
        idtyp: 'app',
        ver: '2.0',
        uti: this.newId().replace(/-/g, '').slice(0, 22),
        xms_sbx_epoch: this.epoch,
      },
      'at+jwt',
    )
    return { accessToken, expiresIn: accessTokenSeconds, notBefore: now }
  }

  /** The user a refresh token was issued to, if it is valid for this client. */
  redeemRefreshToken(token: string, clientId: string): RefreshGrant | undefined {
    const record = this.refreshTokens.get(hash(token))
    if (!record || record.clientId !== clientId || record.expiresAt < Date.now()) return undefined
    const user = userByOid(record.oid)
    return user ? { user, mfaTenants: record.mfaTenants ?? [] } : undefined
  }

  verify(req: SandboxRequest, expectedAudiences: string[]): Principal | ArmError {
    const authorization = req.header('authorization')
    if (!authorization) {
      return this.unauthorized(
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
      )
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim())
    if (!match) {
      return this.unauthorized(
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      )
    }
    const claims = this.decodeVerified(match[1]!)
    if (!claims)
      return this.unauthorized('InvalidAuthenticationToken', 'The access token is invalid.')
    const now = Date.now() / 1000
    const expired = typeof claims.exp !== 'number' || claims.exp <= now
    if (expired || (claims.xms_sbx_epoch ?? 0) < this.epoch) {
      const expiry = typeof claims.exp === 'number' ? claims.exp * 1000 : 0
      return this.unauthorized(
        'ExpiredAuthenticationToken',
        `The access token expiry UTC time '${azureTime(expired ? expiry : Math.min(expiry, Date.now() - 1000))}' is earlier than current UTC time '${azureTime(Date.now())}'.`,
      )
    }
    if (typeof claims.nbf === 'number' && claims.nbf > now + 300) {
      return this.unauthorized('InvalidAuthenticationToken', 'The access token is not yet valid.')
    }
    if (!expectedAudiences.includes(String(claims.aud))) {
      return this.unauthorized(
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${String(claims.aud)}'. It should exactly match with one of the allowed audiences ${expectedAudiences.map((a) => `'${a}'`).join(',')}.`,
      )
    }
    const user = typeof claims.oid === 'string' ? userByOid(claims.oid) : undefined
    if (!user || typeof claims.tid !== 'string') {
      return this.unauthorized('InvalidAuthenticationToken', 'The access token is invalid.')
    }
    const wrongTenant = this.subscriptionTenantMismatch(req.path, claims.tid)
    if (wrongTenant) return wrongTenant
    return {
      oid: user.oid,
      tenantId: claims.tid,
      username: user.username,
      audience: String(claims.aud),
      scopes: typeof claims.scp === 'string' ? claims.scp.split(' ') : [],
    }
  }

  private subscriptionTenantMismatch(path: string, tokenTenant: string): ArmError | undefined {
    const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase()
    const subscription = subscriptions.find((s) => s.id === subscriptionId)
    if (!subscription || subscription.tenantId === tokenTenant) return undefined
    return this.unauthorized(
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer '${this.issuer(tokenTenant)}'. It must match the tenant '${this.issuer(subscription.tenantId)}' associated with this subscription. Please use the authority (URL) '${this.authorityHost()}/${subscription.tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
    )
  }

  private unauthorized(code: string, message: string): ArmError {
    const description = message.replace(/"/g, "'")
    return new ArmError(401, code, message, {
      headers: {
        'WWW-Authenticate': `Bearer authorization_uri="${this.authorityHost()}/common", error="invalid_token", error_description="${description}"`,
      },
    })
  }

  private async sign(claims: Record<string, unknown>, typ: string): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ, kid: this.key.kid })
      .sign(this.key.privateKey)
  }

  /** The claims of a token signed by this directory's key, or undefined. */
  private decodeVerified(
    token: string,
  ): (Record<string, unknown> & { xms_sbx_epoch?: number }) | undefined {
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    const [header, payload, signature] = parts as [string, string, string]
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
        alg?: string
        kid?: string
      }
      if (head.alg !== 'RS256' || head.kid !== this.key.kid) return undefined
      const valid = verifySignature(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        this.key.publicKey,
        Buffer.from(signature, 'base64url'),
      )
      if (!valid) return undefined
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown
      return typeof claims === 'object' && claims !== null
        ? (claims as Record<string, unknown>)
        : undefined
    } catch {
      return undefined
    }
  }

  private newRefreshToken(oid: string, clientId: string, mfaTenants: string[]): string {
    const token = `1.sbx.${randomBytes(48).toString('base64url')}`
    this.refreshTokens.set(hash(token), {
      oid,
      clientId,
      ...(mfaTenants.length > 0 ? { mfaTenants } : {}),
      expiresAt: Date.now() + refreshTokenSeconds * 1000,
    })
    return token
  }
}

/** Refresh tokens are kept by hash only, so the state file holds nothing that signs in. */
const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/** Entra's `sub` differs per application; derive it the same stable way. */
const pairwiseSubject = (oid: string, audience: string) =>
  createHash('sha256').update(`${oid}|${audience}`).digest('base64url').slice(0, 43)

/** Azure writes times in these messages as M/D/YYYY h:mm:ss AM. */
function azureTime(ms: number): string {
  const d = new Date(ms)
  const hours = d.getUTCHours()
  const h12 = hours % 12 === 0 ? 12 : hours % 12
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
}
