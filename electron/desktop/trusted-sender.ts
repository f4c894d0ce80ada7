/**
 * True when an IPC message comes from the app's own top-level page: same scheme, host and port
 * as the page main loaded (app://dsvm in production, Vite's dev server with `npm start`).
 * Compared field by field because Node gives custom schemes an opaque 'null' origin.
 */
export function isAppPage(frameUrl: string | undefined, appPageUrl: string): boolean {
  if (!frameUrl) return false
  let frame: URL
  let app: URL
  try {
    frame = new URL(frameUrl)
    app = new URL(appPageUrl)
  } catch {
    return false
  }
  return (
    frame.protocol === app.protocol &&
    frame.host === app.host &&
    frame.username === '' &&
    frame.password === ''
  )
}

/** True for IPC from the main frame (not an iframe) of a window showing the app's own page. */
export function isTrustedSenderFrame(
  frame: { readonly url: string; readonly parent?: unknown } | null,
  pageUrl: string,
): boolean {
  return !!frame && !frame.parent && isAppPage(frame.url, pageUrl)
}
