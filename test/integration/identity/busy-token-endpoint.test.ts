import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TrustingNetworkClient } from '../../../electron/azure/auth/network-client'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

/** The sandbox's token endpoint when throttled or failing answers as Entra does: OAuth JSON. */
describe('a busy token endpoint', () => {
  let t: TestSandbox
  let post: () => Promise<{
    status: number
    headers: Record<string, string>
    body: Record<string, unknown>
  }>

  beforeAll(async () => {
    t = await startTestSandbox()
    const network = new TrustingNetworkClient(t.sandbox.caCert)
    post = () =>
      network.sendPostRequestAsync(`${t.sandbox.authorityHost}/organizations/oauth2/v2.0/token`, {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&refresh_token=x&client_id=y',
      })
  })
  afterAll(() => t.close())

  it('answers 429 with Retry-After and an OAuth error body', async () => {
    t.sandbox.faults.throttle({ retryAfterSeconds: 7, count: 1, service: 'identity' })
    const answer = await post()
    expect(answer.status).toBe(429)
    expect(answer.headers['retry-after']).toBe('7')
    expect(answer.body).toMatchObject({
      error: 'temporarily_unavailable',
      error_codes: [90055],
      error_description: expect.stringMatching(/^AADSTS90055: /),
    })
  })

  it('answers 503 with an OAuth error body', async () => {
    t.sandbox.faults.serverErrors({ status: 503, count: 1, service: 'identity' })
    const answer = await post()
    expect(answer.status).toBe(503)
    expect(answer.body).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] })
  })
})
