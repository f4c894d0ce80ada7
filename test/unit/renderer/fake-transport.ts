import type { Result } from '../../../shared/contract'
import type { ConnectionStatus, Transport } from '../../../renderer/api/transport'

type Handler = (input: unknown) => Result<unknown> | Promise<Result<unknown>>

/** A transport whose answers the test scripts, recording every call made. */
export function fakeTransport(handlers: Record<string, Handler> = {}) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const calls: Array<{ name: string; input: unknown }> = []
  const transport: Transport & {
    calls: typeof calls
    handlers: Record<string, Handler>
    emit(name: string, payload: unknown): void
  } = {
    calls,
    handlers,
    async invoke(name, input) {
      calls.push({ name, input })
      const handler = handlers[name]
      if (!handler) return { ok: false, error: { code: 'Unknown', message: `no fake for ${name}` } }
      return handler(input)
    },
    on(name, listener) {
      let set = listeners.get(name)
      if (!set) listeners.set(name, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
    status: (): ConnectionStatus => 'open',
    onStatus: () => () => {},
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) listener(payload)
    },
  }
  return transport
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })

/** A promise the test settles by hand. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}
