import { events, type EventName, type EventPayload } from '../../shared/api'

export type EventListener = (name: EventName, payload: unknown) => void

/** Fans every event out to each transport (Electron windows, web host clients). */
export interface EventHub {
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void
  /** Returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void
}

export interface EventHubOptions {
  onInvalidPayload?: (name: EventName, message: string) => void
}

export function createEventHub(options: EventHubOptions = {}): EventHub {
  const listeners = new Set<EventListener>()
  return {
    emit(name, payload) {
      // Parse so only declared fields ever leave main, whatever the service put in.
      const parsed = events[name].payload.safeParse(payload)
      if (!parsed.success) {
        options.onInvalidPayload?.(name, parsed.error.message)
        return
      }
      for (const listener of [...listeners]) {
        try {
          listener(name, parsed.data)
        } catch {
          // One broken transport must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
