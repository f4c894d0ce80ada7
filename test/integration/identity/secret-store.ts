import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SecretStore } from '../../../electron/azure/ports'

/**
 * A SecretStore like the desktop one (safeStorage + a file), with a key that lives in this
 * object: files on disk are AES-GCM ciphertext. With `encryption: false` it behaves like
 * Linux's basic_text backend and refuses to store anything.
 */
export class TestSecretStore implements SecretStore {
  readonly backend: string
  readonly writes: string[] = []
  private readonly key = randomBytes(32)

  constructor(
    readonly dir: string,
    private readonly encryption = true,
  ) {
    this.backend = encryption ? 'test_aes_gcm' : 'basic_text'
    mkdirSync(dir, { recursive: true })
  }

  isEncryptionAvailable(): boolean {
    return this.encryption
  }

  async get(key: string): Promise<Buffer | undefined> {
    const file = this.file(key)
    if (!existsSync(file)) return undefined
    const data = readFileSync(file)
    const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12))
    decipher.setAuthTag(data.subarray(12, 28))
    return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()])
  }

  async set(key: string, value: Buffer): Promise<void> {
    if (!this.encryption) throw new Error('Refusing to store a secret without encryption')
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const encrypted = Buffer.concat([cipher.update(value), cipher.final()])
    writeFileSync(this.file(key), Buffer.concat([iv, cipher.getAuthTag(), encrypted]))
    this.writes.push(key)
  }

  async delete(key: string): Promise<void> {
    rmSync(this.file(key), { force: true })
  }

  /** Test helper: edit the stored plaintext (e.g. to age an access token). */
  async edit(key: string, change: (text: string) => string): Promise<void> {
    const current = await this.get(key)
    if (!current) throw new Error(`Nothing stored under ${key}`)
    await this.set(key, Buffer.from(change(current.toString('utf8'))))
  }

  private file(key: string): string {
    return join(this.dir, `${key.replace(/[^\w.-]/g, '_')}.bin`)
  }
}
