import { protocol } from 'electron'
import { contentSecurityPolicy } from '../web/csp'
import { readStaticFile } from '../web/static-files'

/*
 * The built renderer is served from app://dsvm/ rather than file://, so the page has a real
 * origin, a CSP header, and no access to the rest of the file system.
 */
export const appScheme = 'app'
export const appHost = 'dsvm'
export const appPageUrl = `${appScheme}://${appHost}/index.html`

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

export function serveRenderer(rendererDir: string): void {
  const csp = contentSecurityPolicy()
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url)
    if (url.host !== appHost || request.method !== 'GET')
      return new Response('Not found', { status: 404 })
    const file = await readStaticFile(rendererDir, url.pathname)
    if (!file) return new Response('Not found', { status: 404 })
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: {
        'Content-Type': file.contentType,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    })
  })
}
