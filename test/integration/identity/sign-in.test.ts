import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors'
import { accountSchema } from '../../../shared/api'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { appAuth } from './app-auth'

const armScope = ['https://management.azure.com/.default']
const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>

describe('sign-in with the app auth service (real MSAL against the sandbox)', () => {
  let t: TestSandbox
  beforeAll(async () => {
    t = await startTestSandbox()
  })
  afterAll(() => t.close())

  it('signs in through the browser and lists the account', async () => {
    const app = appAuth(t.sandbox)
    const account = await app.auth.signIn({ method: 'browser' })
    expect(accountSchema.parse(account)).toMatchObject({
      username: 'ada@contoso.example',
      name: 'Ada Lovelace',
      tenantId: t.sandbox.tenantId,
      cloud: 'Sandbox',
      signedIn: true,
    })
    const url = new URL(app.browserUrls[0]!)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('response_mode')).toBe('form_post')
    expect(await app.auth.accounts()).toEqual([account])
    expect(app.accountEvents.at(-1)).toEqual([account])

    const token = await app.auth.getToken(account.id, armScope)
    const claims = decode(token.token)
    expect(claims).toMatchObject({
      aud: 'https://management.azure.com',
      tid: t.sandbox.tenantId,
      upn: 'ada@contoso.example',
    })
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now())
  })

  it('signs in with a device code shown to the user', async () => {
    const app = appAuth(t.sandbox)
    app.nextUser = 'alan@contoso.example'
    const account = await app.auth.signIn({ method: 'deviceCode' })
    expect(account.username).toBe('alan@contoso.example')
    expect(app.deviceCodes).toHaveLength(1)
    const code = app.deviceCodes[0]!
    expect(code.userCode).toMatch(/^[A-Z0-9]{9}$/)
    expect(code.verificationUri).toBe(`${t.sandbox.authorityHost}/common/oauth2/deviceauth`)
    expect(code.message).toContain(code.userCode)
    expect(Date.parse(code.expiresOn)).toBeGreaterThan(Date.now())
  })

  it('keeps several accounts and signs out one of them', async () => {
    const app = appAuth(t.sandbox)
    const ada = await app.auth.signIn({ method: 'browser' })
    app.nextUser = 'grace@contoso.example'
    const grace = await app.auth.signIn({ method: 'browser' })
    expect((await app.auth.accounts()).map((a) => a.username).sort()).toEqual([
      'ada@contoso.example',
      'grace@contoso.example',
    ])
    expect(await app.auth.signOut({ accountId: ada.id })).toEqual({ signedOut: true })
    expect((await app.auth.accounts()).map((a) => a.username)).toEqual(['grace@contoso.example'])
    expect(await app.auth.signOut({ accountId: ada.id })).toEqual({ signedOut: false })
    await expect(app.auth.getToken(ada.id, armScope)).rejects.toMatchObject({
      code: 'AuthRequired',
    })
    expect((await app.auth.getToken(grace.id, armScope)).token).toBeTruthy()
  })

  it('renews silently with the refresh token, for another resource and another tenant', async () => {
    const app = appAuth(t.sandbox)
    const ada = await app.auth.signIn({ method: 'browser' })
    const storage = await app.auth.getToken(ada.id, ['https://storage.azure.com/.default'])
    expect(decode(storage.token)).toMatchObject({
      aud: 'https://storage.azure.com',
      oid: expect.any(String),
    })
    const fabrikam = t.sandbox.directory.tenants[1]!.id
    const other = await app.auth.getToken(ada.id, armScope, { tenantId: fabrikam })
    expect(decode(other.token)).toMatchObject({
      tid: fabrikam,
      aud: 'https://management.azure.com',
    })
    expect(app.browserUrls).toHaveLength(1)
  })

  it('renews an expired access token from the stored, encrypted cache', async () => {
    const app = appAuth(t.sandbox)
    const ada = await app.auth.signIn({ method: 'browser' })
    const first = await app.auth.getToken(ada.id, armScope)
    const [key] = app.store.writes
    // Age every cached access token, as if the app had been closed for two hours.
    await app.store.edit(key!, (text) =>
      text.replace(/"expires_on":"\d+"/g, `"expires_on":"${Math.floor(Date.now() / 1000) - 60}"`),
    )
    const renewed = await app.auth.getToken(ada.id, armScope)
    expect(renewed.token).not.toBe(first.token)
    expect(app.browserUrls).toHaveLength(1)
  })

  it('asks to sign in again when the refresh token is no longer valid', async () => {
    const app = appAuth(t.sandbox)
    const ada = await app.auth.signIn({ method: 'browser' })
    const [key] = app.store.writes
    await app.store.edit(key!, (text) =>
      text
        .replace(/"expires_on":"\d+"/g, `"expires_on":"${Math.floor(Date.now() / 1000) - 60}"`)
        .replace(/"secret":"1\.sbx\.[^"]+"/g, '"secret":"1.sbx.revoked"'),
    )
    const failure = await app.auth.getToken(ada.id, armScope).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(AppError)
    expect(failure).toMatchObject({
      code: 'AuthRequired',
      message: expect.stringMatching(/^Sign in again as ada@contoso.example/),
    })
    expect((await app.auth.accounts())[0]).toMatchObject({ id: ada.id, signedIn: false })
    expect(app.accountEvents.at(-1)![0]!.signedIn).toBe(false)

    await app.auth.signIn({ method: 'browser' })
    expect((await app.auth.accounts())[0]!.signedIn).toBe(true)
  })

  it('cancels a browser sign-in the person never finishes', async () => {
    const app = appAuth(t.sandbox)
    app.nextUser = 'nobody'
    const signIn = app.auth.signIn({ method: 'browser' }).catch((e: unknown) => e)
    await waitFor(() => app.browserUrls.length > 0)
    expect(await app.auth.cancelSignIn()).toEqual({ cancelled: true })
    expect(await signIn).toMatchObject({ code: 'Cancelled' })
    expect(await app.auth.cancelSignIn()).toEqual({ cancelled: false })
  })

  it('reports Cancel on the sign-in page as a cancelled sign-in', async () => {
    const app = appAuth(t.sandbox)
    app.nextUser = 'cancel'
    await expect(app.auth.signIn({ method: 'browser' })).rejects.toMatchObject({
      code: 'Cancelled',
    })
  })

  it('cancels a device code sign-in while it polls', async () => {
    const app = appAuth(t.sandbox, { deviceUser: 'nobody' })
    const signIn = app.auth.signIn({ method: 'deviceCode' }).catch((e: unknown) => e)
    await waitFor(() => app.deviceCodes.length > 0)
    expect(await app.auth.cancelSignIn()).toEqual({ cancelled: true })
    expect(await signIn).toMatchObject({ code: 'Cancelled' })
  })

  it('reports a declined device code as cancelled', async () => {
    const app = appAuth(t.sandbox)
    app.nextUser = 'cancel'
    await expect(app.auth.signIn({ method: 'deviceCode' })).rejects.toMatchObject({
      code: 'Cancelled',
    })
  })

  it('refuses a token for a tenant the user does not belong to, without signing the account out', async () => {
    const app = appAuth(t.sandbox)
    app.nextUser = 'grace@contoso.example'
    const grace = await app.auth.signIn({ method: 'browser' })
    const fabrikam = t.sandbox.directory.tenants[1]!.id
    await expect(
      app.auth.getToken(grace.id, armScope, { tenantId: fabrikam }),
    ).rejects.toMatchObject({
      code: 'AuthRequired',
      message: expect.stringContaining('not a member'),
    })
    expect((await app.auth.accounts())[0]!.signedIn).toBe(true)
  })

  it('rejects an unknown client id as Entra does (AADSTS700016)', async () => {
    const app = appAuth(t.sandbox, { clientId: '11111111-2222-4333-8444-555555555555' })
    await expect(app.auth.signIn({ method: 'deviceCode' })).rejects.toMatchObject({
      code: 'Validation',
      message: expect.stringContaining('client id'),
    })
  })
})

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 10))
}
