import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EncryptedFileStore, type Encryptor } from '../../../electron/desktop/encrypted-file-store'

/** Stands in for safeStorage: reversible, and visibly not the plain text. */
function fakeEncryptor(available = true, backend = 'gnome_libsecret'): Encryptor {
  const flip = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a))
  return {
    backend,
    isEncryptionAvailable: () => available,
    encryptString: (text) => flip(Buffer.from(`enc:${text}`)),
    decryptString: (data) => flip(data).toString().replace(/^enc:/, ''),
  }
}

const dir = () => join(mkdtempSync(join(tmpdir(), 'dsvm-secrets-')), 'secrets')

describe('encrypted secret files', () => {
  it('round-trips a secret and never writes it in plain text', async () => {
    const folder = dir()
    const store = new EncryptedFileStore(folder, fakeEncryptor())
    const secret = Buffer.from('{"RefreshToken":{"secret":"rt-123"}}')
    await store.set('msal-token-cache_Sandbox', secret)
    expect(await store.get('msal-token-cache_Sandbox')).toEqual(secret)
    for (const file of readdirSync(folder)) {
      expect(readFileSync(join(folder, file)).toString()).not.toContain('rt-123')
    }
  })

  it('refuses to write when there is no keyring (Linux basic_text) and reads nothing', async () => {
    const folder = dir()
    const store = new EncryptedFileStore(folder, fakeEncryptor(false, 'basic_text'))
    expect(store.isEncryptionAvailable()).toBe(false)
    expect(store.backend).toBe('basic_text')
    await expect(store.set('cache', Buffer.from('secret'))).rejects.toThrow(/basic_text/)
    expect(await store.get('cache')).toBeUndefined()
  })

  it('deletes, and answers undefined for a key never stored', async () => {
    const store = new EncryptedFileStore(dir(), fakeEncryptor())
    await store.set('k', Buffer.from('v'))
    await store.delete('k')
    expect(await store.get('k')).toBeUndefined()
    await expect(store.delete('never')).resolves.toBeUndefined()
  })

  it.each(['../escape', 'a/b', '', '.hidden', 'x'.repeat(101)])(
    'refuses the key %j',
    async (key) => {
      const store = new EncryptedFileStore(dir(), fakeEncryptor())
      await expect(store.set(key, Buffer.from('v'))).rejects.toThrow()
    },
  )
})
