import {
  DeploymentsClient,
  type Deployment as SdkDeployment,
  type DeploymentWhatIf,
} from '@azure/arm-resourcesdeployments'
import type { TokenCredential } from '@azure/core-auth'
import type { TestSandbox } from '../harness'

/**
 * The Deployments API through the real @azure/arm-resourcesdeployments client (what the app
 * uses; @azure/arm-resources 8 no longer carries deployments), with results typed as the
 * tests read them: the sandbox answers every property these types list.
 */

export interface DeploymentBody {
  properties: {
    mode: 'Incremental' | 'Complete'
    template: unknown
    parameters?: Record<string, { value: unknown }>
  }
}

export interface Deployment {
  id: string
  name: string
  type: string
  properties: {
    provisioningState: string
    templateHash: string
    mode: string
    parameters: Record<string, { type: string; value?: unknown }>
    outputs?: Record<string, { type: string; value?: unknown }>
    outputResources?: Array<{ id: string }>
    dependencies: Array<{ id: string; dependsOn: Array<{ id: string }> }>
    providers: Array<{
      namespace: string
      resourceTypes: Array<{ resourceType: string; locations: string[] }>
    }>
    error?: { code: string; message: string; details?: Array<{ code: string; message: string }> }
    validatedResources?: Array<{ id: string }>
    duration: string
    timestamp: string
    correlationId: string
  }
}

export interface DeploymentOperation {
  id: string
  operationId: string
  properties: {
    provisioningOperation: string
    provisioningState: string
    statusCode?: string
    statusMessage?: { status: string; error: { code: string; message: string } }
    targetResource?: { id: string; resourceType: string; resourceName: string; apiVersion: string }
    duration: string
    timestamp: string
  }
}

export interface WhatIfResult {
  status: string
  /** The SDK lifts `properties.changes` of the wire format to the top. */
  changes: Array<{
    resourceId: string
    changeType: string
    before?: Record<string, unknown>
    after?: Record<string, unknown>
    delta?: Array<{ path: string; propertyChangeType: string; before?: unknown; after?: unknown }>
  }>
}

export function deploymentsClient(
  test: TestSandbox,
  credential: TokenCredential,
  subscriptionId = test.sandbox.subscriptionId,
) {
  const client = new DeploymentsClient(credential, subscriptionId, {
    endpoint: test.sandbox.armEndpoint,
    credentials: { scopes: ['https://management.azure.com/.default'] },
    tlsOptions: { ca: test.sandbox.caCert },
  })
  const poll = { updateIntervalInMs: 10 }
  const { deployments, deploymentOperations } = client
  const asSdk = (body: DeploymentBody) => body as unknown as SdkDeployment

  return {
    createOrUpdate: (group: string, name: string, body: DeploymentBody) =>
      deployments.createOrUpdate(group, name, asSdk(body), poll) as unknown as {
        submitted(): Promise<void>
        pollUntilDone(): Promise<Deployment>
      },
    async beginCreateOrUpdateAndWait(
      group: string,
      name: string,
      body: DeploymentBody,
    ): Promise<Deployment> {
      return (await deployments.beginCreateOrUpdateAndWait(
        group,
        name,
        asSdk(body),
        poll,
      )) as unknown as Deployment
    },
    /** A 400 with an error body is a result (with `error`), not an exception: the SDK's contract. */
    beginValidateAndWait: async (group: string, name: string, body: DeploymentBody) =>
      (await deployments.beginValidateAndWait(
        group,
        name,
        asSdk(body),
        poll,
      )) as unknown as Deployment & { error?: { code: string; message: string } },
    beginWhatIfAndWait: async (group: string, name: string, body: DeploymentBody) =>
      (await deployments.beginWhatIfAndWait(
        group,
        name,
        body as unknown as DeploymentWhatIf,
        poll,
      )) as unknown as WhatIfResult,
    get: async (group: string, name: string) =>
      (await deployments.get(group, name)) as unknown as Deployment,
    cancel: (group: string, name: string) => deployments.cancel(group, name),
    beginDeleteAndWait: (group: string, name: string) =>
      deployments.beginDeleteAndWait(group, name, poll),
    listByResourceGroup: (group: string) =>
      deployments.listByResourceGroup(group) as unknown as AsyncIterableIterator<Deployment>,
    listOperations: (group: string, name: string) =>
      deploymentOperations.list(
        group,
        name,
      ) as AsyncIterable<unknown> as AsyncIterable<DeploymentOperation>,
  }
}
