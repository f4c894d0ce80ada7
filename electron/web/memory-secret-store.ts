import type { SecretStore } from '../azure/ports'

/**
 * Web mode's SecretStore: plain Node has no OS keychain, so secrets live in this process's
 * memory and are gone when it exits. Nothing is ever written to disk, which is why it may
 * accept secrets (`isEncryptionAvailable()`: safe to hand them over). The token cache then
 * works normally for the session; web-main.ts and app.info say that sign-ins don't persist.
 */
export class MemorySecretStore implements SecretStore {
  readonly backend = 'memory'
  private readonly values = new Map<string, Buffer>()

  isEncryptionAvailable(): boolean {
    return true
  }

  async get(key: string): Promise<Buffer | undefined> {
    const value = this.values.get(key)
    return value ? Buffer.from(value) : undefined
  }

  async set(key: string, value: Buffer): Promise<void> {
    this.values.set(key, Buffer.from(value))
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key)
  }
}
