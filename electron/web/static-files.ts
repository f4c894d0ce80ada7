import { readFile, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'

/*
 * Serving the built renderer (out/renderer) safely, for the app:// protocol and the web host:
 * only files inside the root, never a directory listing, the SPA's index.html for routes.
 */

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

export interface StaticFile {
  path: string
  body: Buffer
  contentType: string
  isHtml: boolean
}

/** The file for a URL path, or undefined (404). `urlPath` is the raw pathname of the request. */
export async function readStaticFile(
  rootDir: string,
  urlPath: string,
): Promise<StaticFile | undefined> {
  const path = resolveStaticPath(rootDir, urlPath)
  if (!path) return undefined
  const candidates = extname(path) ? [path] : [path, join(resolve(rootDir), 'index.html')]
  for (const candidate of candidates) {
    try {
      if (!(await stat(candidate)).isFile()) continue
      const extension = extname(candidate).toLowerCase()
      return {
        path: candidate,
        body: await readFile(candidate),
        contentType: contentTypes[extension] ?? 'application/octet-stream',
        isHtml: extension === '.html',
      }
    } catch {
      // Missing: try the next candidate.
    }
  }
  return undefined
}

/** Maps a URL path into rootDir, or undefined when it is malformed or would leave rootDir. */
export function resolveStaticPath(rootDir: string, urlPath: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const root = resolve(rootDir)
  const relativePath =
    decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const target = resolve(root, relativePath)
  const fromRoot = relative(root, target)
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) return undefined
  return target
}
