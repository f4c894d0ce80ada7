import type { AppErrorShape, ErrorCode } from '../../shared/errors'

/** What a failed call throws in the renderer: the typed error main sent, as an Error. */
export class ApiError extends Error implements AppErrorShape {
  readonly code: ErrorCode
  readonly details?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    if (details) this.details = details
  }

  static from(shape: AppErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.details)
  }
}

/** Any thrown value as an ApiError, so screens handle one kind of failure. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new ApiError('Unknown', message)
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code)
}
