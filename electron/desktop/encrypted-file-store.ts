import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SecretStore } from '../azure/ports'

/** What encrypts the files: Electron's safeStorage on the desktop, a fake in tests. */
export interface Encryptor {
  isEncryptionAvailable(): boolean
  readonly backend: string
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
}

/**
 * A SecretStore keeping one encrypted file per key in `dir`. It refuses to write when the
 * encryptor cannot really encrypt (Linux 'basic_text' means a hard-coded key: not secret), so
 * nothing is ever stored in plain text (DESIGN.md decision 7).
 */
export class EncryptedFileStore implements SecretStore {
  constructor(
    private readonly dir: string,
    private readonly encryptor: Encryptor,
  ) {}

  get backend(): string {
    return this.encryptor.backend
  }

  isEncryptionAvailable(): boolean {
    return this.encryptor.isEncryptionAvailable()
  }

  async get(key: string): Promise<Buffer | undefined> {
    if (!this.isEncryptionAvailable()) return undefined
    let encrypted: Buffer
    try {
      encrypted = readFileSync(this.fileFor(key))
    } catch {
      return undefined
    }
    return Buffer.from(this.encryptor.decryptString(encrypted), 'base64')
  }

  async set(key: string, value: Buffer): Promise<void> {
    if (!this.isEncryptionAvailable()) {
      throw new Error(
        `Secrets cannot be stored encrypted here (${this.backend}); keep them in memory.`,
      )
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const file = this.fileFor(key)
    const temporary = `${file}.tmp`
    writeFileSync(temporary, this.encryptor.encryptString(value.toString('base64')), {
      mode: 0o600,
    })
    renameSync(temporary, file)
  }

  async delete(key: string): Promise<void> {
    rmSync(this.fileFor(key), { force: true })
  }

  private fileFor(key: string): string {
    if (!/^[\w.-]{1,100}$/.test(key) || key.startsWith('.'))
      throw new Error('A secret key is letters, digits, . _ -')
    return join(this.dir, `${key}.bin`)
  }
}
