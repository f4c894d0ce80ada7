import type { IncomingHttpHeaders } from 'node:http'
import JSON5 from 'json5'
import { ArmError } from './arm-error'
import type { SandboxContext } from './context'
import type { Principal, SandboxReply, SandboxRequest, Service } from './messages'

export type { Principal, SandboxReply, SandboxRequest, Service }

export type Handler = (
  req: SandboxRequest,
  ctx: SandboxContext,
) => SandboxReply | Promise<SandboxReply>

export interface Route {
  service: Service
  method: string
  /**
   * Path pattern: literal segments match case-insensitively (as ARM paths do),
   * `{name}` matches one segment, a final `{*name}` matches the rest (may be empty).
   */
  pattern: string
  handler: Handler
  /**
   * ARM only: what the caller's role on the subscription in the path must allow. Defaults
   * to 'read' for GET/HEAD and 'write' otherwise; POST calls that only read (validate,
   * what-if, cost queries) say 'read'.
   */
  access?: 'read' | 'write'
  /** ARM only: answered without a token (GET /metadata/endpoints, as in Azure). */
  anonymous?: boolean
}

export const ok = (body: unknown, headers?: Record<string, string | number>): SandboxReply => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
})

export function createRequest(init: {
  method: string
  url: URL
  headers: IncomingHttpHeaders
  body: Buffer
}): SandboxRequest {
  const queryLower = new Map<string, string>()
  for (const [key, value] of init.url.searchParams) queryLower.set(key.toLowerCase(), value)
  let parsed: unknown
  let parsedOnce = false
  return {
    method: init.method,
    url: init.url,
    path: decodeURIComponent(init.url.pathname),
    params: {},
    headers: init.headers,
    body: init.body,
    query: (name) => queryLower.get(name.toLowerCase()),
    header: (name) => {
      const value = init.headers[name.toLowerCase()]
      return Array.isArray(value) ? value[0] : value
    },
    json<T>() {
      if (!parsedOnce) {
        parsedOnce = true
        if (init.body.length === 0) {
          parsed = undefined
        } else {
          try {
            parsed = parseArmJson(init.body.toString('utf8'))
          } catch (error) {
            throw new ArmError(
              400,
              'InvalidRequestContent',
              `The request content was invalid and could not be deserialized: '${(error as Error).message}'.`,
            )
          }
        }
      }
      return parsed as T
    },
  }
}

/** The request body as an object; 400 when it is missing or not an object. */
export function bodyObject(req: SandboxRequest): Record<string, unknown> {
  const body = req.json<unknown>()
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized.',
    )
  }
  return body as Record<string, unknown>
}

/** JSON as Azure Resource Manager reads request bodies; a byte-order mark is skipped. */
export function parseArmJson(text: string): unknown {
  const body = text.replace(/^\uFEFF/, '')
  try {
    return JSON.parse(body) as unknown
  } catch {
    // Strict JSON is the common case and parses fastest; JSON5 covers what Json.NET adds.
    return JSON5.parse(body) as unknown
  }
}
