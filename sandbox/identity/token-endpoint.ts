import { createHash } from 'node:crypto'
import type { SandboxReply, SandboxRequest } from '../core/http'
import type { SandboxUser } from '../seed/directory'
import type { AuthorizeEndpoint } from './authorize'
import type { ClientCredentialsGrant } from './client-credentials'
import type { DeviceCodeFlow } from './device-code'
import { tenantAndClient, tokenTenantFor, type TenantSegment } from './directory-lookup'
import { oauthError } from './oauth-errors'
import type { TenantPolicies } from './policies'
import { parseScopes, type TokenService } from './tokens'
import { parseRequestJwk, sshCertificateSeconds, type SshCertificateAuthority } from './ssh-ca'

const sshCertificateAudience = 'https://pas.windows.net/CheckMyAccess/Linux'

/** RFC 8628's URN, and the short form MSAL sends (Entra accepts both). */
const deviceCodeGrants = new Set(['urn:ietf:params:oauth:grant-type:device_code', 'device_code'])

/**
 * /{tenant}/oauth2/v2.0/token: authorization_code (PKCE), refresh_token and device_code grants
 * for public clients; client_credentials for service principals (client-credentials.ts).
 */
export class TokenEndpoint {
  constructor(
    private readonly tokens: TokenService,
    private readonly authorize: AuthorizeEndpoint,
    private readonly deviceCodes: DeviceCodeFlow,
    private readonly policies: TenantPolicies,
    private readonly sshCa: SshCertificateAuthority,
    private readonly clientCredentials: ClientCredentialsGrant,
  ) {}

  async handle(req: SandboxRequest): Promise<SandboxReply> {
    const form = new URLSearchParams(req.body.toString('utf8'))
    const correlationId = form.get('client-request-id') ?? req.header('client-request-id')
    const grantType = form.get('grant_type')
    if (grantType === 'client_credentials')
      return this.clientCredentials.handle(req, form, correlationId ?? undefined)
    const checked = tenantAndClient(req.params.tenant!, form)
    if ('reply' in checked) return checked.reply
    const { segment, clientId } = checked
    let scope = form.get('scope') ?? ''
    const error = (name: string, code: number, description: string, suberror?: string) =>
      oauthError(name, code, description, {
        ...(correlationId ? { correlationId } : {}),
        ...(suberror ? { suberror } : {}),
      })

    let user: SandboxUser
    let nonce: string | undefined
    /** For refresh tokens: tenants whose MFA the original sign-in satisfied. */
    let carriedMfa: string[] | undefined
    if (grantType === 'authorization_code') {
      const pending = this.authorize.redeem(form.get('code') ?? '')
      if (!pending || pending.clientId !== clientId) {
        return error(
          'invalid_grant',
          70008,
          'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
        )
      }
      if (pending.redirectUri !== form.get('redirect_uri')) {
        return error(
          'invalid_grant',
          500112,
          'The reply address does not match the reply address provided when requesting Authorization code.',
        )
      }
      const verifier = form.get('code_verifier') ?? ''
      if (createHash('sha256').update(verifier).digest('base64url') !== pending.codeChallenge) {
        return error(
          'invalid_grant',
          50148,
          'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
        )
      }
      user = pending.user
      nonce = pending.nonce
    } else if (grantType === 'refresh_token') {
      const owner = this.tokens.redeemRefreshToken(form.get('refresh_token') ?? '', clientId)
      if (!owner) {
        return error(
          'invalid_grant',
          700082,
          'The refresh token has expired due to inactivity. The token was issued on a date the directory no longer accepts, or it was never issued by this directory.',
          'bad_token',
        )
      }
      user = owner.user
      carriedMfa = owner.mfaTenants
    } else if (grantType && deviceCodeGrants.has(grantType)) {
      const poll = this.deviceCodes.poll(form.get('device_code') ?? '', clientId)
      switch (poll.status) {
        case 'approved':
          user = poll.user
          // Entra issues what the device-code request asked for; the token request's scope
          // does not widen or change it.
          scope = poll.pending.scope
          break
        case 'authorization_pending':
          return error(
            'authorization_pending',
            70016,
            'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
          )
        case 'slow_down':
          return error(
            'slow_down',
            70016,
            'OAuth 2.0 device flow error. Polling too frequently; increase the interval.',
          )
        case 'authorization_declined':
          return error('authorization_declined', 70000, 'The user declined the sign-in.')
        case 'expired_token':
          return error(
            'expired_token',
            70020,
            'The provided value for the input parameter device_code was expired.',
          )
        case 'bad_verification_code':
          return error('bad_verification_code', 70019, 'Verification code expired or is not valid.')
      }
    } else {
      return error(
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType ?? ''}'.`,
      )
    }

    const tenantId = tokenTenantFor(user, segment)
    if (!tenantId) {
      return error(
        'invalid_grant',
        50020,
        `User account '${user.username}' from identity provider '${this.tokens.issuer(user.homeTenantId)}' does not exist in tenant '${describe(segment)}' and cannot access the application '${clientId}' in that tenant.`,
      )
    }
    const resource = parseScopes(scope)
    if ('error' in resource) return error('invalid_scope', 28000, resource.error)
    if (carriedMfa && this.policies.requiresMfa(tenantId) && !carriedMfa.includes(tenantId)) {
      return error(
        'invalid_grant',
        50076,
        `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource.audience}'.`,
        'basic_action',
      )
    }
    // token_type=ssh-cert: an OpenSSH certificate for the key in req_cnf, as Entra issues them.
    const sshCert = form.get('token_type') === 'ssh-cert'
    const sshKey = sshCert ? parseRequestJwk(form.get('req_cnf')) : undefined
    if (sshKey && 'error' in sshKey) return error('invalid_request', 90014, sshKey.error)
    if (sshCert !== (resource.audience === sshCertificateAudience)) {
      return error(
        'invalid_request',
        9002313,
        sshCert
          ? `An SSH certificate is issued only for the scope ${sshCertificateAudience}/.default.`
          : `The scope ${sshCertificateAudience}/.default needs token_type=ssh-cert with req_cnf.`,
      )
    }
    const body = await this.tokens.issue({
      user,
      tenantId,
      clientId,
      // A sign-in on the page (code or device code) completes the tenant's second factor.
      mfaTenants: carriedMfa ?? [tenantId],
      scope,
      resource,
      ...(nonce ? { nonce } : {}),
    })
    const answer = sshKey
      ? {
          ...body,
          token_type: 'ssh-cert',
          expires_in: sshCertificateSeconds,
          ext_expires_in: sshCertificateSeconds,
          access_token: this.sshCa
            .issue({ key: sshKey, principal: user.username, keyId: user.username, now: Date.now() })
            .toString('base64'),
        }
      : body
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
      body: answer,
    }
  }
}

const describe = (segment: TenantSegment) =>
  segment.kind === 'tenant' ? segment.tenant.displayName : segment.kind
