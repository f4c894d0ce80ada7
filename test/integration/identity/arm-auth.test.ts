import type { AccessToken, TokenCredential } from '@azure/core-auth'
import { ResourceManagementClient } from '@azure/arm-resources'
import { SubscriptionClient } from '@azure/arm-resources-subscriptions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserRequest, startTestSandbox, type TestSandbox } from '../sandbox/harness'

interface RestErrorLike {
  statusCode?: number
  code?: string
  message?: string
  response?: { headers: { get(name: string): string | undefined } }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => e as RestErrorLike,
  )

/** A credential that hands the SDK whatever token the test wants. */
const fixed = (token: string): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({
    token,
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
})

describe('ARM checks bearer tokens as Azure does', () => {
  let t: TestSandbox
  let options: { endpoint: string; tlsOptions: { ca: string } }
  const [contosoDataScience, , fabrikamAnalytics] = [
    '00000000-0000-4000-8000-000000000001',
    '00000000-0000-4000-8000-000000000002',
    '00000000-0000-4000-8000-000000000003',
  ]

  beforeAll(async () => {
    t = await startTestSandbox()
    options = { endpoint: t.sandbox.armEndpoint, tlsOptions: { ca: t.sandbox.caCert } }
  })
  afterAll(() => t.close())

  it('answers a request without a token with 401 AuthenticationFailed and a challenge', async () => {
    const res = await browserRequest(
      `${t.sandbox.armEndpoint}/subscriptions?api-version=2022-12-01`,
      {
        ca: t.sandbox.caCert,
      },
    )
    expect(res.status).toBe(401)
    expect(JSON.parse(res.body)).toEqual({
      error: {
        code: 'AuthenticationFailed',
        message: "Authentication failed. The 'Authorization' header is missing.",
      },
    })
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer authorization_uri="https:\/\/localhost:\d+\/common", error="invalid_token", error_description="/,
    )
  })

  it('rejects a tampered token with InvalidAuthenticationToken', async () => {
    const good = await t.credential().getToken('https://management.azure.com/.default')
    const [header, payload] = good!.token.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
      string,
      unknown
    >
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, oid: 'someone-else' })).toString('base64url')}.${good!.token.split('.')[2]}`
    const client = new SubscriptionClient(fixed(forged), options)
    const error = await failure(client.subscriptions.get(contosoDataScience))
    expect(error).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' })
    expect(error.response?.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('rejects a token for another audience with InvalidAuthenticationTokenAudience', async () => {
    const client = new SubscriptionClient(t.credential(), {
      ...options,
      credentials: { scopes: ['https://storage.azure.com/.default'] },
    })
    const error = await failure(client.subscriptions.get(contosoDataScience))
    expect(error).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationTokenAudience' })
    expect(error.message).toContain("wrong audience or resource 'https://storage.azure.com'")
  })

  it('rejects tokens issued before "expire tokens now" with ExpiredAuthenticationToken', async () => {
    const credential = t.credential('grace@contoso.example')
    const client = new SubscriptionClient(credential, options)
    expect((await client.subscriptions.get(contosoDataScience)).displayName).toBe(
      'Contoso Data Science',
    )
    t.sandbox.faults.expireTokens()
    const error = await failure(client.subscriptions.get(contosoDataScience))
    expect(error).toMatchObject({ statusCode: 401, code: 'ExpiredAuthenticationToken' })
    expect(error.message).toMatch(
      /The access token expiry UTC time '.+' is earlier than current UTC time '.+'\./,
    )
    expect(error.response?.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('rejects a token of the wrong tenant for a subscription with InvalidAuthenticationTokenTenant', async () => {
    const client = new SubscriptionClient(t.credential(), options)
    const error = await failure(client.subscriptions.get(fabrikamAnalytics))
    expect(error).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationTokenTenant' })
    expect(error.message).toContain('3e1f7a52-0000-4000-8000-0000000fab1e')
  })

  it('lets a Reader read but answers a write with 403 AuthorizationFailed', async () => {
    const reader = new ResourceManagementClient(
      t.credential('alan@contoso.example'),
      contosoDataScience,
      options,
    )
    const groups = []
    for await (const g of reader.resourceGroups.list()) groups.push(g)
    expect(Array.isArray(groups)).toBe(true)
    const error = await failure(
      reader.resourceGroups.createOrUpdate('alan-pool', { location: 'eastus' }),
    )
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' })
    expect(error.message).toContain("The client 'alan@contoso.example'")

    const contributor = new ResourceManagementClient(
      t.credential('grace@contoso.example'),
      contosoDataScience,
      options,
    )
    const created = await contributor.resourceGroups.createOrUpdate('grace-pool', {
      location: 'eastus',
    })
    expect(created.name).toBe('grace-pool')
  })
})
