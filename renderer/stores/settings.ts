import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Settings, SettingsUpdate } from '../../shared/api'
import type { ApiClient } from '../api/client'
import { toApiError, type ApiError } from '../api/api-error'

export interface SettingsState {
  settings?: Settings
  /** The last failed update, shown next to what the user changed. */
  error?: ApiError
  saving: boolean
  load(): Promise<void>
  /** Saves a change; resolves with the saved settings, or undefined when it failed. */
  update(patch: SettingsUpdate): Promise<Settings | undefined>
  dismissError(): void
}

export type SettingsStore = StoreApi<SettingsState>

export function createSettingsStore(api: ApiClient): SettingsStore {
  const store = createStore<SettingsState>()((set, get) => ({
    saving: false,
    async load() {
      set({ settings: await api.call('settings.get') })
    },
    async update(patch) {
      // Shown at once (a radio button must not snap back while main saves); undone if refused.
      const before = get().settings
      set({
        saving: true,
        error: undefined,
        ...(before ? { settings: applyUpdate(before, patch) } : {}),
      })
      try {
        const settings = await api.call('settings.update', patch)
        set({ settings, saving: false })
        return settings
      } catch (error) {
        set({ saving: false, error: toApiError(error), ...(before ? { settings: before } : {}) })
        return undefined
      }
    },
    dismissError: () => set({ error: undefined }),
  }))
  api.on('settings.changed', (settings) => store.setState({ settings }))
  return store
}

/** What the settings will be once main accepts `patch` (clientId null: back to the default). */
function applyUpdate(settings: Settings, patch: SettingsUpdate): Settings {
  const { clientId, ...rest } = patch
  const next: Settings = { ...settings, ...rest }
  if (clientId === null) delete next.clientId
  else if (clientId !== undefined) next.clientId = clientId
  return next
}
