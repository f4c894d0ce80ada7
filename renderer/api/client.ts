import { z } from 'zod'
import {
  calls,
  events,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
} from '../../shared/api'
import { ApiError } from './api-error'
import type { ConnectionStatus, Transport } from './transport'

/** Calls whose input has no required field may be made without one. */
type InputArgs<N extends CallName> =
  Record<never, never> extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>]

export interface ApiClient {
  /** Resolves with the call's typed output or throws an ApiError {code, message, details}. */
  call<N extends CallName>(name: N, ...args: InputArgs<N>): Promise<CallOutput<N>>
  /** Returns the function that unsubscribes. */
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void
  status(): ConnectionStatus
  onStatus(listener: (status: ConnectionStatus) => void): () => void
}

export interface ApiClientOptions {
  /**
   * Check every result and event against the contract's schemas (development builds): main
   * already parses its outputs, so a mismatch here means the two sides were built apart.
   */
  validate?: boolean
  /** Where contract mismatches are reported when validating. */
  onContractMismatch?: (what: string, message: string) => void
}

export function createApiClient(transport: Transport, options: ApiClientOptions = {}): ApiClient {
  const report =
    options.onContractMismatch ?? ((what, message) => console.error(`${what}: ${message}`))

  return {
    async call(name, ...args) {
      const input = args[0] ?? {}
      let result
      try {
        result = await transport.invoke(name, input)
      } catch (error) {
        throw new ApiError('Unknown', error instanceof Error ? error.message : String(error))
      }
      if (!result.ok) throw ApiError.from(result.error)
      if (!options.validate) return result.value as CallOutput<typeof name>
      const parsed = calls[name].output.safeParse(result.value)
      if (!parsed.success) {
        const message = z.prettifyError(parsed.error)
        report(`Result of ${name}`, message)
        throw new ApiError(
          'Unknown',
          `The app answered '${name}' with data this window does not understand.`,
          {
            issues: message,
          },
        )
      }
      return parsed.data as CallOutput<typeof name>
    },
    on(name, listener) {
      return transport.on(name, (payload) => {
        if (!options.validate) return listener(payload as EventPayload<typeof name>)
        const parsed = events[name].payload.safeParse(payload)
        if (!parsed.success) return report(`Event ${name}`, z.prettifyError(parsed.error))
        listener(parsed.data as EventPayload<typeof name>)
      })
    },
    status: () => transport.status(),
    onStatus: (listener) => transport.onStatus(listener),
  }
}
