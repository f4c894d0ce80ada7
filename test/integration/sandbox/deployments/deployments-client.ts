import { createRestError, getClient, type PathUncheckedResponse } from '@azure-rest/core-client'
import type { TokenCredential } from '@azure/core-auth'
import { createHttpPoller, type OperationResponse, type OperationState } from '@azure/core-lro'
import type { TestSandbox } from '../harness'

/**
 * The Deployments API as @azure/arm-resourcesdeployments calls it (same paths, api-version
 * 2026-06-01, same long-running operation settings), built from the Azure SDK's own
 * @azure-rest/core-client and @azure/core-lro. @azure/arm-resources 8 no longer carries
 * deployments and the separate package is not a dependency of the project yet.
 */
export const deploymentsApiVersion = '2026-06-01'

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
  properties: {
    changes: Array<{
      resourceId: string
      changeType: string
      before?: Record<string, unknown>
      after?: Record<string, unknown>
      delta?: Array<{ path: string; propertyChangeType: string; before?: unknown; after?: unknown }>
    }>
  }
}

export function deploymentsClient(
  test: TestSandbox,
  credential: TokenCredential,
  subscriptionId = test.sandbox.subscriptionId,
) {
  const client = getClient(test.sandbox.armEndpoint, credential, {
    credentials: { scopes: ['https://management.azure.com/.default'] },
    tlsOptions: { ca: test.sandbox.caCert },
  })
  const query = { 'api-version': deploymentsApiVersion }
  const path = (group: string, name = '', action = '') =>
    `/subscriptions/${subscriptionId}/resourcegroups/${group}/providers/Microsoft.Resources/deployments${name ? `/${name}` : ''}${action ? `/${action}` : ''}`

  const expect = (response: PathUncheckedResponse, statuses: string[]) => {
    if (!statuses.includes(response.status)) throw createRestError(response)
    return response
  }

  function poll<T>(initial: () => PromiseLike<PathUncheckedResponse>, statuses: string[]) {
    const toLro = (response: PathUncheckedResponse): OperationResponse<unknown> => {
      expect(response, statuses)
      return {
        flatResponse: response,
        rawResponse: { ...response, statusCode: Number(response.status), body: response.body },
      }
    }
    return createHttpPoller<T, OperationState<T>>(
      {
        sendInitialRequest: async () => toLro(await initial()),
        sendPollRequest: async (url) => {
          const withVersion = url.includes('api-version')
            ? url
            : `${url}${url.includes('?') ? '&' : '?'}api-version=${deploymentsApiVersion}`
          return toLro(await client.pathUnchecked(withVersion).get())
        },
      },
      {
        intervalInMs: 10,
        resourceLocationConfig: 'location',
        processResult: async (result) => (result as PathUncheckedResponse).body as T,
      },
    )
  }

  async function* pages<T>(first: string): AsyncGenerator<T> {
    let response = expect(await client.pathUnchecked(first).get({ queryParameters: query }), [
      '200',
    ])
    for (;;) {
      const body = response.body as { value: T[]; nextLink?: string }
      yield* body.value
      if (!body.nextLink) return
      response = expect(await client.pathUnchecked(body.nextLink).get(), ['200'])
    }
  }

  return {
    createOrUpdate: (group: string, name: string, body: DeploymentBody) =>
      poll<Deployment>(
        () => client.pathUnchecked(path(group, name)).put({ body, queryParameters: query }),
        ['200', '201', '202'],
      ),
    async beginCreateOrUpdateAndWait(
      group: string,
      name: string,
      body: DeploymentBody,
    ): Promise<Deployment> {
      return this.createOrUpdate(group, name, body).pollUntilDone()
    },
    /** Like the SDK: a 400 with an error body is a result (with `error`), not an exception. */
    beginValidateAndWait: (group: string, name: string, body: DeploymentBody) =>
      poll<Deployment & { error?: { code: string; message: string } }>(
        () =>
          client
            .pathUnchecked(path(group, name, 'validate'))
            .post({ body, queryParameters: query }),
        ['200', '202', '400', '201'],
      ).pollUntilDone(),
    beginWhatIfAndWait: (group: string, name: string, body: DeploymentBody) =>
      poll<WhatIfResult>(
        () =>
          client.pathUnchecked(path(group, name, 'whatIf')).post({ body, queryParameters: query }),
        ['200', '202', '201'],
      ).pollUntilDone(),
    async get(group: string, name: string): Promise<Deployment> {
      return expect(await client.pathUnchecked(path(group, name)).get({ queryParameters: query }), [
        '200',
      ]).body as Deployment
    },
    async cancel(group: string, name: string): Promise<void> {
      expect(
        await client.pathUnchecked(path(group, name, 'cancel')).post({ queryParameters: query }),
        ['204'],
      )
    },
    beginDeleteAndWait: (group: string, name: string) =>
      poll<void>(
        () => client.pathUnchecked(path(group, name)).delete({ queryParameters: query }),
        ['202', '204', '200'],
      ).pollUntilDone(),
    listByResourceGroup: (group: string) => pages<Deployment>(path(group)),
    listOperations: (group: string, name: string) =>
      pages<DeploymentOperation>(path(group, name, 'operations')),
  }
}
