import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { checkApiVersion } from './api-versions'
import { ArmError } from './arm-error'
import type { InternalRequest, SandboxContext } from './context'
import type { Faults } from './faults'
import {
  createRequest,
  type Principal,
  type Route,
  type SandboxReply,
  type SandboxRequest,
  type Service,
} from './http'
import { RateLimiter } from './rate-limit'
import type { RouteMatch, Router } from './router'
import type { SandboxCertificate } from './tls'
import { subscriptions } from '../seed/directory'
import { actionOf, isAllowed } from '../arm/authorization/access'
import { graphAudiences } from '../graph'
import { graphErrorBody } from '../graph/errors'
import { oauthError } from '../identity/oauth-errors'
import { regions } from '../seed/vm-sizes'

const maxBodyBytes = 64 * 1024 * 1024
const identitySegments = new Set(['v2.0', 'oauth2', 'discovery', '.well-known', 'reprocess'])

/** Audiences ARM accepts, as Azure does (with and without the trailing slash). */
export const armAudiences = [
  'https://management.azure.com',
  'https://management.azure.com/',
  'https://management.core.windows.net',
  'https://management.core.windows.net/',
]

/**
 * All services share one port. The storage SDK uses path-style URLs for IP hosts, so
 * Azure Files is addressed as 127.0.0.1; everything else is addressed as localhost and
 * told apart by path, the way Entra, ARM and the Retail Prices API lay out their URLs.
 */
export function classify(host: string, path: string): Service {
  if (host.startsWith('127.0.0.1')) return 'files'
  if (/^\/api\/retail\/prices/i.test(path)) return 'prices'
  if (path.startsWith('/_sandbox')) return 'sandbox'
  if (/^\/metadata\/identity\//i.test(path)) return 'identity'
  const [first, second] = path.split('/').filter(Boolean)
  // Microsoft Graph (graph.microsoft.com/v1.0/...) shares the host here.
  if (first && /^(v1\.0|beta)$/i.test(first)) return 'graph'
  if (second && identitySegments.has(second.toLowerCase())) return 'identity'
  if (first?.toLowerCase() === 'common' && second?.toLowerCase() === 'discovery') return 'identity'
  return 'arm'
}

export function createSandboxServer(
  ctx: SandboxContext,
  router: Router,
  certificate: SandboxCertificate,
): Server {
  const limiter = new RateLimiter()
  const server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    void handle(ctx, router, limiter, req, res)
  })
  server.keepAliveTimeout = 5_000
  return server
}

async function handle(
  ctx: SandboxContext,
  router: Router,
  limiter: RateLimiter,
  incoming: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID()
  const host = incoming.headers.host ?? 'localhost'
  // A request target starting with '//' is a path (ARM accepts '//subscriptions/...'), not a host.
  const url = new URL((incoming.url ?? '/').replace(/^\/{2,}/, '/'), `https://${host}`)
  const service = classify(host, url.pathname)
  const method = (incoming.method ?? 'GET').toUpperCase()
  const baseHeaders: Record<string, string | number> = { 'x-ms-request-id': requestId }
  if (service === 'arm') {
    baseHeaders['x-ms-correlation-request-id'] =
      (incoming.headers['x-ms-correlation-request-id'] as string | undefined) ?? randomUUID()
    baseHeaders['x-ms-routing-request-id'] =
      `SANDBOX:${new Date().toISOString().replace(/[-:.]/g, '')}:${requestId}`
  }
  try {
    const body = await readBody(incoming)
    const req = createRequest({ method, url, headers: incoming.headers, body })

    ctx.requests?.seen({ service, method, path: req.path, request: req })
    const fault = ctx.faults.takeRequestFault(service, method, req.path)
    if (fault?.kind === 'reset') {
      incoming.socket.destroy()
      return
    }
    if (fault?.kind === 'latency' && !(await answeredLater(res, fault.ms, ctx.faults))) return
    if (fault?.kind === 'throttle' && service === 'files') {
      // Azure Storage throttles with 503 Server Busy (no 429, no Retry-After); its SDK
      // retries that with back-off.
      throw new ArmError(503, 'ServerBusy', 'Operations per second is over the account limit.')
    }
    if (fault?.kind === 'throttle') {
      throw new ArmError(
        429,
        'TooManyRequests',
        'The request was throttled. Retry after the time in the Retry-After header.',
        {
          headers: {
            'Retry-After': String(fault.retryAfterSeconds),
            'x-ms-ratelimit-remaining-subscription-reads': '0',
            'x-ms-ratelimit-remaining-subscription-writes': '0',
          },
        },
      )
    }
    if (fault?.kind === 'status') {
      throw new ArmError(
        fault.status,
        fault.status === 503 ? 'ServiceUnavailable' : 'InternalServerError',
        'The service is temporarily unavailable. Please retry.',
      )
    }

    const match = route(router, service, req)

    if (service === 'graph') {
      const principal = ctx.tokens.verify(req, graphAudiences)
      if (principal instanceof ArmError)
        throw new ArmError(401, 'InvalidAuthenticationToken', graphAuthMessage(principal))
      req.principal = principal
    }

    if (service === 'arm') {
      if (!req.query('api-version')) {
        throw new ArmError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        )
      }
      if (match.route.anonymous) {
        checkVersionOf(req)
        send(res, service, await match.route.handler(req, ctx), baseHeaders)
        return
      }
      const principal = ctx.tokens.verify(req, armAudiences)
      if (principal instanceof ArmError) throw principal
      req.principal = principal
      const access = accessOf(match.route, method)
      const subscriptionId = subscriptionOf(req.path)
      if (subscriptionId) {
        authorize(ctx, principal, subscriptionId, access, req)
        const kind = access === 'read' ? 'reads' : 'writes'
        const budget = limiter.take(principal.oid, subscriptionId, kind)
        baseHeaders['x-ms-ratelimit-remaining-subscription-reads'] =
          kind === 'reads' ? budget.remaining : limiter.peek(principal.oid, subscriptionId, 'reads')
        baseHeaders['x-ms-ratelimit-remaining-subscription-writes'] =
          kind === 'writes'
            ? budget.remaining
            : limiter.peek(principal.oid, subscriptionId, 'writes')
        if (!budget.allowed) {
          throw new ArmError(
            429,
            'TooManyRequests',
            `Number of ${access} requests for subscription '${subscriptionId}' exceeded the limit. Please try again after '${budget.retryAfterSeconds}' seconds.`,
            {
              headers: { 'Retry-After': String(budget.retryAfterSeconds) },
            },
          )
        }
      } else {
        baseHeaders['x-ms-ratelimit-remaining-tenant-reads'] = limiter.take(
          principal.oid,
          'tenant',
          'reads',
        ).remaining
      }
      checkVersionOf(req)
    }

    const reply = await match.route.handler(req, ctx)
    send(res, service, reply, baseHeaders)
  } catch (error) {
    if (res.headersSent || incoming.socket.destroyed) return
    const armError =
      error instanceof ArmError
        ? error
        : new ArmError(
            500,
            'InternalServerError',
            `The sandbox failed to handle the request: ${(error as Error).message}`,
          )
    if (!(error instanceof ArmError)) console.error('[sandbox]', error)
    send(res, service, errorReply(service, armError, requestId), baseHeaders)
  }
}

function route(router: Router, service: Service, req: SandboxRequest): RouteMatch {
  const { match, pathKnown } = router.match(service, req.method, req.path)
  if (!match) {
    if (pathKnown)
      throw new ArmError(
        405,
        'MethodNotAllowed',
        `The requested method '${req.method}' is not allowed for '${req.path}'.`,
      )
    throw new ArmError(
      404,
      service === 'arm' ? 'InvalidResourceType' : 'NotFound',
      `The sandbox does not emulate '${req.method} ${req.path}'.`,
    )
  }
  req.params = match.params
  return match
}

/** Azure's answer to an api-version the addressed resource type does not have. */
function checkVersionOf(req: SandboxRequest): void {
  const body = req.method === 'PUT' ? bodyLocation(req) : undefined
  checkApiVersion(req.path, req.query('api-version')!, {
    ...(body ? { location: body } : {}),
    locations: regions.map((r) => r.displayName),
  })
}

function bodyLocation(req: SandboxRequest): string | undefined {
  try {
    const location = (req.json<{ location?: unknown } | undefined>() ?? {}).location
    return typeof location === 'string' ? location : undefined
  } catch {
    return undefined
  }
}

const accessOf = (route: Route, method: string) =>
  route.access ?? (method === 'GET' || method === 'HEAD' ? 'read' : 'write')
const subscriptionOf = (path: string) => /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]

/** ARM requests made by the sandbox itself (see SandboxContext.dispatch). */
export async function dispatchInternal(
  ctx: SandboxContext,
  router: Router,
  request: InternalRequest,
): Promise<SandboxReply> {
  const url = new URL(request.path, ctx.endpoints.armEndpoint || 'https://localhost')
  const body =
    request.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(request.body))
  const req = createRequest({
    method: request.method.toUpperCase(),
    url,
    headers: { 'content-type': 'application/json' },
    body,
  })
  req.principal = request.principal
  try {
    const match = route(router, 'arm', req)
    const subscriptionId = subscriptionOf(req.path)
    if (subscriptionId)
      authorize(ctx, request.principal, subscriptionId, accessOf(match.route, req.method), req)
    if (req.query('api-version') !== undefined) checkVersionOf(req)
    return await match.route.handler(req, ctx)
  } catch (error) {
    if (error instanceof ArmError) return errorReply('arm', error)
    return errorReply('arm', new ArmError(500, 'InternalServerError', (error as Error).message))
  }
}

/** Azure's rule: the roles assigned at the path or above it must allow the request's action. */
function authorize(
  ctx: SandboxContext,
  principal: Principal,
  subscriptionId: string,
  access: 'read' | 'write',
  req: SandboxRequest,
): void {
  const subscription = subscriptions.find(
    (s) => s.id.toLowerCase() === subscriptionId.toLowerCase(),
  )
  if (!subscription) {
    throw new ArmError(
      404,
      'SubscriptionNotFound',
      `The subscription '${subscriptionId}' could not be found.`,
    )
  }
  const action = actionOf(req.path, req.method, access)
  if (!isAllowed(ctx.state, principal.oid, req.path, action)) {
    throw new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${principal.username}' with object id '${principal.oid}' does not have authorization to perform action '${action}' over scope '${req.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    )
  }
}

/** Graph words a refused token its own way. */
function graphAuthMessage(error: ArmError): string {
  if (error.code === 'AuthenticationFailed') return 'Access token is empty.'
  if (error.code === 'ExpiredAuthenticationToken')
    return 'Lifetime validation failed, the token is expired.'
  if (error.code === 'InvalidAuthenticationTokenAudience') return 'Invalid audience.'
  return 'Access token validation failure.'
}

export function errorReply(service: Service, error: ArmError, requestId = ''): SandboxReply {
  const headers = error.extra.headers ?? {}
  if (service === 'identity' && (error.status === 429 || error.status >= 500)) {
    // Entra's token endpoint answers in OAuth's form, not ARM's: a JSON document with
    // `error` and an AADSTS description (TenantThrottlingError, a transient error).
    const busy = oauthError(
      'temporarily_unavailable',
      error.status === 429 ? 90055 : 90033,
      error.status === 429
        ? 'TenantThrottlingError - There are too many incoming requests. Try again later.'
        : 'A transient error has occurred. Please try again.',
      { status: error.status },
    )
    const retryAfter = headers['Retry-After']
    return {
      ...busy,
      headers: { ...busy.headers, ...(retryAfter ? { 'Retry-After': retryAfter } : {}) },
    }
  }
  if (service === 'graph') {
    return {
      status: error.status,
      headers,
      body: graphErrorBody(error.code, error.message, requestId),
    }
  }
  if (service === 'files') {
    const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}\nRequestId:sandbox\nTime:${new Date().toISOString()}</Message></Error>`
    return {
      status: error.status,
      headers: { 'Content-Type': 'application/xml', 'x-ms-error-code': error.code, ...headers },
      body: xml,
    }
  }
  return {
    status: error.status,
    headers: { 'x-ms-failure-cause': 'gateway', ...headers },
    body: error.body(),
  }
}

function send(
  res: ServerResponse,
  service: Service,
  reply: SandboxReply,
  baseHeaders: Record<string, string | number>,
): void {
  const headers: Record<string, string | number> = {
    ...baseHeaders,
    Date: new Date().toUTCString(),
    ...reply.headers,
  }
  let payload: Buffer | undefined
  if (Buffer.isBuffer(reply.body)) payload = reply.body
  else if (typeof reply.body === 'string') payload = Buffer.from(reply.body)
  else if (reply.body !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.body))
    if (!hasHeader(headers, 'content-type'))
      headers['Content-Type'] = 'application/json; charset=utf-8'
  }
  if (service === 'arm' && !hasHeader(headers, 'cache-control'))
    headers['Cache-Control'] = 'no-cache'
  if (payload && !hasHeader(headers, 'content-length')) headers['Content-Length'] = payload.length
  if (!payload && !hasHeader(headers, 'content-length') && reply.status !== 304)
    headers['Content-Length'] = 0
  res.writeHead(reply.status, headers)
  res.end(payload)
}

const hasHeader = (headers: Record<string, unknown>, name: string) =>
  Object.keys(headers).some((k) => k.toLowerCase() === name)

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  )

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        reject(new ArmError(413, 'RequestBodyTooLarge', 'The request body is too large.'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * Waits `ms` (or until the faults are cleared) before the request is answered. A client that
 * gives up meanwhile (an aborted request closes its connection) is not answered at all, and
 * its wait ends at once: slow requests the app cancelled do not hold the sandbox open.
 * False when the client is gone.
 */
function answeredLater(res: ServerResponse, ms: number, faults: Faults): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false)
  return new Promise((resolve) => {
    const end = (answer: boolean) => {
      clearTimeout(timer)
      res.off('close', onClose)
      stopListening()
      resolve(answer)
    }
    const onClose = () => end(false)
    const timer = setTimeout(() => end(true), ms)
    const stopListening = faults.onClear(() => end(true))
    res.once('close', onClose)
  })
}
