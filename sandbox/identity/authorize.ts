import { randomBytes } from 'node:crypto'
import type { SandboxReply, SandboxRequest } from '../core/http'
import type { SandboxUser } from '../seed/directory'
import {
  registeredClients,
  resolveTenantSegment,
  userByUsername,
  usersFor,
  type TenantSegment,
} from './directory-lookup'
import { errorPage, formPostPage, signInPage } from './pages'
import type { TenantPolicies } from './policies'

/** An authorization code waiting to be redeemed at the token endpoint. */
export interface PendingCode {
  clientId: string
  redirectUri: string
  codeChallenge: string
  scope: string
  nonce?: string
  user: SandboxUser
  expiresAt: number
}

const codeLifetimeMs = 10 * 60 * 1000
/** Parameters of the authorize request carried through the sign-in form. */
const carried = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'login_hint',
  'prompt',
  'client_info',
] as const

type AuthorizeParams = Partial<Record<(typeof carried)[number], string>>

/** /{tenant}/oauth2/v2.0/authorize: the sign-in page (GET) and the account choice (POST). */
export class AuthorizeEndpoint {
  private readonly codes = new Map<string, PendingCode>()

  constructor(private readonly policies?: TenantPolicies) {}

  showSignIn(req: SandboxRequest): SandboxReply {
    const params = Object.fromEntries(
      carried.map((name) => [name, req.query(name)]),
    ) as AuthorizeParams
    const checked = this.check(req.params.tenant!, params)
    if ('reply' in checked) return checked.reply
    const fields = Object.fromEntries(
      Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
    )
    const hint = params.login_hint?.toLowerCase()
    const users = [...usersFor(checked.segment)].sort(
      (a, b) => Number(b.username === hint) - Number(a.username === hint),
    )
    return signInPage({
      action: req.url.pathname,
      fields,
      users,
      ...(checked.segment.kind === 'tenant'
        ? {
            tenantName: checked.segment.tenant.displayName,
            requiresMfa: this.policies?.requiresMfa(checked.segment.tenant.id) ?? false,
          }
        : {}),
    })
  }

  chooseAccount(req: SandboxRequest): SandboxReply {
    const form = new URLSearchParams(req.body.toString('utf8'))
    const params = Object.fromEntries(
      carried.map((name) => [name, form.get(name) ?? undefined]),
    ) as AuthorizeParams
    const checked = this.check(req.params.tenant!, params)
    if ('reply' in checked) return checked.reply
    const { redirectUri } = checked
    const state: Record<string, string> = params.state ? { state: params.state } : {}
    if (form.get('cancel')) {
      return respond(params, redirectUri, {
        error: 'access_denied',
        error_subcode: 'cancel',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        ...state,
      })
    }
    const user = userByUsername(form.get('username') ?? '')
    if (!user || !usersFor(checked.segment).includes(user)) {
      return errorPage('We couldn’t sign you in', 'That account does not exist in this directory.')
    }
    this.dropExpired()
    const code = `1.sbx.${randomBytes(32).toString('base64url')}`
    this.codes.set(code, {
      clientId: params.client_id!,
      redirectUri,
      codeChallenge: params.code_challenge!,
      scope: params.scope ?? '',
      ...(params.nonce ? { nonce: params.nonce } : {}),
      user,
      expiresAt: Date.now() + codeLifetimeMs,
    })
    const clientInfo = Buffer.from(
      JSON.stringify({ uid: user.oid, utid: user.homeTenantId }),
    ).toString('base64url')
    return respond(params, redirectUri, {
      code,
      ...(params.client_info === '1'
        ? { client_info: clientInfo }
        : ({} as Record<string, string>)),
      ...state,
    })
  }

  /** Takes a code out (codes are single use); undefined when unknown or expired. */
  redeem(code: string): PendingCode | undefined {
    const pending = this.codes.get(code)
    this.codes.delete(code)
    if (!pending || pending.expiresAt < Date.now()) return undefined
    return pending
  }

  private check(
    tenant: string,
    params: AuthorizeParams,
  ): { segment: TenantSegment; redirectUri: string } | { reply: SandboxReply } {
    const fail = (message: string) => ({
      reply: errorPage('Sorry, but we’re having trouble signing you in.', message),
    })
    const segment = resolveTenantSegment(tenant)
    if (!segment) return fail(`AADSTS90002: Tenant '${tenant}' not found.`)
    if (!params.client_id || !registeredClients.has(params.client_id)) {
      return fail(
        `AADSTS700016: Application with identifier '${params.client_id ?? ''}' was not found in the directory. You may have sent your authentication request to the wrong tenant.`,
      )
    }
    const redirectUri = params.redirect_uri ?? ''
    if (!isLoopback(redirectUri)) {
      return fail(
        `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${params.client_id}'. The sandbox's public client accepts loopback addresses (http://localhost or http://127.0.0.1 on any port).`,
      )
    }
    if (params.response_type !== 'code') {
      return fail(
        `AADSTS700054: response_type '${params.response_type ?? ''}' is not enabled for the application.`,
      )
    }
    if (!params.code_challenge || params.code_challenge_method !== 'S256') {
      return fail(
        'AADSTS9002325: Proof Key for Code Exchange (S256) is required for this application.',
      )
    }
    return { segment, redirectUri }
  }

  private dropExpired(): void {
    const now = Date.now()
    for (const [code, pending] of this.codes) if (pending.expiresAt < now) this.codes.delete(code)
  }
}

function isLoopback(uri: string): boolean {
  try {
    const url = new URL(uri)
    return (
      url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1')
    )
  } catch {
    return false
  }
}

/** Delivers the result to the redirect URI: form_post (MSAL 7) or a query-string redirect. */
function respond(
  params: AuthorizeParams,
  redirectUri: string,
  fields: Record<string, string>,
): SandboxReply {
  if (params.response_mode === 'query') {
    const url = new URL(redirectUri)
    for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value)
    return { status: 302, headers: { Location: url.toString(), 'Cache-Control': 'no-store' } }
  }
  return formPostPage(redirectUri, fields)
}
