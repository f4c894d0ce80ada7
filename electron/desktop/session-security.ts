import type { Session } from 'electron'
import { contentSecurityPolicy } from '../web/csp'
import { isPermissionAllowed } from './permissions'

/**
 * Denies every permission except clipboard writes from the app's own page, refuses device
 * access, and, while the renderer comes from Vite's dev server, adds the CSP header the dev
 * server doesn't send.
 */
export function hardenSession(session: Session, appPageUrl: string, devServerUrl?: string): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, appPageUrl)),
  )
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, appPageUrl),
  )
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
