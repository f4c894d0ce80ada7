import { z } from 'zod'

/** The closed set of error codes that cross the IPC boundary (DESIGN.md decision 1). */
export const errorCodes = [
  'AuthRequired',
  'Validation',
  'Throttled',
  'QuotaExceeded',
  'Conflict',
  'NotFound',
  'Forbidden',
  'Transient',
  'Offline',
  'Cancelled',
  'Unknown',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
})
export type AppErrorShape = z.infer<typeof appErrorSchema>

/** An error with a code the UI can act on and a message a person can act on. */
export class AppError extends Error implements AppErrorShape {
  readonly code: ErrorCode
  readonly details?: Record<string, unknown>
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'AppError'
    this.code = code
    if (details) this.details = details
  }
  toJSON(): AppErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    }
  }
}

export function isAppErrorShape(value: unknown): value is AppErrorShape {
  return appErrorSchema.safeParse(value).success
}
