import type { AppInfo, Settings, SettingsUpdate } from '../../shared/api'
import type { CloudSession } from '../azure/cloud-session'
import type { SandboxRunner } from '../embedded-sandbox/sandbox-runner'
import type { HandlersFor } from '../ipc/handlers'
import type { SettingsStore } from './settings-store'

export interface SettingsHandlerDeps {
  options: {
    shell: AppInfo['shell']
    version: string
    platform: NodeJS.Platform
    secretStorageWarning?: string
  }
  session(): Promise<CloudSession>
  sandbox: SandboxRunner
  settings: SettingsStore
  updateSettings(patch: SettingsUpdate): Settings
}

/** app.* and settings.*: what the app is and runs on, and the person's preferences. */
export function settingsHandlers({
  options,
  session,
  sandbox,
  settings,
  updateSettings,
}: SettingsHandlerDeps) {
  return {
    'app.info': async () => {
      const warning =
        options.secretStorageWarning ??
        (await session()
          .then((s) => s.storageWarning)
          .catch(() => undefined))
      return {
        version: options.version,
        platform: platformOf(options.platform),
        shell: options.shell,
        sandboxRunning: sandbox.current !== undefined,
        ...(warning ? { secretStorageWarning: warning } : {}),
      }
    },
    'settings.get': () => settings.get(),
    'settings.update': (patch) => updateSettings(patch),
  } satisfies HandlersFor<'app'> & HandlersFor<'settings'>
}

function platformOf(platform: NodeJS.Platform): AppInfo['platform'] {
  return platform === 'win32' || platform === 'darwin' || platform === 'linux' ? platform : 'other'
}
