import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline'
import { describe, expect, it } from 'vitest'
import { AppError, isAppErrorShape } from '../../../shared/errors'
import { toAppError } from '../../../electron/ipc/errors'

/** A RestError as the Azure SDKs throw it, with Azure's error code and message. */
function restError(
  statusCode: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  const request = createPipelineRequest({ url: 'https://management.azure.com/subscriptions' })
  return new RestError(message, {
    code,
    statusCode,
    request,
    response: { status: statusCode, headers: createHttpHeaders(headers), request },
  })
}
function sendError(code: string) {
  return new RestError(`getaddrinfo ${code} management.azure.com`, { code })
}

describe('toAppError', () => {
  it.each([
    [401, 'InvalidAuthenticationToken', 'AuthRequired'],
    [403, 'AuthorizationFailed', 'Forbidden'],
    [404, 'ResourceGroupNotFound', 'NotFound'],
    [409, 'Conflict', 'Conflict'],
    [412, 'PreconditionFailed', 'Conflict'],
    [429, 'TooManyRequests', 'Throttled'],
    [500, 'InternalServerError', 'Transient'],
    [503, 'ServiceUnavailable', 'Transient'],
    [400, 'InvalidTemplate', 'Validation'],
  ] as const)('maps HTTP %i (%s) to %s', (status, azureCode, expected) => {
    const error = toAppError(restError(status, azureCode, `Azure says ${azureCode}.`))
    expect(error.code).toBe(expected)
    expect(error.details).toMatchObject({ azureCode, statusCode: status })
    expect(isAppErrorShape(error)).toBe(true)
  })

  it('keeps Azure’s explanation for a permission error', () => {
    const message =
      "The client 'ada@contoso.example' does not have authorization to perform action 'Microsoft.Compute/virtualMachineScaleSets/write'."
    const error = toAppError(restError(403, 'AuthorizationFailed', message))
    expect(error.code).toBe('Forbidden')
    expect(error.message).toMatch(/^Your account does not have the role this needs\. Ask an Owner/)
    expect(error.message).toContain(message)
  })

  it('carries Retry-After seconds on Throttled', () => {
    const error = toAppError(
      restError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': '17' }),
    )
    expect(error).toMatchObject({ code: 'Throttled', details: { retryAfter: 17 } })
  })

  it('reads an HTTP-date Retry-After as seconds from now', () => {
    const later = new Date(Date.now() + 30_000).toUTCString()
    const error = toAppError(
      restError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': later }),
    )
    expect(error.details?.retryAfter).toBeGreaterThan(20)
    expect(error.details?.retryAfter).toBeLessThanOrEqual(31)
  })

  it('maps an OperationNotAllowed quota failure to QuotaExceeded, whatever the status', () => {
    const message =
      'Operation could not be completed as it results in exceeding approved standardNCFamily Cores quota. Location: eastus, Current Limit: 24, Current Usage: 24, Additional Required: 6.'
    for (const status of [400, 409]) {
      const error = toAppError(restError(status, 'OperationNotAllowed', message))
      expect(error.code).toBe('QuotaExceeded')
      expect(error.message).toMatch(/request more quota/)
      expect(error.message).toContain('Current Limit: 24')
    }
  })

  it('does not call every OperationNotAllowed a quota problem', () => {
    expect(toAppError(restError(409, 'OperationNotAllowed', 'The VM is being deleted.')).code).toBe(
      'Conflict',
    )
  })

  it.each([
    ['ENOTFOUND', 'Offline'],
    ['ECONNREFUSED', 'Offline'],
    ['ECONNRESET', 'Transient'],
    ['ETIMEDOUT', 'Transient'],
  ])('maps a request that could not be sent (%s) to %s', (code, expected) => {
    expect(toAppError(sendError(code)).code).toBe(expected)
  })

  it('finds a network error code in the cause chain', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), {
      code: 'ECONNREFUSED',
    })
    expect(toAppError(new Error('fetch failed', { cause })).code).toBe('Offline')
  })

  it('passes an AppError through unchanged', () => {
    const error = new AppError('Conflict', 'The pool is being deleted.', { pool: 'team' })
    expect(toAppError(error)).toEqual({
      code: 'Conflict',
      message: 'The pool is being deleted.',
      details: { pool: 'team' },
    })
  })

  it('maps MSAL’s interaction-required error to AuthRequired', () => {
    const error = Object.assign(new Error('AADSTS50076: MFA required'), {
      name: 'InteractionRequiredAuthError',
    })
    expect(toAppError(error)).toMatchObject({ code: 'AuthRequired' })
  })

  it('maps an abort to Cancelled', () => {
    expect(toAppError(new DOMException('The operation was aborted', 'AbortError')).code).toBe(
      'Cancelled',
    )
  })

  it.each([
    ['an Error', new Error('at /home/ada/app/secret.ts:12 token=abc')],
    ['a string', 'raw failure text'],
    ['undefined', undefined],
    ['a plain object', { message: 'x', stack: 'y' }],
  ])('answers Unknown with a safe message for %s', (_label, thrown) => {
    const error = toAppError(thrown)
    expect(error.code).toBe('Unknown')
    expect(JSON.stringify(error)).not.toMatch(/home\/ada|token=abc|raw failure|stack/)
  })

  it('redacts credentials that appear in an Azure message', () => {
    const error = toAppError(
      restError(
        403,
        'AuthorizationFailed',
        'Denied https://acct.file.core.windows.net/share?sv=2024&sig=SECRETSIG with Bearer eyJ0eXAi.abc.def AccountKey=KEY==;',
      ),
    )
    expect(error.message).toContain('Azure’s message')
    expect(error.message).not.toMatch(/SECRETSIG|eyJ0eXAi|KEY==/)
  })

  it('never shows the SDK’s own text: a failed page of a list is words about Azure', () => {
    const request = createPipelineRequest({ url: 'https://management.azure.com/x' })
    const error = toAppError(
      new RestError('Pagination failed with unexpected statusCode 503', {
        statusCode: 503,
        request,
      }),
    )
    expect(error.code).toBe('Transient')
    expect(error.message).not.toMatch(/Pagination|statusCode/)
    expect(error.message).toMatch(/try again/i)
  })

  it('maps Entra’s OAuth codes from MSAL (invalid_grant) to signing in again', () => {
    const error = Object.assign(new Error('AADSTS700082: The refresh token has expired'), {
      name: 'ServerError',
      errorCode: 'invalid_grant',
    })
    expect(toAppError(error)).toMatchObject({ code: 'AuthRequired' })
    expect(toAppError(error).message).not.toContain('AADSTS')
  })
})
