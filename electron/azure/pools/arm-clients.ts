import { ComputeManagementClient } from '@azure/arm-compute'
import { MonitorClient } from '@azure/arm-monitor'
import { NetworkManagementClient } from '@azure/arm-network'
import { ResourceManagementClient } from '@azure/arm-resources'
import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import { armClient, armClientOptions, type ArmContext } from '../arm-context'

/**
 * The SDK clients the pool services use for one subscription, with a pipeline policy that
 * sees every request leave and every answer come back: it counts requests (for the
 * benchmark) and reads ARM's throttling headers (x-ms-ratelimit-remaining-subscription-reads,
 * Retry-After) so the poller can slow down before Azure refuses it.
 */

export interface ArmResponseInfo {
  subscriptionId: string
  method: string
  url: string
  status: number
  remainingReads?: number
  /** Seconds from Retry-After, on 429 (and 503) answers. */
  retryAfterSeconds?: number
}

export type ArmResponseListener = (info: ArmResponseInfo) => void

export interface PoolClients {
  subscriptionId: string
  compute: ComputeManagementClient
  network: NetworkManagementClient
  monitor: MonitorClient
  resources: ResourceManagementClient
}

export interface PoolClientOptions {
  onResponse?: ArmResponseListener
  /** Called as each request leaves (before the answer): method and URL. */
  onRequest?: (request: { method: string; url: string }) => void
  /**
   * Retries inside the SDK. The poller uses 0 so that a 429 reaches it (and it waits as long
   * as Azure asks) instead of the SDK retrying out of sight; actions keep the SDK's default.
   */
  maxRetries?: number
}

export function meterPolicy(
  subscriptionId: string,
  listener: ArmResponseListener,
  onRequest?: PoolClientOptions['onRequest'],
): PipelinePolicy {
  return {
    name: 'dsvmPoolRequestMeter',
    async sendRequest(request, next) {
      onRequest?.({ method: request.method, url: request.url })
      const response = await next(request)
      const remaining = Number(response.headers.get('x-ms-ratelimit-remaining-subscription-reads'))
      const retryAfter = Number(response.headers.get('retry-after'))
      listener({
        subscriptionId,
        method: request.method,
        url: request.url,
        status: response.status,
        ...(Number.isFinite(remaining) &&
        response.headers.has('x-ms-ratelimit-remaining-subscription-reads')
          ? { remainingReads: remaining }
          : {}),
        ...(response.headers.has('retry-after') && Number.isFinite(retryAfter)
          ? { retryAfterSeconds: retryAfter }
          : {}),
      })
      return response
    },
  }
}

export function poolClients(context: ArmContext, options: PoolClientOptions = {}): PoolClients {
  const base = armClientOptions(context)
  const clientOptions = {
    ...base,
    ...(options.onResponse
      ? {
          additionalPolicies: [
            {
              policy: meterPolicy(context.subscriptionId, options.onResponse, options.onRequest),
              position: 'perRetry' as const,
            },
          ],
        }
      : {}),
    ...(options.maxRetries !== undefined
      ? { retryOptions: { maxRetries: options.maxRetries } }
      : {}),
  }
  const { credential, subscriptionId } = context
  return {
    subscriptionId,
    compute: armClient(
      context,
      new ComputeManagementClient(credential, subscriptionId, clientOptions),
    ),
    network: armClient(
      context,
      new NetworkManagementClient(credential, subscriptionId, clientOptions),
    ),
    monitor: armClient(context, new MonitorClient(credential, subscriptionId, clientOptions)),
    resources: armClient(
      context,
      new ResourceManagementClient(credential, subscriptionId, clientOptions),
    ),
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
