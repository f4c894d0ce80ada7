import type { z } from 'zod'
import type { CallName, Calls } from '../../shared/api'

/** The validated input a handler receives for call N. */
export type HandlerInput<N extends CallName> = z.output<Calls[N]['input']>
/** What a handler may return for call N; the router parses it with the output schema. */
export type HandlerOutput<N extends CallName> = z.input<Calls[N]['output']>

export type CallHandler<N extends CallName> = (
  input: HandlerInput<N>,
) => Promise<HandlerOutput<N>> | HandlerOutput<N>

/** One handler for every call in shared/api.ts: the compiler refuses a missing one. */
export type Handlers = { [N in CallName]: CallHandler<N> }

/**
 * The handlers of one section of shared/api.ts: `HandlersFor<'pools'>` is every `pools.*`
 * call. Each feature's handler module satisfies its slice; the composition root joins them.
 */
export type HandlersFor<Prefix extends string> = Pick<
  Handlers,
  Extract<CallName, Prefix | `${Prefix}.${string}`>
>
