import type { z } from 'zod'
import { calls, isCallName, type CallName } from '../../shared/api'
import type { Result } from '../../shared/contract'
import type { AppErrorShape } from '../../shared/errors'
import { toAppError } from './errors'
import type { CallHandler, Handlers } from './handlers'

/** The one entry point both transports (Electron IPC and the web host) call. */
export interface Router {
  /** Never throws: every outcome is a Result. */
  call(name: unknown, input: unknown): Promise<Result<unknown>>
}

export interface RouterOptions {
  /** Told about failures for the log; gets the call name and the mapped error, never input. */
  onFailure?: (name: string, error: AppErrorShape, cause: unknown) => void
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  return {
    async call(name, input) {
      if (!isCallName(name)) {
        return fail(validation(`Unknown call '${describeName(name)}'.`))
      }
      const spec = calls[name]
      // A call without input arrives as undefined (JSON drops it): that means {}.
      const broken = illFormedStringAt(input)
      if (broken !== undefined) {
        return fail(
          validation(`Invalid input for '${name}'.`, [
            { path: broken, message: 'Text must not hold half of a Unicode character.' },
          ]),
        )
      }
      const parsed = spec.input.safeParse(input === undefined ? {} : input)
      if (!parsed.success) {
        return fail(validation(`Invalid input for '${name}'.`, issuesOf(parsed.error)))
      }
      try {
        const handler = handlers[name] as CallHandler<CallName>
        const value = await handler(parsed.data as never)
        const output = spec.output.safeParse(value)
        if (!output.success) {
          // A bug in main, not the caller's fault: keep the details in the log only.
          const error = toAppError(undefined)
          options.onFailure?.(
            name,
            error,
            new Error(`Output of '${name}' failed its schema: ${output.error.message}`),
          )
          return fail(error)
        }
        return { ok: true, value: output.data }
      } catch (cause) {
        const error = toAppError(cause)
        options.onFailure?.(name, error, cause)
        return fail(error)
      }
    },
  }
}

/**
 * The path of the first string holding half of a surrogate pair: no Azure API, URL or header
 * can carry one, so no call takes one (every handler would otherwise have to guard itself).
 */
const loneSurrogate = /\p{Cs}/u

function illFormedStringAt(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return loneSurrogate.test(value) ? path : undefined
  if (!value || typeof value !== 'object' || depth > 32) return undefined
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key
    if (loneSurrogate.test(key)) return at
    const found = illFormedStringAt(item, at, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

function fail(error: AppErrorShape): Result<never> {
  return { ok: false, error }
}

function validation(
  message: string,
  issues?: Array<{ path: string; message: string }>,
): AppErrorShape {
  return { code: 'Validation', message, ...(issues ? { details: { issues } } : {}) }
}

/** Where and why the input is wrong, without echoing the values that were sent. */
function issuesOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
}

function describeName(name: unknown): string {
  if (typeof name !== 'string') return typeof name
  return name.replace(/[^\w.-]/g, '?').slice(0, 80)
}
