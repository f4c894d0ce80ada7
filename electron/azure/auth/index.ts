import type { Account, DeviceCode } from '../../../shared/api'
import type { Cloud } from '../../../shared/clouds'
import type { SecretStore } from '../ports'
import { SubscriptionsService, type SubscriptionsServiceOptions } from '../subscriptions'
import { AuthService } from './auth-service'
import { EncryptedCachePlugin } from './cache-plugin'
import { createMsalClient } from './msal-client'

export { AuthService } from './auth-service'
export { EncryptedCachePlugin } from './cache-plugin'
export { armScope, azureCliClientId, resolveClientId, resolveCloud, sandboxCloud } from './clouds'
export { SubscriptionsService } from '../subscriptions'

export interface AuthServicesOptions {
  cloud: Cloud
  /** See resolveClientId(). */
  clientId: string
  secretStore: SecretStore
  /** Opens the sign-in page in the system browser (LinkOpener.open). */
  openBrowser: (url: string) => Promise<void>
  onDeviceCode?: (code: DeviceCode) => void
  onAccountsChanged?: (accounts: Account[]) => void
  /** CA certificate (PEM) to trust for the authority and ARM: the sandbox's. */
  tlsCa?: string
  /** Diagnostics without personal data. */
  log?: (message: string) => void
  /** Retry policy of the ARM clients (tests lower it; the SDK default otherwise). */
  armRetryOptions?: SubscriptionsServiceOptions['retryOptions']
}

export interface AuthServices {
  auth: AuthService
  subscriptions: SubscriptionsService
  /** Set when tokens are kept in memory only (no keyring); for app.info's secretStorageWarning. */
  storageWarning: string | undefined
}

/** Sign-in and subscriptions for one cloud and client id; rebuild when either changes. */
export function createAuthServices(options: AuthServicesOptions): AuthServices {
  const cachePlugin = new EncryptedCachePlugin(
    options.secretStore,
    `msal-token-cache:${options.cloud.name}:${options.clientId}`,
    options.log,
  )
  const msal = createMsalClient({
    cloud: options.cloud,
    clientId: options.clientId,
    cachePlugin,
    tlsCa: options.tlsCa,
    log: options.log,
  })
  const auth = new AuthService({
    cloud: options.cloud,
    msal,
    openBrowser: options.openBrowser,
    onDeviceCode: options.onDeviceCode,
    onAccountsChanged: options.onAccountsChanged,
    storageWarning: cachePlugin.warning,
  })
  return {
    auth,
    subscriptions: new SubscriptionsService({
      auth,
      tlsCa: options.tlsCa,
      retryOptions: options.armRetryOptions,
    }),
    storageWarning: cachePlugin.warning,
  }
}
