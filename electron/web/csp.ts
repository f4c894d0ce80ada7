/*
 * The renderer's Content-Security-Policy, sent as a response header by the app:// protocol
 * (desktop) and by the web host. Only the app's own files run; nothing inline, no eval, no
 * frames, no form posts, no network except what `connect` adds.
 */
export interface CspOptions {
  /** Extra connect-src sources, e.g. the web host's own ws:// origin. */
  connect?: string[]
  /**
   * Vite's dev server (electron-vite dev): React Refresh injects an inline script and styles
   * and talks to the server over a WebSocket. Never used for a built renderer.
   */
  devServer?: string
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServer
  const devWs = dev ? dev.replace(/^http/, 'ws') : undefined
  const directives: Array<[string, ...string[]]> = [
    ['default-src', "'none'"],
    ['script-src', "'self'", ...(dev ? ["'unsafe-inline'", dev] : [])],
    ['style-src', "'self'", ...(dev ? ["'unsafe-inline'", dev] : [])],
    ['img-src', "'self'", 'data:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...(options.connect ?? []), ...(dev && devWs ? [dev, devWs] : [])],
    ['manifest-src', "'self'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
    ['frame-src', "'none'"],
    ['object-src', "'none'"],
    ['worker-src', "'none'"],
  ]
  return directives.map((d) => d.join(' ')).join('; ')
}
