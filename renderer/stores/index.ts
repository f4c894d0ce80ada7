import { useStore } from 'zustand'
import { api } from '../api'
import type { ApiClient } from '../api/client'
import { createNavigationStore, type NavigationState } from './navigation'
import { createSessionStore, type SessionState } from './session'
import { createSettingsStore, type SettingsState } from './settings'
import { createSubscriptionsStore, type SubscriptionsState } from './subscriptions'

/** Every store of the app, wired to one API client. */
export function createStores(client: ApiClient) {
  const settings = createSettingsStore(client)
  const session = createSessionStore(client, settings)
  const subscriptions = createSubscriptionsStore(client, settings)
  const navigation = createNavigationStore()
  return { settings, session, subscriptions, navigation }
}

export const stores = createStores(api)

export const useSession = <T>(selector: (state: SessionState) => T): T =>
  useStore(stores.session, selector)
export const useSettings = <T>(selector: (state: SettingsState) => T): T =>
  useStore(stores.settings, selector)
export const useSubscriptions = <T>(selector: (state: SubscriptionsState) => T): T =>
  useStore(stores.subscriptions, selector)
export const useNavigation = <T>(selector: (state: NavigationState) => T): T =>
  useStore(stores.navigation, selector)
