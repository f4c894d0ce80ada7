import { ResourceManagementClient } from '@azure/arm-resources'
import type { TokenCredential } from '@azure/core-auth'
import type { TestSandbox } from '../harness'

/** @azure/arm-resources pointed at the sandbox, as the app configures it. */
export function resourcesClient(
  test: TestSandbox,
  credential: TokenCredential,
  subscriptionId = test.sandbox.subscriptionId,
) {
  return new ResourceManagementClient(credential, subscriptionId, {
    endpoint: test.sandbox.armEndpoint,
    tlsOptions: { ca: test.sandbox.caCert },
  })
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
