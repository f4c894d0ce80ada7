import type { Session } from 'electron'
import { contentSecurityPolicy } from '../csp'

/**
 * Denies every permission (camera, notifications from the page, geolocation ...) and, while
 * the renderer comes from Vite's dev server, adds the CSP header the dev server doesn't send.
 */
export function hardenSession(session: Session, devServerUrl?: string): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  if (devServerUrl) {
    const devOrigin = new URL(devServerUrl).origin
    const csp = contentSecurityPolicy({ devServer: devOrigin })
    session.webRequest.onHeadersReceived({ urls: [`${devOrigin}/*`] }, (details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
      })
    })
  }
}
