import { ClientCredentialsGrant } from '../../../sandbox/identity/client-credentials'
import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ArmError } from '../../../sandbox/core/arm-error'
import { createRequest, type SandboxReply, type SandboxRequest } from '../../../sandbox/core/http'
import { SandboxState } from '../../../sandbox/core/state'
import { AuthorizeEndpoint } from '../../../sandbox/identity/authorize'
import { DeviceCodeFlow } from '../../../sandbox/identity/device-code'
import { loadSigningKey } from '../../../sandbox/identity/keys'
import { TenantPolicies } from '../../../sandbox/identity/policies'
import { TokenEndpoint } from '../../../sandbox/identity/token-endpoint'
import { SshCertificateAuthority } from '../../../sandbox/identity/ssh-ca'
import { parseScopes, TokenService } from '../../../sandbox/identity/tokens'
import { sandboxClientId, tenants, users } from '../../../sandbox/seed/directory'

const host = 'https://localhost:4443'
const [contoso, fabrikam] = tenants.map((t) => t.id) as [string, string]
const verifier = 'a-long-enough-pkce-code-verifier-0123456789abcdefghijkl'
const challenge = createHash('sha256').update(verifier).digest('base64url')
let ids = 0
const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`

function request(
  method: string,
  path: string,
  init: {
    form?: Record<string, string>
    headers?: Record<string, string>
    params?: Record<string, string>
  } = {},
): SandboxRequest {
  const req = createRequest({
    method,
    url: new URL(path, host),
    headers: init.headers ?? {},
    body: Buffer.from(init.form ? new URLSearchParams(init.form).toString() : ''),
  })
  req.params = init.params ?? {}
  return req
}

function setup() {
  const state = new SandboxState()
  const tokens = new TokenService(loadSigningKey(state, newId), state, () => host, newId)
  const policies = new TenantPolicies(state)
  const authorize = new AuthorizeEndpoint(policies)
  const devices = new DeviceCodeFlow(() => `${host}/common/oauth2/deviceauth`)
  return {
    tokens,
    authorize,
    devices,
    policies,
    endpoint: new TokenEndpoint(
      tokens,
      authorize,
      devices,
      policies,
      new SshCertificateAuthority(state),
      new ClientCredentialsGrant(tokens, () => host),
    ),
  }
}

const authorizeQuery = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    client_id: sandboxClientId,
    redirect_uri: 'http://localhost:51234',
    response_type: 'code',
    response_mode: 'form_post',
    scope: 'https://management.azure.com/.default openid profile offline_access',
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  })

const html = (reply: SandboxReply) => String(reply.body)
const json = (reply: SandboxReply) => reply.body as Record<string, unknown>

describe('scopes → audience', () => {
  it('derives the audience and permissions as Entra does', () => {
    expect(parseScopes('https://management.azure.com/.default openid offline_access')).toEqual({
      audience: 'https://management.azure.com',
      permissions: ['user_impersonation'],
    })
    expect(parseScopes('https://storage.azure.com/user_impersonation')).toEqual({
      audience: 'https://storage.azure.com',
      permissions: ['user_impersonation'],
    })
    expect(parseScopes('openid profile')).toMatchObject({
      audience: '00000003-0000-0000-c000-000000000000',
    })
    expect(
      parseScopes('https://management.azure.com/.default https://storage.azure.com/.default'),
    ).toMatchObject({
      error: expect.stringContaining('more than one resource'),
    })
    expect(parseScopes('https://vault.azure.net/.default')).toMatchObject({
      error: expect.stringContaining('was not found'),
    })
  })
})

describe('authorize endpoint', () => {
  it('shows a sign-in page with a button per user of the tenant', () => {
    const { authorize } = setup()
    const contosoPage = authorize.showSignIn(
      request('GET', `/${contoso}/oauth2/v2.0/authorize?${authorizeQuery()}`, {
        params: { tenant: contoso },
      }),
    )
    expect(contosoPage.status).toBe(200)
    expect(
      html(contosoPage).match(/<button class="user" type="submit" name="username"/g),
    ).toHaveLength(3)
    expect(html(contosoPage)).toContain('Sign in to the sandbox')
    const fabrikamPage = authorize.showSignIn(
      request('GET', `/${fabrikam}/oauth2/v2.0/authorize?${authorizeQuery()}`, {
        params: { tenant: fabrikam },
      }),
    )
    expect(html(fabrikamPage).match(/name="username" value="([^"]+)"/g)).toEqual([
      'name="username" value="ada@contoso.example"',
    ])
  })

  it.each([
    [{ client_id: 'nope' }, 'AADSTS700016'],
    [{ redirect_uri: 'https://evil.example/cb' }, 'AADSTS50011'],
    [{ code_challenge_method: 'plain' }, 'AADSTS9002325'],
    [{ response_type: 'token' }, 'AADSTS700054'],
  ])('refuses %o with %s', (overrides, code) => {
    const { authorize } = setup()
    const reply = authorize.showSignIn(
      request('GET', `/common/oauth2/v2.0/authorize?${authorizeQuery(overrides)}`, {
        params: { tenant: 'common' },
      }),
    )
    expect(reply.status).toBe(400)
    expect(html(reply)).toContain(code)
  })
})

describe('token endpoint', () => {
  async function codeFor(setupResult: ReturnType<typeof setup>, username = 'ada@contoso.example') {
    const form = Object.fromEntries(authorizeQuery())
    const reply = setupResult.authorize.chooseAccount(
      request('POST', `/organizations/oauth2/v2.0/authorize`, {
        form: { ...form, username },
        params: { tenant: 'organizations' },
      }),
    )
    return /name="code" value="([^"]+)"/.exec(html(reply))![1]!
  }
  const redeem = (s: ReturnType<typeof setup>, code: string, codeVerifier = verifier) =>
    s.endpoint.handle(
      request('POST', '/organizations/oauth2/v2.0/token', {
        params: { tenant: 'organizations' },
        form: {
          client_id: sandboxClientId,
          grant_type: 'authorization_code',
          code,
          code_verifier: codeVerifier,
          redirect_uri: 'http://localhost:51234',
          scope: 'https://management.azure.com/.default openid profile offline_access',
        },
      }),
    )

  it('checks the PKCE verifier and redeems a code once', async () => {
    const s = setup()
    const wrong = await redeem(s, await codeFor(s), 'x'.repeat(43))
    expect(wrong.status).toBe(400)
    expect(json(wrong)).toMatchObject({ error: 'invalid_grant', error_codes: [50148] })

    const code = await codeFor(s)
    const ok = await redeem(s, code)
    expect(ok.status).toBe(200)
    const body = json(ok)
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 })
    expect(JSON.parse(Buffer.from(String(body.client_info), 'base64url').toString())).toEqual({
      uid: 'a1a1a1a1-0000-4000-8000-00000000ada0',
      utid: contoso,
    })
    const again = await redeem(s, code)
    expect(json(again)).toMatchObject({ error: 'invalid_grant', error_codes: [70008] })
  })

  it('refuses a refresh token into a tenant that requires MFA until a sign-in there', async () => {
    const s = setup()
    const first = json(await redeem(s, await codeFor(s)))
    s.policies.setMfa(fabrikam, true)
    const refresh = (tenant: string, token: string) =>
      s.endpoint.handle(
        request('POST', `/${tenant}/oauth2/v2.0/token`, {
          params: { tenant },
          form: {
            client_id: sandboxClientId,
            grant_type: 'refresh_token',
            refresh_token: token,
            scope: 'https://management.azure.com/.default openid offline_access',
          },
        }),
      )
    const refused = await refresh(fabrikam, String(first.refresh_token))
    expect(json(refused)).toMatchObject({
      error: 'invalid_grant',
      error_codes: [50076],
      suberror: 'basic_action',
    })
    expect((await refresh(contoso, String(first.refresh_token))).status).toBe(200)

    const page = s.authorize.showSignIn(
      request('GET', `/${fabrikam}/oauth2/v2.0/authorize?${authorizeQuery()}`, {
        params: { tenant: fabrikam },
      }),
    )
    expect(html(page)).toContain('requires multi-factor authentication')
    const form = Object.fromEntries(authorizeQuery())
    const chosen = s.authorize.chooseAccount(
      request('POST', `/${fabrikam}/oauth2/v2.0/authorize`, {
        form: { ...form, username: 'ada@contoso.example' },
        params: { tenant: fabrikam },
      }),
    )
    const code = /name="code" value="([^"]+)"/.exec(html(chosen))![1]!
    const signedInThere = json(
      await s.endpoint.handle(
        request('POST', `/${fabrikam}/oauth2/v2.0/token`, {
          params: { tenant: fabrikam },
          form: {
            client_id: sandboxClientId,
            grant_type: 'authorization_code',
            code,
            code_verifier: verifier,
            redirect_uri: 'http://localhost:51234',
            scope: 'https://management.azure.com/.default openid offline_access',
          },
        }),
      ),
    )
    expect((await refresh(fabrikam, String(signedInThere.refresh_token))).status).toBe(200)
  })

  it('refuses an unknown client as AADSTS700016', async () => {
    const s = setup()
    const reply = await s.endpoint.handle(
      request('POST', `/${contoso}/oauth2/v2.0/token`, {
        params: { tenant: contoso },
        form: { client_id: 'x', grant_type: 'refresh_token' },
      }),
    )
    expect(reply.status).toBe(400)
    expect(json(reply)).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] })
    expect(String(json(reply).error_description)).toMatch(
      /^AADSTS700016: Application with identifier 'x' was not found in the directory 'Contoso Research'/,
    )
  })
})

describe('device code flow', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function start(devices: DeviceCodeFlow, tenant = 'organizations') {
    const reply = devices.start(
      request('POST', `/${tenant}/oauth2/v2.0/devicecode`, {
        params: { tenant },
        form: { client_id: sandboxClientId, scope: 'https://management.azure.com/.default' },
      }),
    )
    return json(reply) as {
      device_code: string
      user_code: string
      interval: number
      expires_in: number
    }
  }

  it('answers pending, then slow_down when polled too fast, then the approved user', () => {
    const { devices } = setup()
    const code = start(devices)
    expect(devices.poll(code.device_code, sandboxClientId).status).toBe('authorization_pending')
    expect(devices.poll(code.device_code, sandboxClientId).status).toBe('slow_down')
    vi.setSystemTime(Date.now() + code.interval * 1000)
    expect(devices.poll(code.device_code, sandboxClientId).status).toBe('authorization_pending')
    const page = devices.approve(
      request('POST', '/common/oauth2/deviceauth', {
        form: { otc: code.user_code.toLowerCase(), username: 'grace@contoso.example' },
      }),
    )
    expect(html(page)).toContain('You have signed in to the app as Grace Hopper')
    expect(devices.poll(code.device_code, sandboxClientId)).toMatchObject({
      status: 'approved',
      user: { username: 'grace@contoso.example' },
    })
    expect(devices.poll(code.device_code, sandboxClientId).status).toBe('bad_verification_code')
  })

  it('expires codes after 15 minutes', () => {
    const { devices } = setup()
    const code = start(devices)
    vi.setSystemTime(Date.now() + code.expires_in * 1000 + 1)
    expect(devices.poll(code.device_code, sandboxClientId).status).toBe('expired_token')
  })

  it('refuses a wrong code and a user outside the tenant on the verification page', () => {
    const { devices } = setup()
    const code = start(devices, fabrikam)
    const wrong = devices.approve(
      request('POST', '/common/oauth2/deviceauth', {
        form: { otc: 'WRONGCODE', username: 'ada@contoso.example' },
      }),
    )
    expect(wrong.status).toBe(400)
    expect(html(wrong)).toContain('That code didn’t work')
    const outsider = devices.approve(
      request('POST', '/common/oauth2/deviceauth', {
        form: { otc: code.user_code, username: 'grace@contoso.example' },
      }),
    )
    expect(html(outsider)).toContain('is not a member of the directory')
  })
})

describe('token verification', () => {
  const audiences = ['https://management.azure.com']
  const verify = (tokens: TokenService, authorization?: string) =>
    tokens.verify(
      request('GET', '/subscriptions', { headers: authorization ? { authorization } : {} }),
      audiences,
    )

  it('answers with the codes and challenge Azure uses', () => {
    const { tokens } = setup()
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'AuthenticationFailed'],
      ['Basic dXNlcjpwYXNz', 'AuthenticationFailed'],
      ['Bearer not-a-jwt', 'InvalidAuthenticationToken'],
      ['Bearer a.b.c', 'InvalidAuthenticationToken'],
    ]
    for (const [header, code] of cases) {
      const result = verify(tokens, header)
      expect(result).toBeInstanceOf(ArmError)
      expect(result).toMatchObject({ status: 401, code })
      expect((result as ArmError).extra.headers!['WWW-Authenticate']).toMatch(
        /^Bearer authorization_uri=".+", error="invalid_token", error_description=".+"$/,
      )
    }
  })

  it('does not accept a token signed by another sandbox', async () => {
    const one = setup()
    const other = setup()
    const user = users[0]!
    const issued = await other.tokens.issue({
      user,
      tenantId: contoso,
      clientId: sandboxClientId,
      scope: 'https://management.azure.com/.default',
      resource: { audience: 'https://management.azure.com', permissions: ['user_impersonation'] },
    })
    expect(verify(other.tokens, `Bearer ${issued.access_token}`)).toMatchObject({
      oid: user.oid,
      tenantId: contoso,
    })
    expect(verify(one.tokens, `Bearer ${issued.access_token}`)).toMatchObject({
      code: 'InvalidAuthenticationToken',
    })
  })

  it('answers an expired token and a token for another resource as Azure does', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const { tokens } = setup()
      const issue = (audience: string) =>
        tokens.issue({
          user: users[0]!,
          tenantId: contoso,
          clientId: sandboxClientId,
          scope: `${audience}/.default`,
          resource: { audience, permissions: ['user_impersonation'] },
        })
      const storage = await issue('https://storage.azure.com')
      expect(verify(tokens, `Bearer ${storage.access_token}`)).toMatchObject({
        code: 'InvalidAuthenticationTokenAudience',
        message: expect.stringContaining("'https://storage.azure.com'"),
      })
      const arm = await issue('https://management.azure.com')
      expect(verify(tokens, `Bearer ${arm.access_token}`)).toMatchObject({
        username: 'ada@contoso.example',
      })
      vi.setSystemTime(Date.now() + 2 * 3600 * 1000)
      expect(verify(tokens, `Bearer ${arm.access_token}`)).toMatchObject({
        status: 401,
        code: 'ExpiredAuthenticationToken',
      })
    } finally {
      vi.useRealTimers()
    }
  })

  it('treats every token issued before expireIssuedTokens() as expired, and new ones as valid', async () => {
    const { tokens } = setup()
    const issue = () =>
      tokens.issue({
        user: users[0]!,
        tenantId: contoso,
        clientId: sandboxClientId,
        scope: 'https://management.azure.com/.default',
        resource: { audience: 'https://management.azure.com', permissions: ['user_impersonation'] },
      })
    const before = await issue()
    tokens.expireIssuedTokens()
    const after = await issue()
    expect(verify(tokens, `Bearer ${before.access_token}`)).toMatchObject({
      code: 'ExpiredAuthenticationToken',
    })
    expect(verify(tokens, `Bearer ${after.access_token}`)).toMatchObject({ oid: users[0]!.oid })
  })
})
