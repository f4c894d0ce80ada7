import { AppError } from '../../../shared/errors'

interface MsalErrorLike {
  name?: unknown
  errorCode?: unknown
  errorMessage?: unknown
  subError?: unknown
  message?: unknown
}

const cancelCodes = new Set([
  'access_denied',
  'device_code_polling_cancelled',
  'authorization_declined',
  'user_cancelled',
])
const expiredCodes = new Set(['device_code_expired', 'expired_token', 'user_timeout_reached'])

/** What an MSAL error means for the person signing in, as an AppError. */
export function signInError(error: unknown, who?: string): AppError {
  if (error instanceof AppError) return error
  const e = (error ?? {}) as MsalErrorLike
  // Device code polling reports the server's error name as the message of post_request_failed.
  const code =
    e.errorCode === 'post_request_failed' && typeof e.errorMessage === 'string'
      ? e.errorMessage
      : typeof e.errorCode === 'string'
        ? e.errorCode
        : ''
  const text = `${String(e.errorMessage ?? '')} ${String(e.message ?? '')}`
  if (cancelCodes.has(code)) return new AppError('Cancelled', 'Sign-in was cancelled.')
  if (code === 'network_error') {
    return new AppError(
      'Offline',
      'The sign-in service cannot be reached. Check your network connection and try again.',
    )
  }
  if (expiredCodes.has(code))
    return new AppError(
      'AuthRequired',
      'The sign-in code expired before it was used. Sign in again.',
    )
  if (isInteractionRequired(error)) {
    return new AppError(
      'AuthRequired',
      `Sign in again${who ? ` as ${who}` : ''}: ${interactionReason(text)}`,
      {
        ...(who ? { account: who } : {}),
      },
    )
  }
  // A throttled or failing token endpoint (RetryingNetworkClient already waited briefly).
  if (code === 'temporarily_unavailable' || code === 'server_error') return busyService(error)
  if (code === 'unauthorized_client' || /AADSTS700016/.test(text)) {
    return new AppError(
      'Validation',
      'The app registration (client id) is not known to this directory. Check the client id in Settings.',
    )
  }
  return new AppError(
    'Unknown',
    'Sign-in failed. Try again; if it keeps failing, try the device code option.',
  )
}

function busyService(error: unknown): AppError {
  const { status, retryAfterSeconds } = (error ?? {}) as {
    status?: unknown
    retryAfterSeconds?: unknown
  }
  if (status === 429 || typeof retryAfterSeconds === 'number') {
    const seconds = typeof retryAfterSeconds === 'number' ? Math.max(1, retryAfterSeconds) : 60
    const wait =
      seconds >= 90
        ? `about ${Math.round(seconds / 60)} minutes`
        : seconds >= 45
          ? 'about a minute'
          : `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`
    return new AppError('Throttled', `The sign-in service is busy. Wait ${wait} and try again.`, {
      retryAfterSeconds: seconds,
    })
  }
  return new AppError(
    'Transient',
    'The sign-in service is not answering right now. Wait a minute and try again.',
  )
}

/**
 * MSAL's InteractionRequiredAuthError, and `invalid_grant` from the token endpoint (an expired
 * or revoked refresh token, a tenant the account cannot use), which needs the person as well.
 */
export function isInteractionRequired(error: unknown): boolean {
  const e = (error ?? {}) as MsalErrorLike
  return e.name === 'InteractionRequiredAuthError' || e.errorCode === 'invalid_grant'
}

/** Why Entra wants the person back, in words (MFA, consent, or an expired session). */
export function interactionReason(text: string): string {
  if (/AADSTS50076|AADSTS50079|AADSTS50158|multi-factor/i.test(text)) {
    return 'this directory requires multi-factor authentication.'
  }
  if (/AADSTS65001|AADSTS90094|consent/i.test(text))
    return 'this directory requires consent for the app.'
  if (/AADSTS50020|does not exist in tenant/i.test(text))
    return 'the account is not a member of this directory.'
  return 'the session has expired.'
}

export function isNetworkError(error: unknown): boolean {
  const e = (error ?? {}) as MsalErrorLike & { code?: unknown; cause?: unknown }
  if (e.errorCode === 'network_error') return true
  const code = typeof e.code === 'string' ? e.code : undefined
  if (
    code &&
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ENETUNREACH',
      'EHOSTUNREACH',
      'ECONNRESET',
      'ETIMEDOUT',
    ].includes(code)
  ) {
    return true
  }
  return e.cause !== undefined && e.cause !== error && isNetworkError(e.cause)
}
