import type { CloudName } from '../../shared/clouds'
import { AppError } from '../../shared/errors'
import type { Sandbox } from '../../sandbox/index'
import type { EventHub } from '../ipc/events'
import { ArmContexts } from './arm-context'
import { createAuthServices, resolveClientId, resolveCloud } from './auth/index'
import type { CloudSession } from './cloud-session'
import type { SecretStore } from './ports'

export interface CloudSessionsDeps {
  /** The cloud and client id chosen in Settings. */
  chosen(): { cloud: CloudName; clientId?: string | undefined }
  /** Starts the embedded sandbox (or returns the running one) when it is the cloud. */
  startSandbox(): Promise<Sandbox>
  env: NodeJS.ProcessEnv
  secretStore: SecretStore
  /** Opens a URL through the link allow-list: opened, refused by the list, or failed. */
  openUrl(url: string): Promise<'opened' | 'refused' | 'failed'>
  events: EventHub
  log(level: 'warn', message: string): void
}

/**
 * The session for the cloud chosen in Settings: sign-in (MSAL) and the ARM contexts of its
 * subscriptions, built anew when the cloud, the client id or the sandbox's address changes.
 */
export function cloudSessions({
  chosen,
  startSandbox,
  env,
  secretStore,
  openUrl,
  events,
  log,
}: CloudSessionsDeps): () => Promise<CloudSession> {
  let current: { key: string; session: CloudSession } | undefined
  return async function session(): Promise<CloudSession> {
    const { cloud: cloudName, clientId: settingsClientId } = chosen()
    const running = cloudName === 'Sandbox' ? await startSandbox() : undefined
    const cloud = resolveCloud(cloudName, running)
    const clientId = resolveClientId(cloudName, { settings: settingsClientId, env })
    const key = `${cloudName}|${clientId}|${cloud.authorityHost}`
    if (current?.key === key) return current.session
    const services = createAuthServices({
      cloud,
      clientId,
      secretStore,
      openBrowser: async (url) => {
        const outcome = await openUrl(url)
        if (outcome === 'refused') {
          throw new AppError(
            'Forbidden',
            'The sign-in page is not on the list of addresses the app opens.',
          )
        }
        // Opened or not, the page is shown as an address to click or copy; MSAL keeps
        // waiting for the redirect either way.
        events.emit('auth.signInPage', { url, opened: outcome === 'opened' })
      },
      onDeviceCode: (code) => events.emit('auth.deviceCode', code),
      onAccountsChanged: (accounts) => events.emit('auth.accountsChanged', accounts),
      ...(running ? { tlsCa: running.caCert } : {}),
      log: (message) => log('warn', message),
    })
    const tlsCa = running?.caCert
    const arm = new ArmContexts({
      cloud,
      ...(tlsCa ? { tlsCa } : {}),
      listTenants: () => services.subscriptions.list(),
      credential: (accountId, tenantId) => services.auth.credential(accountId, tenantId),
    })
    current = {
      key,
      session: { ...services, cloud, arm, ...(tlsCa ? { tlsCa } : {}) },
    }
    return current.session
  }
}
