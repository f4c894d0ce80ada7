import { createHash, createPublicKey, timingSafeEqual, verify } from 'node:crypto'
import type { SandboxReply, SandboxRequest } from '../core/http'
import { appPrincipalByAppId, type AppPrincipal } from '../seed/app-principals'
import { resolveTenantSegment } from './directory-lookup'
import { oauthError, unknownClient, unknownTenant } from './oauth-errors'
import { parseScopes, type TokenService } from './tokens'

const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
/** Entra allows this much clock skew on a client assertion's times. */
const skewSeconds = 300

/**
 * The client-credentials grant for service principals, as Entra answers it: a client
 * secret, or a client assertion (a JWT signed with one of the application's certificates,
 * named by its `x5t` or `x5t#S256` thumbprint). The scope must be `<resource>/.default`.
 */
export class ClientCredentialsGrant {
  constructor(
    private readonly tokens: TokenService,
    private readonly authorityHost: () => string,
  ) {}

  async handle(
    req: SandboxRequest,
    form: URLSearchParams,
    correlationId?: string,
  ): Promise<SandboxReply> {
    const error = (name: string, code: number, description: string, status = 400) =>
      oauthError(name, code, description, { status, ...(correlationId ? { correlationId } : {}) })
    const tenantName = req.params.tenant!
    const segment = resolveTenantSegment(tenantName)
    if (!segment) return unknownTenant(tenantName)
    const clientId = form.get('client_id') ?? ''
    const app = appPrincipalByAppId(clientId)
    if (segment.kind !== 'tenant') {
      return error(
        'invalid_request',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. A client credentials request must name the application's tenant, not '${tenantName}'.`,
      )
    }
    if (!app || app.kind !== 'servicePrincipal' || app.homeTenantId !== segment.tenant.id)
      return unknownClient(clientId, segment.tenant.displayName)

    const proof = this.checkProof(app, form, req)
    if (proof) return error('invalid_client', proof.code, proof.message, 401)

    const scope = form.get('scope') ?? ''
    const scopes = scope.split(/\s+/).filter(Boolean)
    if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) {
      return error(
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      )
    }
    const resource = parseScopes(scope)
    if ('error' in resource) return error('invalid_scope', 500011, resource.error)
    const issued = await this.tokens.issueApp({
      principal: app,
      tenantId: segment.tenant.id,
      audience: resource.audience,
    })
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
      body: {
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        ext_expires_in: issued.expiresIn,
        access_token: issued.accessToken,
      },
    }
  }

  /** Undefined when the secret or assertion proves the application; Entra's error otherwise. */
  private checkProof(
    app: AppPrincipal,
    form: URLSearchParams,
    req: SandboxRequest,
  ): { code: number; message: string } | undefined {
    const secret = form.get('client_secret')
    if (secret !== null) {
      const given = createHash('sha256').update(secret).digest()
      const known = app.secretHashes.some((h) => timingSafeEqual(Buffer.from(h, 'hex'), given))
      return known
        ? undefined
        : {
            code: 7000215,
            message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
          }
    }
    const assertion = form.get('client_assertion')
    if (assertion === null || form.get('client_assertion_type') !== jwtBearer) {
      return {
        code: 7000218,
        message:
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      }
    }
    return this.checkAssertion(app, assertion, req)
  }

  private checkAssertion(
    app: AppPrincipal,
    assertion: string,
    req: SandboxRequest,
  ): { code: number; message: string } | undefined {
    const parts = assertion.split('.')
    const invalid = { code: 50027, message: 'JWT token is invalid or malformed.' }
    if (parts.length !== 3) return invalid
    let header: Record<string, unknown>
    let claims: Record<string, unknown>
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >
    } catch {
      return invalid
    }
    const sha1 = typeof header.x5t === 'string' ? header.x5t : undefined
    const sha256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined
    const certificate = app.certificates.find(
      (c) => c.sha1Thumbprint === sha1 || c.sha256Thumbprint === sha256,
    )
    if (!certificate) {
      return {
        code: 700027,
        message: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${sha1 ?? sha256 ?? ''}'`,
      }
    }
    const algorithm = header.alg === 'PS256' ? 'PS256' : header.alg === 'RS256' ? 'RS256' : ''
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`)
    const key = createPublicKey(certificate.publicKeyPem)
    const valid =
      algorithm !== '' &&
      verify(
        'sha256',
        signed,
        algorithm === 'PS256' ? { key, padding: 6, saltLength: 32 } : key,
        Buffer.from(parts[2]!, 'base64url'),
      )
    if (!valid) return { code: 700027, message: 'Client assertion failed signature validation.' }
    const now = Date.now() / 1000
    if (
      typeof claims.exp !== 'number' ||
      claims.exp + skewSeconds < now ||
      (typeof claims.nbf === 'number' && claims.nbf - skewSeconds > now)
    ) {
      return { code: 700024, message: 'Client assertion is not within its valid time range.' }
    }
    if (claims.iss !== app.appId || claims.sub !== app.appId) {
      return {
        code: 700021,
        message: `Client assertion application identifier doesn't match 'client_id' parameter.`,
      }
    }
    const audience = `${this.authorityHost()}${req.url.pathname}`
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
    if (!audiences.some((a) => typeof a === 'string' && sameUrl(a, audience))) {
      return {
        code: 700016,
        message: `Client assertion audience claim does not match Realm issuer. Review the documentation at https://aka.ms/msal-net-client-assertion.`,
      }
    }
    return undefined
  }
}

const sameUrl = (a: string, b: string) =>
  a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase()
