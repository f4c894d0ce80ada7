import { publicClouds } from '../../shared/clouds'

/*
 * Which links the app hands to the system browser: the Azure portals, Microsoft sign-in, and
 * origins added while they matter (the running sandbox, a pool's JupyterHub). Matched by exact
 * origin (scheme, host and port), so https://portal.azure.com.evil.example is not a portal.
 */

const signInOrigins = [
  'https://login.microsoftonline.com',
  'https://login.microsoft.com',
  'https://login.live.com',
  'https://login.microsoftonline.us',
  'https://login.chinacloudapi.cn',
  'https://login.partner.microsoftonline.cn',
  // Device code pages.
  'https://microsoft.com',
  'https://www.microsoft.com',
  // App registration and troubleshooting docs.
  'https://learn.microsoft.com',
]

export function defaultLinkOrigins(): string[] {
  return [...Object.values(publicClouds).map((cloud) => cloud.portalUrl), ...signInOrigins]
}

export class LinkAllowList {
  private readonly fixed: Set<string>
  private readonly added = new Map<string, number>()

  constructor(origins: Iterable<string> = defaultLinkOrigins()) {
    this.fixed = new Set([...origins].map(originOf))
  }

  /** Allows an origin until the returned function is called (counted: safe to add twice). */
  allow(origin: string): () => void {
    const key = originOf(origin)
    this.added.set(key, (this.added.get(key) ?? 0) + 1)
    let removed = false
    return () => {
      if (removed) return
      removed = true
      const count = (this.added.get(key) ?? 1) - 1
      if (count <= 0) this.added.delete(key)
      else this.added.set(key, count)
    }
  }

  isAllowed(url: string): boolean {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return false
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false
    if (parsed.username || parsed.password) return false
    const origin = parsed.origin
    if (this.added.has(origin)) return true
    // Plain http only for origins added explicitly (a pool's own address).
    return parsed.protocol === 'https:' && this.fixed.has(origin)
  }
}

function originOf(value: string): string {
  const url = new URL(value)
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`Not a web origin: ${url.protocol}`)
  return url.origin
}
