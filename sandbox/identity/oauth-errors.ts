import { randomUUID } from 'node:crypto'
import type { SandboxReply } from '../core/http'

/**
 * An OAuth error answered as Entra answers it: `error`, an AADSTS-prefixed
 * `error_description` with trace and correlation ids, `error_codes`, and a timestamp.
 */
export function oauthError(
  error: string,
  aadsts: number,
  description: string,
  options: { status?: number; correlationId?: string; suberror?: string } = {},
): SandboxReply {
  const traceId = randomUUID()
  const correlationId = options.correlationId ?? randomUUID()
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
  return {
    status: options.status ?? 400,
    headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      ...(options.suberror ? { suberror: options.suberror } : {}),
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
  }
}

export const unknownClient = (clientId: string, tenantName: string) =>
  oauthError(
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  )

export const unknownTenant = (segment: string) =>
  oauthError(
    'invalid_tenant',
    90002,
    `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  )
