import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ResourceManagementClient } from '@azure/arm-resources'
import { createDefaultHttpClient, createPipelineRequest } from '@azure/core-rest-pipeline'
import { describe, expect, it } from 'vitest'
import { agreementTermsId } from '../../../../sandbox/arm/marketplace'
import { sandboxForFile } from '../fixtures'

/*
 * No Marketplace Ordering SDK is installed, so the agreements are driven through ARM's
 * generic resource calls (GET/PUT by id) and, for the sign and cancel actions, through the
 * same authenticated ARM pipeline.
 */
const env = sandboxForFile()
const apiVersion = '2021-01-01'
const plan = { publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', plan: '2204' }

const client = (user?: string) =>
  new ResourceManagementClient(env.credential(user), env.sandbox.subscriptionId, {
    endpoint: env.sandbox.armEndpoint,
    tlsOptions: { ca: env.sandbox.caCert },
  })
// arm-resources' getById/createOrUpdateById put their own '/' before the id: pass it without one.
const termsPath = () =>
  `subscriptions/${env.sandbox.subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/${plan.publisher}/offers/${plan.offer}/plans/${plan.plan}/agreements/current`
const agreementPath = () =>
  `subscriptions/${env.sandbox.subscriptionId}/providers/Microsoft.MarketplaceOrdering/agreements/${plan.publisher}/offers/${plan.offer}/plans/${plan.plan}`

async function send(
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  user?: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = createPipelineRequest({
    url: `${env.sandbox.armEndpoint}/${path}?api-version=${apiVersion}`,
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  request.headers.set('Content-Type', 'application/json')
  const response = await client(user).pipeline.sendRequest(createDefaultHttpClient(), request)
  return {
    status: response.status,
    body: JSON.parse(response.bodyAsText ?? '{}') as Record<string, unknown>,
  }
}

describe('Microsoft.MarketplaceOrdering agreements', () => {
  it('shows unaccepted terms, accepts them with PUT, and compute can read the acceptance', async () => {
    const terms = await client().resources.getById(termsPath(), apiVersion)
    expect(terms.type).toBe('Microsoft.MarketplaceOrdering/offertypes')
    expect(terms.name).toBe(plan.plan)
    expect(terms.properties).toMatchObject({
      publisher: plan.publisher,
      product: plan.offer,
      plan: plan.plan,
      accepted: false,
    })
    const { signature, licenseTextLink } = terms.properties as {
      signature: string
      licenseTextLink: string
    }
    expect(signature).toMatch(/^[A-Z0-9]{20,}$/)
    expect(licenseTextLink).toMatch(/^https:\/\//)
    expect(
      env.sandbox.context.resources.get(
        agreementTermsId({
          subscriptionId: env.sandbox.subscriptionId,
          offerType: 'virtualmachine',
          ...plan,
        }),
      ),
    ).toBeUndefined()

    const accepted = await client()
      .resources.createOrUpdateById(termsPath(), apiVersion, {
        properties: { ...terms.properties, accepted: true },
      })
      .pollUntilDone()
    expect((accepted.properties as { accepted: boolean }).accepted).toBe(true)
    const stored = env.sandbox.context.resources.get(
      agreementTermsId({
        subscriptionId: env.sandbox.subscriptionId,
        offerType: 'virtualmachine',
        ...plan,
      }),
    )
    expect(stored?.properties?.accepted).toBe(true)
    expect(
      (
        (await client().resources.getById(termsPath(), apiVersion)).properties as {
          accepted: boolean
        }
      ).accepted,
    ).toBe(true)
  })

  it('signs and cancels an agreement', async () => {
    const cancelled = await send('POST', `${agreementPath()}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({
      type: 'Microsoft.MarketplaceOrdering/agreements',
      properties: { state: 'Canceled' },
    })
    expect(
      (
        (await client().resources.getById(termsPath(), apiVersion)).properties as {
          accepted: boolean
        }
      ).accepted,
    ).toBe(false)

    const signed = await send('POST', `${agreementPath()}/sign`)
    expect(signed.status).toBe(200)
    expect(signed.body.properties).toMatchObject({
      publisher: plan.publisher,
      offer: plan.offer,
      state: 'Active',
    })
    expect(typeof (signed.body.properties as { signDate?: string }).signDate).toBe('string')
    expect(
      (
        (await client().resources.getById(termsPath(), apiVersion)).properties as {
          accepted: boolean
        }
      ).accepted,
    ).toBe(true)
  })

  it('lets a Reader read the terms but not accept them', async () => {
    const reader = 'alan@contoso.example'
    const terms = await client(reader).resources.getById(termsPath(), apiVersion)
    expect(terms.name).toBe(plan.plan)
    const refused = await send('POST', `${agreementPath()}/sign`, reader)
    expect(refused.status).toBe(403)
    expect((refused.body.error as { code: string }).code).toBe('AuthorizationFailed')
  })
})

/** Every property path of a JSON value with the type found there. */
function shape(value: unknown, path = '$', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    out.set(path, 'object')
    for (const [key, child] of Object.entries(value)) shape(child, `${path}.${key}`, out)
  } else out.set(path, value === null ? 'null' : typeof value)
  return out
}
const examples = join(
  __dirname,
  '../../../../../shared/azure-api-examples/marketplaceordering/2021-01-01',
)
const exampleBody = (name: string) =>
  (
    JSON.parse(readFileSync(join(examples, `${name}.json`), 'utf8')) as {
      responses: { 200: { body: unknown } }
    }
  ).responses[200].body

describe('agreement responses hold against Microsoft examples', () => {
  it.each([
    ['GetMarketplaceTerms', 'GET', () => termsPath()],
    ['SetMarketplaceTerms', 'PUT', () => termsPath()],
    ['SignMarketplaceTerms', 'POST', () => `${agreementPath()}/sign`],
  ] as const)('%s', async (name, method, path) => {
    const body = method === 'PUT' ? { properties: { accepted: true } } : undefined
    const answer = await send(method, path(), undefined, body)
    expect(answer.status).toBe(200)
    const mine = shape(answer.body)
    const missing = [...shape(exampleBody(name))].filter(([p, type]) => mine.get(p) !== type)
    expect(missing).toEqual([])
  })
})
