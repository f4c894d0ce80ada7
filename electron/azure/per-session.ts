import type { CloudSession } from './cloud-session'

/** Something built for one cloud session, built anew (the old one closed) when it changes. */
export interface PerSession<T> {
  /** The one for the current session (settings choose the cloud and sign-in). */
  get(): Promise<T>
  /** The one built last, if any, without starting a session. */
  current(): T | undefined
  /** Closes the one built last. */
  close(): void
}

export function perSession<T>(
  session: () => Promise<CloudSession>,
  create: (session: CloudSession) => T,
  close?: (value: T) => void,
): PerSession<T> {
  let built: { session: CloudSession; value: T } | undefined
  return {
    async get() {
      const current = await session()
      if (built?.session !== current) {
        if (built) close?.(built.value)
        built = { session: current, value: create(current) }
      }
      return built.value
    },
    current: () => built?.value,
    close() {
      if (built) close?.(built.value)
    },
  }
}
