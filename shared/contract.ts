import type { z } from 'zod'
import type { AppErrorShape } from './errors'

/** One request/response call of the API: validated input, typed output. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I
  readonly output: O
}
/** One event main pushes to every window. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly payload: P
}

export const call = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
): CallSpec<I, O> => ({
  input,
  output,
})
export const event = <P extends z.ZodType>(payload: P): EventSpec<P> => ({ payload })

/** What crosses the boundary for every call: a value or a typed error, never a thrown stack. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape }

/** Transport-neutral frames used by the web host's WebSocket (Electron IPC carries the same). */
export type ClientFrame = { kind: 'call'; id: number; name: string; input: unknown }
export type ServerFrame =
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'event'; name: string; payload: unknown }
