import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CostQueryClient, type CostTokens } from '../../../electron/azure/cost'
import { subscriptions } from '../../../sandbox/seed/directory'
import { AppError } from '../../../shared/errors'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

/*
 * The cost client against the sandbox's Cost Management, with tokens from a real MSAL
 * sign-in. The demo seed gives the month of spend of two pools (rg-team-pool, rg-gpu-pool).
 * In these tests the account id is the sandbox user's name.
 */

/** The SDK's own HTTP client, counting the requests that reach the network. */
function countingHttpClient(): HttpClient & { count: number } {
  const inner = createDefaultHttpClient()
  const counter = {
    count: 0,
    sendRequest(request: Parameters<HttpClient['sendRequest']>[0]) {
      counter.count++
      return inner.sendRequest(request)
    },
  }
  return counter
}

describe('Cost Management client against the sandbox', () => {
  let test: TestSandbox
  let now = Date.now()
  const [dataScience, devTest] = subscriptions as [
    (typeof subscriptions)[0],
    (typeof subscriptions)[0],
  ]
  // Cost Management allows a few queries per scope a minute: tests spread over two pools.
  const teamPool = {
    accountId: 'ada@contoso.example',
    subscriptionId: dataScience.id,
    resourceGroup: 'rg-team-pool',
  }
  const gpuPool = { ...teamPool, resourceGroup: 'rg-gpu-pool' }

  const tokens = (): CostTokens => ({
    cloud: { armEndpoint: test.sandbox.armEndpoint, armAudience: 'https://management.azure.com' },
    credential: (accountId) => test.credential(accountId),
  })
  const client = (http = countingHttpClient()) => ({
    http,
    costs: new CostQueryClient({
      tokens: tokens(),
      tlsCa: test.sandbox.caCert,
      retryOptions: { maxRetries: 0 },
      httpClient: http,
      now: () => now,
    }),
  })

  beforeAll(async () => {
    test = await startTestSandbox({ seed: 'demo' })
    now = test.sandbox.clock.now()
  })
  afterAll(async () => {
    await test?.close()
  })

  it("reads the pool's month to date by day and service, with a month-end projection", async () => {
    const { costs } = client()
    const spend = await costs.monthToDate(teamPool)
    const today = new Date(now).toISOString().slice(0, 10)
    expect(spend.days[0]!.date).toBe(`${today.slice(0, 7)}-01`)
    expect(spend.days.at(-1)!.date).toBe(today)
    expect(spend.currency).toBe('USD')
    expect(spend.services).toEqual(
      expect.arrayContaining(['Storage', 'Load Balancer', 'Virtual Network']),
    )
    const total = spend.days.reduce((s, d) => s + d.total, 0)
    expect(spend.monthToDate).toBeCloseTo(total, 6)
    expect(spend.monthToDate).toBeGreaterThan(0)
    expect(spend.projection.projected).toBeGreaterThanOrEqual(spend.monthToDate)

    // A whole day inside the demo month: the load balancer's base charge is 24 × $0.025 and
    // the public IP 24 × $0.005; on a Saturday the team pool runs no instances.
    const historyStart = now - 30 * 24 * 3600 * 1000
    const wholeDays = spend.days.filter((d) => {
      const t = Date.parse(`${d.date}T00:00:00Z`)
      return t > historyStart && d.date !== today
    })
    // Every day of the month before today, less a partial first day of the 30-day history.
    expect(wholeDays).toHaveLength(Math.min(new Date(now).getUTCDate() - 1, 29))
    for (const day of wholeDays) {
      expect(day.byService['Load Balancer']).toBeCloseTo(0.6, 6)
      expect(day.byService['Virtual Network']).toBeCloseTo(0.12, 6)
    }
    const saturday = wholeDays.find((d) => new Date(`${d.date}T00:00:00Z`).getUTCDay() === 6)
    if (saturday) expect(saturday.byService['Virtual Machines'] ?? 0).toBe(0)
    // Instances ran on the weekdays.
    const weekday = (d: { date: string }) => new Date(`${d.date}T00:00:00Z`).getUTCDay() % 6 !== 0
    if (wholeDays.some(weekday)) expect(spend.services[0]).toBe('Virtual Machines')
  })

  it('answers again from its recent figures without a request', async () => {
    const { costs, http } = client()
    await costs.monthToDate(teamPool)
    const again = await costs.monthToDate(teamPool)
    expect(again.fromCache).toBe(true)
    expect(http.count).toBe(1)
  })

  it('sends one query for two views asking at the same time', async () => {
    const { costs, http } = client()
    const [a, b] = await Promise.all([
      costs.monthToDate({ ...gpuPool, accountId: 'alan@contoso.example' }),
      costs.monthToDate({ ...gpuPool, accountId: 'alan@contoso.example' }),
    ])
    expect(http.count).toBe(1)
    expect(a.monthToDate).toBe(b.monthToDate)
  })

  it('explains a 403: the Cost Management Reader role on the resource group', async () => {
    const { costs } = client()
    const error = await costs
      .monthToDate({
        accountId: 'grace@contoso.example',
        subscriptionId: devTest.id,
        resourceGroup: 'rg-team-pool',
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({
      code: 'Forbidden',
      message: expect.stringContaining(
        "You need the Cost Management Reader role on the pool's resource group rg-team-pool",
      ),
    })
  })

  it('on a 429 shows the saved figures, flagged, and asks again only after Retry-After', async () => {
    const { costs, http } = client()
    const first = await costs.monthToDate(teamPool)
    test.sandbox.faults.throttle({
      pathIncludes: 'Microsoft.CostManagement',
      retryAfterSeconds: 30,
      count: 1,
    })
    const throttled = await costs.monthToDate(teamPool, { refresh: true })
    expect(http.count).toBe(2)
    expect(throttled.fromCache).toBe(true)
    expect(throttled.throttled?.retryAfterSeconds).toBe(30)
    expect(throttled.monthToDate).toBeCloseTo(first.monthToDate, 6)

    now += 10_000
    const stillWaiting = await costs.monthToDate(teamPool, { refresh: true })
    expect(http.count).toBe(2)
    expect(stillWaiting.throttled?.retryAfterSeconds).toBe(20)

    now += 21_000
    const fresh = await costs.monthToDate(teamPool, { refresh: true })
    expect(http.count).toBe(3)
    expect(fresh.throttled).toBeUndefined()
    expect(fresh.fromCache).toBe(false)
  })

  it('on a 429 with nothing saved yet says when to try again', async () => {
    const { costs } = client()
    test.sandbox.faults.throttle({
      pathIncludes: 'Microsoft.CostManagement',
      retryAfterSeconds: 12,
      count: 1,
    })
    await expect(costs.monthToDate(teamPool)).rejects.toMatchObject({
      code: 'Throttled',
      details: { retryAfterSeconds: 12 },
    })
  })

  it("honours the sandbox's own Cost Management limit when refreshed in a burst", async () => {
    const { costs, http } = client()
    const answers = []
    for (let i = 0; i < 6; i++) answers.push(await costs.monthToDate(gpuPool, { refresh: true }))
    const throttled = answers.filter((a) => a.throttled)
    expect(throttled.length).toBeGreaterThan(0)
    const firstThrottled = answers.findIndex((a) => a.throttled)
    // After the first 429 no request is sent until Retry-After has passed.
    expect(http.count).toBe(firstThrottled + 1)
    expect(throttled[0]!.throttled!.retryAfterSeconds).toBeGreaterThan(0)
    expect(throttled.every((a) => a.fromCache && a.monthToDate > 0)).toBe(true)
  })
})

describe('Cost Management client when Azure cannot be reached', () => {
  it('shows the saved figures, flagged offline, and says so when there are none', async () => {
    const test = await startTestSandbox({ seed: 'demo' })
    const options = {
      tokens: {
        cloud: {
          armEndpoint: test.sandbox.armEndpoint,
          armAudience: 'https://management.azure.com',
        },
        credential: (accountId: string) => test.credential(accountId),
      },
      tlsCa: test.sandbox.caCert,
      retryOptions: { maxRetries: 0 },
    }
    const scope = {
      accountId: 'ada@contoso.example',
      subscriptionId: test.sandbox.subscriptionId,
      resourceGroup: 'rg-team-pool',
    }
    const costs = new CostQueryClient(options)
    const online = await costs.monthToDate(scope)
    // Tokens are in hand; then the network goes away.
    const never = new CostQueryClient(options)
    await never.monthToDate({ ...scope, resourceGroup: 'rg-gpu-pool' })
    await test.close()

    const offline = await costs.monthToDate(scope, { refresh: true })
    expect(offline).toMatchObject({ offline: true, fromCache: true })
    expect(offline.monthToDate).toBeCloseTo(online.monthToDate, 6)
    await expect(never.monthToDate(scope)).rejects.toMatchObject({
      code: 'Offline',
      message: expect.stringContaining('no saved cost figures'),
    })
  })
})
