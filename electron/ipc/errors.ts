import { AppError, type AppErrorShape, type ErrorCode } from '../../shared/errors'
import { azureErrorWords, wordsFor } from '../azure/error-words'

/*
 * Turns anything a service throws into the closed set of error codes (DESIGN.md decision 1).
 * What crosses is a code the UI can act on and a message a person can act on: never a stack,
 * never the text of an arbitrary exception (it may hold paths or tokens).
 */

const messages: Record<ErrorCode, string> = {
  AuthRequired: 'Your sign-in has expired. Sign in again to continue.',
  Validation: 'The request was not valid.',
  Throttled: 'Azure is limiting requests right now. Try again shortly.',
  QuotaExceeded: 'Your subscription does not have enough quota for this.',
  Conflict: 'Someone changed this at the same time. Refresh and try again.',
  NotFound: 'It no longer exists in Azure.',
  Forbidden: 'Your account does not have permission for this.',
  Transient: 'Azure had a temporary problem. Try again.',
  Offline: 'Azure cannot be reached. Check your network connection.',
  Cancelled: 'Cancelled.',
  Unknown: 'Something went wrong. Try again; if it keeps happening, restart the app.',
}

const offlineCodes = new Set([
  'ENOTFOUND',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
])
const transientCodes = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
])

interface ErrorLike {
  name?: unknown
  code?: unknown
  errorCode?: unknown
  statusCode?: unknown
  message?: unknown
  cause?: unknown
  response?: { headers?: { get?: (name: string) => string | undefined } }
}

export function toAppError(error: unknown): AppErrorShape {
  if (error instanceof AppError) return error.toJSON()
  if (!error || typeof error !== 'object') return fromCode('Unknown')
  const e = error as ErrorLike

  if (e.name === 'AbortError') return fromCode('Cancelled')
  if (e.name === 'InteractionRequiredAuthError') return fromCode('AuthRequired')
  if (e.name === 'RestError') return fromRestError(e)
  // MSAL's errors carry Entra's OAuth code (invalid_grant, consent_required ...).
  if (typeof e.errorCode === 'string' && Object.hasOwn(azureErrorWords, e.errorCode)) {
    const words = azureErrorWords[e.errorCode]!
    return { code: words.code, message: words.words }
  }

  const systemCode = systemErrorCode(e)
  if (systemCode && offlineCodes.has(systemCode)) return fromCode('Offline')
  if (systemCode && transientCodes.has(systemCode)) return fromCode('Transient')
  return fromCode('Unknown')
}

function fromRestError(e: ErrorLike): AppErrorShape {
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined
  const azureCode =
    typeof e.code === 'string' && /^[A-Za-z_][\w]*$/.test(e.code) ? e.code : undefined
  const azureMessage = typeof e.message === 'string' ? safeAzureMessage(e.message) : undefined
  const details: Record<string, unknown> = {}
  if (azureCode) details.azureCode = azureCode
  if (status !== undefined) details.statusCode = status

  if (status === undefined) {
    const systemCode = systemErrorCode(e)
    if (systemCode && offlineCodes.has(systemCode)) return { ...fromCode('Offline'), details }
    if (systemCode && transientCodes.has(systemCode)) return { ...fromCode('Transient'), details }
    return { ...fromCode('Unknown'), details }
  }
  const known = isQuotaError(azureCode, azureMessage)
    ? wordsFor('QuotaExceeded', status)
    : undefined
  const words = known ?? wordsFor(azureCode, status)
  if (words.code === 'Throttled') {
    const retryAfter = retryAfterSeconds(e)
    if (retryAfter !== undefined) details.retryAfter = retryAfter
  }
  // Azure's own text only where it names the value, limit or policy, and only when it is
  // Azure's (an error body with a code), never the SDK's.
  const quoted =
    words.quote && azureCode && azureMessage ? ` Azure’s message: “${azureMessage}”` : ''
  return { code: words.code, message: `${words.words}${quoted}`, details }
}

function fromCode(code: ErrorCode): AppErrorShape {
  return { code, message: messages[code] }
}

function isQuotaError(azureCode: string | undefined, message: string | undefined): boolean {
  if (azureCode === 'QuotaExceeded') return true
  return azureCode === 'OperationNotAllowed' && !!message && /quota/i.test(message)
}

function systemErrorCode(e: ErrorLike, depth = 0): string | undefined {
  if (typeof e.code === 'string' && /^E[A-Z]+$|^UND_ERR_/.test(e.code)) return e.code
  if (depth < 3 && e.cause && typeof e.cause === 'object')
    return systemErrorCode(e.cause as ErrorLike, depth + 1)
  return undefined
}

function retryAfterSeconds(e: ErrorLike): number | undefined {
  const header = e.response?.headers?.get?.('retry-after')
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

/** Azure's message, shortened, with anything that looks like a credential removed. */
function safeAzureMessage(message: string): string {
  return message
    .replace(/Bearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/([?&](?:sig|se|sv|sp|skoid|code|token|access_token)=)[^&\s"']+/gi, '$1[redacted]')
    .replace(/AccountKey=[^;\s"']+/gi, 'AccountKey=[redacted]')
    .slice(0, 1000)
}

/** For the local log: the error's kind and message, which stays on this machine. */
export function describeForLog(cause: unknown): string {
  if (cause instanceof Error)
    return `${cause.name}: ${cause.message.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]').slice(0, 300)}`
  return typeof cause
}
