import type { Result } from './contract'

/**
 * What preload exposes as `window.dsvm` (and what the renderer's api.ts falls back to
 * over the web host's WebSocket): one generic call and one generic subscription, nothing
 * raw. Names and payloads are checked against shared/api.ts on both sides.
 */
export interface DsvmBridge {
  invoke(name: string, input: unknown): Promise<Result<unknown>>
  /** Returns the function that unsubscribes. */
  on(name: string, listener: (payload: unknown) => void): () => void
}

export const bridgeGlobalName = 'dsvm'

/**
 * The web host's WebSocket path and the query parameter that carries the per-launch secret.
 * The page gets the token from the URL fragment (never sent to any server) the host prints.
 */
export const webSocketPath = '/api'
export const webTokenParam = 'token'
