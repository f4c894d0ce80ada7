import { ComputeManagementClient } from '@azure/arm-compute'
import { SubscriptionClient } from '@azure/arm-resources-subscriptions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

describe('test harness credential', () => {
  let t: TestSandbox
  beforeAll(async () => {
    t = await startTestSandbox()
  })
  afterAll(() => t.close())

  it('signs ada in through MSAL and lists her subscriptions in the home tenant', async () => {
    const client = new SubscriptionClient(t.credential(), {
      endpoint: t.sandbox.armEndpoint,
      tlsOptions: { ca: t.sandbox.caCert },
    })
    const names: string[] = []
    for await (const s of client.subscriptions.list()) names.push(s.displayName!)
    expect(names.sort()).toEqual(['Contoso Data Science', 'Contoso Dev/Test'])
  })

  it('works with ComputeManagementClient against the sandbox endpoint', async () => {
    const client = new ComputeManagementClient(t.credential(), t.sandbox.subscriptionId, {
      endpoint: t.sandbox.armEndpoint,
      tlsOptions: { ca: t.sandbox.caCert },
    })
    // Whether or not the compute provider is installed, the request must get past authentication.
    const result = await client.virtualMachineScaleSets
      .listAll()
      .next()
      .then(
        () => 'ok',
        (error: { statusCode?: number }) => error.statusCode,
      )
    expect(result === 'ok' || result === 404).toBe(true)
  })
})
