import { webTokenParam } from '../../shared/bridge'

const storageKey = 'dsvm.webToken'

export interface TokenLocation {
  hash: string
  pathname: string
  search: string
}
export interface TokenStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/**
 * The web host's per-launch secret arrives in the page URL fragment (#token=...), which the
 * browser never sends to a server. It is kept for this tab only (sessionStorage, so a reload
 * still connects) and taken out of the address bar so it does not end up in screenshots or
 * bookmarks.
 */
export function takeWebToken(
  location: TokenLocation,
  storage: TokenStorage,
  replaceUrl: (url: string) => void,
): string | undefined {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''))
  const fromUrl = fragment.get(webTokenParam)
  if (fromUrl) {
    storage.setItem(storageKey, fromUrl)
    fragment.delete(webTokenParam)
    const rest = fragment.toString()
    replaceUrl(`${location.pathname}${location.search}${rest ? `#${rest}` : ''}`)
    return fromUrl
  }
  return storage.getItem(storageKey) ?? undefined
}
