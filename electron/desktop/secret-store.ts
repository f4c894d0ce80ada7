import { safeStorage } from 'electron'
import type { SecretStore } from '../azure/ports'
import { EncryptedFileStore, type Encryptor } from './encrypted-file-store'

/**
 * The desktop SecretStore: files encrypted with Electron safeStorage (Keychain on macOS, DPAPI
 * on Windows, libsecret or KWallet on Linux). Call after the app is ready: on Linux the
 * backend is chosen then.
 */
export function createSafeStorageSecretStore(dir: string): SecretStore {
  return new EncryptedFileStore(dir, safeStorageEncryptor())
}

function safeStorageEncryptor(): Encryptor {
  const backend =
    process.platform === 'darwin'
      ? 'keychain'
      : process.platform === 'win32'
        ? 'dpapi'
        : safeStorage.getSelectedStorageBackend()
  return {
    backend,
    // 'basic_text' encrypts with a hard-coded password: that is plain text with extra steps.
    isEncryptionAvailable: () =>
      safeStorage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown',
    encryptString: (plainText) => safeStorage.encryptString(plainText),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  }
}
