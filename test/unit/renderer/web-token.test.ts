import { describe, expect, it } from 'vitest'
import { takeWebToken } from '../../../renderer/api/web-token'

function memoryStorage() {
  const items = new Map<string, string>()
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  }
}

describe('web token', () => {
  it('takes the token from the URL fragment, keeps it for the tab and removes it from the address bar', () => {
    const storage = memoryStorage()
    const urls: string[] = []
    const token = takeWebToken({ hash: '#token=abc123', pathname: '/', search: '' }, storage, (u) =>
      urls.push(u),
    )
    expect(token).toBe('abc123')
    expect(urls).toEqual(['/'])
    // A reload has no fragment any more but still finds the token.
    expect(
      takeWebToken({ hash: '', pathname: '/', search: '' }, storage, (u) => urls.push(u)),
    ).toBe('abc123')
    expect(urls).toEqual(['/'])
  })

  it('keeps other fragment parameters', () => {
    const urls: string[] = []
    takeWebToken(
      { hash: '#token=t&view=x', pathname: '/app', search: '?a=1' },
      memoryStorage(),
      (u) => urls.push(u),
    )
    expect(urls).toEqual(['/app?a=1#view=x'])
  })

  it('returns undefined when there is no token anywhere', () => {
    expect(
      takeWebToken({ hash: '', pathname: '/', search: '' }, memoryStorage(), () => {}),
    ).toBeUndefined()
  })
})
