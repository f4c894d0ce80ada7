import type { Account, Settings, SettingsUpdate } from '../../shared/api'
import type { CloudName } from '../../shared/clouds'
import type { EventHub } from '../ipc/events'
import type { SettingsStore } from './settings-store'

export interface SettingsUpdatesDeps {
  settings: Pick<SettingsStore, 'get' | 'update'>
  events: EventHub
  /** The accounts of the session for the cloud now chosen. */
  accounts(): Promise<Account[]>
  /** The chosen subscriptions changed: the poller looks at them now. */
  onSubscriptionsChanged(): void
  log(level: 'warn', message: string): void
}

/** Saving a settings change and telling every window, the poller and the renderer's sign-in. */
export function settingsUpdates({
  settings,
  events,
  accounts,
  onSubscriptionsChanged,
  log,
}: SettingsUpdatesDeps) {
  /** After the cloud or client id changed: tell the renderer whose accounts it now sees. */
  async function announceAccounts(): Promise<void> {
    try {
      events.emit('auth.accountsChanged', await accounts())
    } catch (error) {
      log('warn', `Accounts could not be listed after a settings change: ${(error as Error).name}`)
    }
  }

  function updateSettings(patch: SettingsUpdate): Settings {
    const before = settings.get()
    const after = settings.update(patch)
    events.emit('settings.changed', after)
    if (before.chosenSubscriptionIds.join() !== after.chosenSubscriptionIds.join())
      onSubscriptionsChanged()
    if (before.cloud !== after.cloud || before.clientId !== after.clientId) void announceAccounts()
    return after
  }

  async function switchCloud(cloud: CloudName): Promise<void> {
    if (settings.get().cloud !== cloud) updateSettings({ cloud })
  }

  return { updateSettings, switchCloud }
}
