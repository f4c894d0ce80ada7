import { bridgeGlobalName, webSocketPath, webTokenParam, type DsvmBridge } from '../shared/bridge'
import { createApiClient, type ApiClient } from './api/client'
import { bridgeTransport, type Transport } from './api/transport'
import { createWebSocketTransport } from './api/web-socket-transport'
import { takeWebToken } from './api/web-token'

export { ApiError, isApiError, toApiError } from './api/api-error'
export type { ApiClient } from './api/client'
export type { ConnectionStatus } from './api/transport'

/**
 * The renderer's one client of shared/api.ts. In the Electron window the preload bridge
 * (window.dsvm) carries the calls; in a browser the web host's WebSocket at /api does,
 * authenticated with the token from the page URL.
 */
function pickTransport(): Transport | undefined {
  const bridge = (window as unknown as Record<string, DsvmBridge | undefined>)[bridgeGlobalName]
  if (bridge) return bridgeTransport(bridge)
  const token = takeWebToken(window.location, window.sessionStorage, (url) =>
    window.history.replaceState(null, '', url),
  )
  if (!token) return undefined
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  const url = `${scheme}://${window.location.host}${webSocketPath}?${webTokenParam}=${encodeURIComponent(token)}`
  return createWebSocketTransport({ url })
}

const transport = pickTransport()

/** False when the page was opened without the web host's token: nothing can be called. */
export const apiAvailable = transport !== undefined

export const api: ApiClient = createApiClient(
  transport ?? {
    invoke: async () => ({
      ok: false,
      error: {
        code: 'Offline',
        message: 'Open the address the app printed; it carries the key for this window.',
      },
    }),
    on: () => () => {},
    status: () => 'connecting',
    onStatus: () => () => {},
  },
  { validate: import.meta.env.DEV },
)
