import type { TokenCredential } from '@azure/core-auth'
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  exponentialRetryPolicy,
  type HttpClient,
  type Pipeline,
  type PipelineResponse,
} from '@azure/core-rest-pipeline'
import type { Cloud } from '../../../shared/clouds'
import { AppError } from '../../../shared/errors'
import { isNetworkError } from '../auth/errors'
import { renewingBearerTokenPolicy } from '../auth/token-renewal'
import {
  costManagementApiVersion,
  costRows,
  monthToDateByService,
  type CostRow,
  type QueryTable,
} from './query'
import { spendOf, type PoolSpend } from './spend'

/** What the cost client needs from sign-in (AuthService provides it). */
export interface CostTokens {
  readonly cloud: Pick<Cloud, 'armEndpoint' | 'armAudience'>
  credential(accountId: string, tenantId?: string): TokenCredential
}

/** A pool's resource group, and who asks. */
export interface CostScope {
  accountId: string
  tenantId?: string
  subscriptionId: string
  resourceGroup: string
}

export interface CostQueryClientOptions {
  tokens: CostTokens
  /** CA to trust for ARM (the sandbox's certificate). */
  tlsCa?: string | undefined
  /** Retries of server errors and dropped connections (429 is never retried here). */
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number }
  now?: () => number
  /** How requests are sent; default: the Azure SDKs' own client. Tests count requests here. */
  httpClient?: HttpClient
  /** Figures younger than this answer again without a request; default 10 minutes. */
  freshForMs?: number
}

const defaultRetryAfterSeconds = 60
const maxPages = 50

interface Saved {
  rows: CostRow[]
  fetchedAt: number
}

/**
 * Actual spend of a pool's resource group from Cost Management (month to date, daily, by
 * service) with the app's credential, through the same pipeline the Azure SDKs use. Cost
 * Management throttles hard: a 429 is not retried in a loop but honoured, the last figures
 * are shown meanwhile (flagged), and no request is sent again before Retry-After has passed.
 */
export class CostQueryClient {
  private readonly http: HttpClient
  private readonly pipelines = new Map<string, Pipeline>()
  private readonly saved = new Map<string, Saved>()
  private readonly blockedUntil = new Map<string, number>()
  private readonly inFlight = new Map<string, Promise<PoolSpend>>()
  private readonly now: () => number

  constructor(private readonly options: CostQueryClientOptions) {
    this.now = options.now ?? Date.now
    this.http = options.httpClient ?? createDefaultHttpClient()
  }

  /** Month-to-date spend of the scope; `refresh` asks again even if the last figures are recent. */
  monthToDate(scope: CostScope, options: { refresh?: boolean } = {}): Promise<PoolSpend> {
    const key = [scope.accountId, scope.subscriptionId, scope.resourceGroup].join('|').toLowerCase()
    // Two views asking at once (pool detail and its chart) share one query.
    const running = this.inFlight.get(key)
    if (running) return running
    const answer = this.answer(key, scope, options).finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, answer)
    return answer
  }

  private async answer(
    key: string,
    scope: CostScope,
    options: { refresh?: boolean },
  ): Promise<PoolSpend> {
    const now = this.now()
    // Last month's figures are not this month's, even while Azure cannot be asked.
    const saved = sameUtcMonth(this.saved.get(key)?.fetchedAt, now)
      ? this.saved.get(key)
      : undefined
    const fresh = saved && now - saved.fetchedAt < (this.options.freshForMs ?? 10 * 60_000)
    if (saved && fresh && !options.refresh) return this.fromSaved(scope, saved, {})

    const blocked = this.blockedUntil.get(key)
    if (blocked !== undefined && now < blocked) return this.whileThrottled(scope, saved, blocked)

    let rows: CostRow[]
    try {
      rows = await this.query(scope)
    } catch (error) {
      if (error instanceof ThrottledReply) {
        const until = this.now() + error.retryAfterSeconds * 1000
        this.blockedUntil.set(key, until)
        return this.whileThrottled(scope, saved, until)
      }
      if (isNetworkError(error) && saved) return this.fromSaved(scope, saved, { offline: true })
      if (isNetworkError(error)) {
        throw new AppError(
          'Offline',
          'Azure cannot be reached, and there are no saved cost figures for this pool yet. Check your connection and try again.',
        )
      }
      throw error
    }
    this.blockedUntil.delete(key)
    const entry = { rows, fetchedAt: this.now() }
    this.saved.set(key, entry)
    return spendOf(scope, rows, entry.fetchedAt, new Date(entry.fetchedAt).toISOString())
  }

  private fromSaved(
    scope: CostScope,
    saved: Saved,
    flags: Pick<PoolSpend, 'throttled' | 'offline'>,
  ): PoolSpend {
    const spend = spendOf(scope, saved.rows, this.now(), new Date(saved.fetchedAt).toISOString())
    return { ...spend, fromCache: true, ...flags }
  }

  private whileThrottled(scope: CostScope, saved: Saved | undefined, until: number): PoolSpend {
    const retryAfterSeconds = Math.max(1, Math.ceil((until - this.now()) / 1000))
    if (!saved) {
      throw new AppError(
        'Throttled',
        `Cost Management is busy. The pool's spend will load in about ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}.`,
        { retryAfterSeconds },
      )
    }
    return this.fromSaved(scope, saved, {
      throttled: { retryAt: new Date(until).toISOString(), retryAfterSeconds },
    })
  }

  private pipelineFor(scope: CostScope): Pipeline {
    const key = `${scope.accountId}|${scope.tenantId ?? ''}`
    let pipeline = this.pipelines.get(key)
    if (pipeline) return pipeline
    const { tokens, tlsCa, retryOptions } = this.options
    pipeline = createPipelineFromOptions(tlsCa ? { tlsOptions: { ca: tlsCa } } : {})
    // The default retry policy waits out 429s itself; this client honours them instead.
    pipeline.removePolicy({ phase: 'Retry' })
    pipeline.addPolicy(exponentialRetryPolicy(retryOptions), { phase: 'Retry' })
    pipeline.addPolicy(
      renewingBearerTokenPolicy(
        tokens.credential(scope.accountId, scope.tenantId),
        `${tokens.cloud.armAudience}/.default`,
      ),
      { phase: 'Sign' },
    )
    this.pipelines.set(key, pipeline)
    return pipeline
  }

  private async query(scope: CostScope): Promise<CostRow[]> {
    const base = this.options.tokens.cloud.armEndpoint.replace(/\/+$/, '')
    const path =
      `/subscriptions/${encodeURIComponent(scope.subscriptionId)}` +
      `/resourceGroups/${encodeURIComponent(scope.resourceGroup)}` +
      `/providers/Microsoft.CostManagement/query?api-version=${costManagementApiVersion}`
    const origin = new URL(base).origin
    const rows: CostRow[] = []
    let url: string | null = `${base}${path}`
    for (let page = 0; url && page < maxPages; page++) {
      if (new URL(url).origin !== origin)
        throw new AppError(
          'Unknown',
          'Cost Management pointed to another server for its next page.',
        )
      const response = await this.send(scope, url)
      if (response.status === 204) break
      const body = parseBody(response)
      rows.push(...costRows(body.properties))
      url = body.properties.nextLink ?? null
    }
    return rows
  }

  private async send(scope: CostScope, url: string): Promise<PipelineResponse> {
    const request = createPipelineRequest({
      url,
      method: 'POST',
      headers: createHttpHeaders({
        'Content-Type': 'application/json',
        Accept: 'application/json',
      }),
      body: JSON.stringify(monthToDateByService),
    })
    const response = await this.pipelineFor(scope).sendRequest(this.http, request)
    if (response.status === 200 || response.status === 204) return response
    throw replyError(response, scope)
  }
}

function sameUtcMonth(a: number | undefined, b: number): boolean {
  if (a === undefined) return false
  const x = new Date(a)
  const y = new Date(b)
  return x.getUTCFullYear() === y.getUTCFullYear() && x.getUTCMonth() === y.getUTCMonth()
}

class ThrottledReply extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Cost Management throttled the query')
  }
}

/** Seconds to wait: Retry-After, or Cost Management's own retry-after headers. */
function retryAfterSecondsOf(response: PipelineResponse): number {
  const names = [
    'retry-after',
    'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after',
    'x-ms-ratelimit-microsoft.costmanagement-entity-retry-after',
    'x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after',
    'x-ms-ratelimit-microsoft.costmanagement-client-retry-after',
  ]
  const waits = names
    .map((name) => Number(response.headers.get(name)))
    .filter((n) => Number.isFinite(n) && n > 0)
  return waits.length > 0 ? Math.max(...waits) : defaultRetryAfterSeconds
}

function replyError(response: PipelineResponse, scope: CostScope): Error {
  const where = `the pool's resource group ${scope.resourceGroup}`
  switch (response.status) {
    case 429:
      return new ThrottledReply(retryAfterSecondsOf(response))
    case 401:
    case 403:
      return new AppError(
        'Forbidden',
        `You need the Cost Management Reader role on ${where} to see its spend. Ask an owner of the subscription to grant it.`,
        { status: response.status },
      )
    case 404:
      return new AppError(
        'NotFound',
        `Cost Management cannot find ${where}. It may have been deleted.`,
      )
    default: {
      const message = errorMessageOf(response.bodyAsText ?? undefined)
      if (response.status >= 500) {
        return new AppError(
          'Transient',
          'Cost Management is not answering right now. Try again later.',
        )
      }
      return new AppError(
        'Unknown',
        `Cost Management refused the query${message ? `: ${message}` : '.'}`,
        {
          status: response.status,
        },
      )
    }
  }
}

function parseBody(response: PipelineResponse): {
  properties: QueryTable & { nextLink?: string | null }
} {
  let body: unknown
  try {
    body = JSON.parse(response.bodyAsText ?? '')
  } catch {
    throw new AppError('Unknown', 'Cost Management answered with something that is not JSON.')
  }
  const properties = (body as { properties?: unknown })?.properties as
    (QueryTable & { nextLink?: string | null }) | undefined
  if (!properties || !Array.isArray(properties.columns) || !Array.isArray(properties.rows)) {
    throw new AppError('Unknown', 'Cost Management answered in an unexpected shape.')
  }
  return { properties }
}

function errorMessageOf(text: string | undefined): string | undefined {
  try {
    const message = (JSON.parse(text ?? '') as { error?: { message?: unknown } }).error?.message
    return typeof message === 'string' ? message.slice(0, 300) : undefined
  } catch {
    return undefined
  }
}
