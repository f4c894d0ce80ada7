import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Account, DeviceCode } from '../../../shared/api'
import { createAuthServices, type AuthServices } from '../../../electron/azure/auth'
import { resolveClientId, sandboxCloud } from '../../../electron/azure/auth/clouds'
import type { Sandbox } from '../../../sandbox'
import { approveDeviceCode, signInWithBrowser } from '../sandbox/harness'
import { TestSecretStore } from './secret-store'

/** The app's auth services against a sandbox, with a scripted person at the browser. */
export interface AppAuth extends AuthServices {
  store: TestSecretStore
  /** Who clicks in the browser next ('cancel' clicks Cancel; 'nobody' never answers). */
  nextUser: string
  browserUrls: string[]
  deviceCodes: DeviceCode[]
  accountEvents: Account[][]
}

export function appAuth(
  sandbox: Sandbox,
  options: { store?: TestSecretStore; clientId?: string; deviceUser?: string } = {},
): AppAuth {
  const store = options.store ?? new TestSecretStore(mkdtempSync(join(tmpdir(), 'dsvm-secrets-')))
  const state = {
    nextUser: 'ada@contoso.example',
    browserUrls: [] as string[],
    deviceCodes: [] as DeviceCode[],
    accountEvents: [] as Account[][],
  }
  const services = createAuthServices({
    cloud: sandboxCloud(sandbox),
    clientId: options.clientId ?? resolveClientId('Sandbox'),
    secretStore: store,
    tlsCa: sandbox.caCert,
    armRetryOptions: { maxRetries: 0 },
    openBrowser: async (url) => {
      state.browserUrls.push(url)
      if (state.nextUser === 'nobody') return
      // A browser runs on its own: the app does not wait for the person.
      void signInWithBrowser(url, state.nextUser, sandbox.caCert).catch(() => undefined)
    },
    onDeviceCode: (code) => {
      state.deviceCodes.push(code)
      if (options.deviceUser === 'nobody') return
      void approveDeviceCode(
        code.verificationUri,
        code.userCode,
        state.nextUser,
        sandbox.caCert,
      ).catch(() => undefined)
    },
    onAccountsChanged: (accounts) => state.accountEvents.push(accounts),
  })
  return Object.assign(state, services, { store })
}
