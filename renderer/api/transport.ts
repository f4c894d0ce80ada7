import type { DsvmBridge } from '../../shared/bridge'

/**
 * open: calls go through. connecting: the first connection is being made. reconnecting: the
 * connection dropped and is being made again (calls wait, then fail as Offline).
 */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting'

/** The bridge's invoke/on, plus the connection's state for transports that can drop. */
export interface Transport extends DsvmBridge {
  status(): ConnectionStatus
  /** Returns the function that unsubscribes. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void
}

/** The Electron preload bridge: always connected. */
export function bridgeTransport(bridge: DsvmBridge): Transport {
  return {
    invoke: (name, input) => bridge.invoke(name, input),
    on: (name, listener) => bridge.on(name, listener),
    status: () => 'open',
    onStatus: () => () => {},
  }
}
