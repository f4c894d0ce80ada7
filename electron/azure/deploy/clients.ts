import { ComputeManagementClient } from '@azure/arm-compute'
import { ResourceManagementClient } from '@azure/arm-resources'
import { SubscriptionClient } from '@azure/arm-resources-subscriptions'
import { DeploymentsClient } from '@azure/arm-resourcesdeployments'
import { StorageManagementClient } from '@azure/arm-storage'
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineRequest,
  RestError,
  type HttpClient,
} from '@azure/core-rest-pipeline'
import { armClient, armClientOptions, type ArmContext } from '../arm-context'

/** Poll settings for long-running operations (tests poll fast against the sandbox). */
export interface PollOptions {
  updateIntervalInMs?: number
}

/**
 * The Azure SDK clients the deployment service uses for one subscription, all built from the
 * same ArmContext (cloud endpoint, the account's credential, the sandbox's CA).
 */
export interface ArmClients {
  context: ArmContext
  deployments: DeploymentsClient
  resources: ResourceManagementClient
  compute: ComputeManagementClient
  storage: StorageManagementClient
  subscriptions: SubscriptionClient
  /** A plain ARM request through the SDK's pipeline (token, TLS trust, retries). */
  request<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T>
}

export function armClients(context: ArmContext): ArmClients {
  const options = armClientOptions(context)
  const resources = armClient(
    context,
    new ResourceManagementClient(context.credential, context.subscriptionId, options),
  )
  let http: HttpClient | undefined
  return {
    context,
    deployments: armClient(
      context,
      new DeploymentsClient(context.credential, context.subscriptionId, options),
    ),
    resources,
    compute: armClient(
      context,
      new ComputeManagementClient(context.credential, context.subscriptionId, options),
    ),
    storage: armClient(
      context,
      new StorageManagementClient(context.credential, context.subscriptionId, options),
    ),
    subscriptions: armClient(context, new SubscriptionClient(context.credential, options)),
    async request<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) {
      http ??= createDefaultHttpClient()
      const request = createPipelineRequest({
        url: `${context.cloud.armEndpoint}${path}`,
        method,
        headers: createHttpHeaders({ 'Content-Type': 'application/json' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const response = await resources.pipeline.sendRequest(http, request)
      const parsed = response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined
      if (response.status >= 400) {
        const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error
        throw new RestError(error?.message ?? `Azure answered ${response.status}`, {
          code: error?.code ?? String(response.status),
          statusCode: response.status,
          request,
          response,
        })
      }
      return parsed as T
    },
  }
}
