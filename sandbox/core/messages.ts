import type { IncomingHttpHeaders } from 'node:http'

/** Which front door of the sandbox a route belongs to; decides authentication and headers. */
export type Service = 'arm' | 'identity' | 'files' | 'prices' | 'sandbox' | 'graph'

/** Who called: set by the service's authentication before the handler runs. */
export interface Principal {
  /** Object id of the user (or the client for app-only tokens). */
  oid: string
  tenantId: string
  username: string
  /** Audience the token was issued for. */
  audience: string
  /** Raw scope string ("user_impersonation" etc.). */
  scopes: string[]
}

export interface SandboxRequest {
  method: string
  url: URL
  /** Decoded path, without the query. */
  path: string
  /** Values of the `{name}` segments of the matched route pattern. */
  params: Record<string, string>
  headers: IncomingHttpHeaders
  body: Buffer
  principal?: Principal
  /** Case-insensitive query parameter lookup (ARM treats `api-version` and `$expand` so). */
  query(name: string): string | undefined
  /**
   * The body parsed as ARM parses it (Json.NET): comments, unquoted keys, single quotes and
   * trailing commas are accepted, as the Azure CLI relies on; an ARM-style 400 otherwise.
   */
  json<T = unknown>(): T
  header(name: string): string | undefined
}

export interface SandboxReply {
  status: number
  headers?: Record<string, string | number>
  /** Objects are sent as JSON; Buffers and strings as they are. */
  body?: unknown
}
