import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TokenCacheContext } from '@azure/msal-node'
import { describe, expect, it } from 'vitest'
import { EncryptedCachePlugin } from '../../../electron/azure/auth/cache-plugin'
import { TestSecretStore } from '../../integration/identity/secret-store'

const refreshToken = '1.sbx.refresh-token-that-must-never-touch-the-disk'
const serialized = JSON.stringify({ RefreshToken: { key: { secret: refreshToken } } })

/** The part of MSAL's TokenCacheContext the plugin uses. */
function context(changed: boolean, cache = { text: serialized }): TokenCacheContext {
  return {
    cacheHasChanged: changed,
    tokenCache: {
      serialize: () => cache.text,
      deserialize: (text: string) => {
        cache.text = text
      },
    },
  } as unknown as TokenCacheContext
}

const filesIn = (dir: string) => readdirSync(dir).map((f) => readFileSync(join(dir, f)))

describe('EncryptedCachePlugin', () => {
  it('writes the serialized cache only through the secret store, encrypted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cache-plugin-'))
    const store = new TestSecretStore(dir)
    const plugin = new EncryptedCachePlugin(store, 'msal-cache')
    await plugin.afterCacheAccess(context(true))

    const files = filesIn(dir)
    expect(files).toHaveLength(1)
    expect(files[0]!.includes(Buffer.from(refreshToken))).toBe(false)
    expect(files[0]!.includes(Buffer.from('RefreshToken'))).toBe(false)
    expect((await store.get('msal-cache'))!.toString()).toBe(serialized)
    expect(plugin.warning).toBeUndefined()
  })

  it('writes nothing when the cache did not change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cache-plugin-'))
    const plugin = new EncryptedCachePlugin(new TestSecretStore(dir), 'msal-cache')
    await plugin.afterCacheAccess(context(false))
    expect(readdirSync(dir)).toEqual([])
  })

  it('loads the stored cache into MSAL before each access', async () => {
    const store = new TestSecretStore(mkdtempSync(join(tmpdir(), 'cache-plugin-')))
    await store.set('msal-cache', Buffer.from(serialized))
    const cache = { text: '' }
    await new EncryptedCachePlugin(store, 'msal-cache').beforeCacheAccess(context(false, cache))
    expect(cache.text).toBe(serialized)
  })

  it('keeps tokens in memory only, and says so, when the store cannot encrypt (basic_text)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cache-plugin-'))
    const store = new TestSecretStore(dir, false)
    const plugin = new EncryptedCachePlugin(store, 'msal-cache')
    const cache = { text: serialized }
    await plugin.beforeCacheAccess(context(false, cache))
    await plugin.afterCacheAccess(context(true, cache))
    expect(readdirSync(dir)).toEqual([])
    expect(store.writes).toEqual([])
    expect(cache.text).toBe(serialized)
    expect(plugin.warning).toMatch(/basic_text.*in memory only.*sign in again/)
  })

  it('gives MSAL its tokens back before the next access when the store cannot encrypt', async () => {
    // MSAL empties its in-memory cache before each access and expects the plugin to refill it.
    const dir = mkdtempSync(join(tmpdir(), 'cache-plugin-'))
    const plugin = new EncryptedCachePlugin(new TestSecretStore(dir, false), 'msal-cache')
    await plugin.afterCacheAccess(context(true, { text: serialized }))

    const emptied = { text: '' }
    await plugin.beforeCacheAccess(context(false, emptied))
    expect(emptied.text).toBe(serialized)
    expect(readdirSync(dir)).toEqual([])

    await plugin.clear()
    const afterSignOut = { text: '' }
    await plugin.beforeCacheAccess(context(false, afterSignOut))
    expect(afterSignOut.text).toBe('')
  })

  it('survives an unreadable stored cache', async () => {
    const store = new TestSecretStore(mkdtempSync(join(tmpdir(), 'cache-plugin-')))
    store.get = async () => {
      throw new Error('decryption failed')
    }
    const logged: string[] = []
    const cache = { text: 'in memory' }
    await new EncryptedCachePlugin(store, 'k', (m) => logged.push(m)).beforeCacheAccess(
      context(false, cache),
    )
    expect(cache.text).toBe('in memory')
    expect(logged).toHaveLength(1)
  })

  it('clear() removes the stored cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cache-plugin-'))
    const store = new TestSecretStore(dir)
    const plugin = new EncryptedCachePlugin(store, 'msal-cache')
    await plugin.afterCacheAccess(context(true))
    await plugin.clear()
    expect(readdirSync(dir)).toEqual([])
  })
})
