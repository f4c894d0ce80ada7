import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node'
import type { SecretStore } from '../ports'

/**
 * MSAL's token cache, persisted only through a SecretStore that encrypts it (DESIGN.md
 * decision 7). Where the store cannot encrypt (Linux without a keyring), nothing is written
 * anywhere: tokens live in MSAL's memory until the app quits, and `warning` says so.
 */
export class EncryptedCachePlugin implements ICachePlugin {
  /**
   * Without encryption the serialized cache is kept here, in this process only: MSAL clears
   * its in-memory cache before every access and expects the plugin to reload it.
   */
  private memoryOnly: string | undefined

  constructor(
    private readonly store: SecretStore,
    private readonly key: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** A sentence for the UI when tokens cannot be kept across restarts; undefined otherwise. */
  get warning(): string | undefined {
    if (this.store.isEncryptionAvailable()) return undefined
    return `This system has no keyring the app can use (${this.store.backend}), so sign-ins are kept in memory only and you will need to sign in again after restarting the app.`
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    // The stored copy is the truth (every change is written back), as in MSAL's own
    // persistence plugins; reading it each time keeps two app processes consistent.
    if (!this.store.isEncryptionAvailable()) {
      if (this.memoryOnly !== undefined) context.tokenCache.deserialize(this.memoryOnly)
      return
    }
    try {
      const stored = await this.store.get(this.key)
      if (stored) context.tokenCache.deserialize(stored.toString('utf8'))
    } catch {
      this.log('The stored sign-in cache could not be read; continuing with the one in memory.')
    }
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return
    if (!this.store.isEncryptionAvailable()) {
      this.memoryOnly = context.tokenCache.serialize()
      return
    }
    await this.store.set(this.key, Buffer.from(context.tokenCache.serialize(), 'utf8'))
  }

  /** Removes the stored cache (used when every account has signed out). */
  async clear(): Promise<void> {
    this.memoryOnly = undefined
    if (this.store.isEncryptionAvailable()) await this.store.delete(this.key)
  }
}
