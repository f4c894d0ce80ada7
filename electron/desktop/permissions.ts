import { isAppPage } from './trusted-sender'

/**
 * The one permission the app's page may use: writing text to the clipboard (the device code's
 * Copy button). Everything else (camera, notifications from the page, geolocation, HID ...)
 * is denied, and so is everything for any other origin.
 */
const allowedForAppPage = new Set(['clipboard-sanitized-write'])

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  appPageUrl: string,
): boolean {
  return allowedForAppPage.has(permission) && isAppPage(requestingUrl, appPageUrl)
}
