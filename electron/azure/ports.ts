/*
 * What services need from Electron, as small interfaces (DESIGN.md decision 2). The desktop
 * adapters in electron/desktop implement them; tests pass fakes.
 */

/**
 * Stores small secrets encrypted at rest (Electron safeStorage on the desktop). `set` must
 * never write plaintext: when `isEncryptionAvailable()` is false callers keep data in memory.
 */
export interface SecretStore {
  get(key: string): Promise<Buffer | undefined>
  set(key: string, value: Buffer): Promise<void>
  delete(key: string): Promise<void>
  isEncryptionAvailable(): boolean
  /**
   * Which protection backs the store, for messages: e.g. 'keychain' (macOS), 'dpapi'
   * (Windows), 'gnome_libsecret' or 'kwallet' (Linux), 'basic_text' (Linux without a keyring).
   */
  readonly backend: string
}

/** Opens a URL outside the app (the system browser). */
export interface LinkOpener {
  open(url: string): Promise<void>
}

/** Opens the sign-in page in the system browser; same shape as LinkOpener. */
export type BrowserOpener = LinkOpener
