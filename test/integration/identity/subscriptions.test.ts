import { SubscriptionClient } from '@azure/arm-resources-subscriptions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tenantSchema, type Tenant } from '../../../shared/api'
import { requireMultiFactorAuthentication } from '../../../sandbox/identity'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { appAuth } from './app-auth'

const contoso = '72f988bf-0000-4000-8000-00000000c0de'
const fabrikam = '3e1f7a52-0000-4000-8000-0000000fab1e'

const summary = (tenants: Tenant[]) =>
  Object.fromEntries(tenants.map((t) => [t.displayName, t.subscriptions.map((s) => s.displayName)]))

describe('subscriptions service (SubscriptionClient with per-tenant tokens)', () => {
  let t: TestSandbox
  beforeAll(async () => {
    t = await startTestSandbox()
  })
  afterAll(() => t.close())

  it('lists both tenants and the subscriptions ada has a role on', async () => {
    const app = appAuth(t.sandbox)
    const ada = await app.auth.signIn({ method: 'browser' })
    const tenants = await app.subscriptions.list()
    for (const tenant of tenants) tenantSchema.parse(tenant)
    expect(summary(tenants)).toEqual({
      'Contoso Research': ['Contoso Data Science', 'Contoso Dev/Test'],
      'Fabrikam Labs': ['Fabrikam Analytics'],
    })
    const fabrikamTenant = tenants.find((x) => x.id === fabrikam)!
    expect(fabrikamTenant).toMatchObject({ defaultDomain: 'fabrikam.example' })
    expect(fabrikamTenant.subscriptions[0]).toEqual({
      id: '00000000-0000-4000-8000-000000000003',
      displayName: 'Fabrikam Analytics',
      tenantId: fabrikam,
      state: 'Enabled',
      accountId: ada.id,
    })
    expect(tenants.every((x) => x.problem === undefined)).toBe(true)
  })

  it('shows grace and alan only the subscription they have a role on', async () => {
    for (const username of ['grace@contoso.example', 'alan@contoso.example']) {
      const app = appAuth(t.sandbox)
      app.nextUser = username
      await app.auth.signIn({ method: 'browser' })
      expect(summary(await app.subscriptions.list())).toEqual({
        'Contoso Research': ['Contoso Data Science'],
      })
    }
  })

  it('merges what two signed-in accounts see, one entry per tenant', async () => {
    const app = appAuth(t.sandbox)
    app.nextUser = 'grace@contoso.example'
    const grace = await app.auth.signIn({ method: 'browser' })
    app.nextUser = 'ada@contoso.example'
    const ada = await app.auth.signIn({ method: 'browser' })
    const tenants = await app.subscriptions.list()
    expect(tenants.map((x) => x.id).sort()).toEqual([contoso, fabrikam].sort())
    const dataScience = tenants
      .find((x) => x.id === contoso)!
      .subscriptions.find((s) => s.displayName === 'Contoso Data Science')!
    expect([grace.id, ada.id]).toContain(dataScience.accountId)
    expect(tenants.find((x) => x.id === contoso)!.subscriptions).toHaveLength(2)
  })

  it('reports a tenant that cannot be read as its problem, and lists the others', async () => {
    const app = appAuth(t.sandbox)
    await app.auth.signIn({ method: 'browser' })
    t.sandbox.faults.serverErrors({
      status: 503,
      service: 'identity',
      pathIncludes: `/${fabrikam}/oauth2/v2.0/token`,
    })
    try {
      const tenants = await app.subscriptions.list()
      const broken = tenants.find((x) => x.id === fabrikam)!
      expect(broken.subscriptions).toEqual([])
      expect(broken.problem).toMatch(/Fabrikam Labs/)
      expect(summary(tenants)['Contoso Research']).toEqual([
        'Contoso Data Science',
        'Contoso Dev/Test',
      ])
    } finally {
      t.sandbox.faults.clear()
    }
  })

  it('shows a tenant that requires MFA as a problem until the person signs in there', async () => {
    const app = appAuth(t.sandbox)
    const ada = await app.auth.signIn({ method: 'browser' })
    requireMultiFactorAuthentication(t.sandbox.context, fabrikam)
    try {
      const before = await app.subscriptions.list()
      const fabrikamTenant = before.find((x) => x.id === fabrikam)!
      expect(fabrikamTenant.subscriptions).toEqual([])
      expect(fabrikamTenant.problem).toBe(
        'Fabrikam Labs asks for more before it shows its subscriptions: this directory requires multi-factor authentication. Sign in to this directory to continue.',
      )
      expect((await app.auth.accounts())[0]!.signedIn).toBe(true)

      const again = await app.auth.signIn({ method: 'browser', tenantId: fabrikam })
      expect(again).toEqual(ada)
      expect(new URL(app.browserUrls.at(-1)!).pathname).toBe(`/${fabrikam}/oauth2/v2.0/authorize`)
      const after = await app.subscriptions.list()
      expect(summary(after)).toEqual({
        'Contoso Research': ['Contoso Data Science', 'Contoso Dev/Test'],
        'Fabrikam Labs': ['Fabrikam Analytics'],
      })
    } finally {
      requireMultiFactorAuthentication(t.sandbox.context, fabrikam, false)
    }
  })

  it('asks to sign in when no account is signed in', async () => {
    const app = appAuth(t.sandbox)
    await expect(app.subscriptions.list()).rejects.toMatchObject({ code: 'AuthRequired' })
  })
})

describe('when Azure cannot be reached', () => {
  it('listing subscriptions and signing in fail with Offline', async () => {
    const t = await startTestSandbox()
    const app = appAuth(t.sandbox)
    await app.auth.signIn({ method: 'browser' })
    await t.close()
    await expect(app.subscriptions.list()).rejects.toMatchObject({ code: 'Offline' })
    await expect(app.auth.signIn({ method: 'deviceCode' })).rejects.toMatchObject({
      code: 'Offline',
    })
  })
})

describe('subscription locations', () => {
  it('lists the regions the sandbox offers', async () => {
    const t = await startTestSandbox()
    try {
      const client = new SubscriptionClient(t.credential(), {
        endpoint: t.sandbox.armEndpoint,
        tlsOptions: { ca: t.sandbox.caCert },
      })
      const names: string[] = []
      for await (const l of client.subscriptions.listLocations(t.sandbox.subscriptionId))
        names.push(l.name!)
      expect(names).toContain('eastus')
      expect(names).toContain('westeurope')
    } finally {
      await t.close()
    }
  })
})
