import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Tenant } from '../../shared/api'
import type { ApiClient } from '../api/client'
import { toApiError, type ApiError } from '../api/api-error'
import type { SettingsStore } from './settings'

export interface SubscriptionsState {
  status: 'idle' | 'loading' | 'loaded' | 'failed'
  tenants: Tenant[]
  error?: ApiError
  query: string
  /** Ticked in the picker, not yet saved. */
  selected: string[]
  saveError?: ApiError
  saving: boolean
  /** Lists tenants and subscriptions; the saved choice becomes the starting selection. */
  load(): Promise<void>
  setQuery(query: string): void
  toggle(subscriptionId: string): void
  /** Saves the ticked subscriptions as the chosen ones; true when saved. */
  save(): Promise<boolean>
  reset(): void
}

export type SubscriptionsStore = StoreApi<SubscriptionsState>

export function createSubscriptionsStore(
  api: ApiClient,
  settings: SettingsStore,
): SubscriptionsStore {
  let generation = 0
  return createStore<SubscriptionsState>()((set, get) => ({
    status: 'idle',
    tenants: [],
    query: '',
    selected: [],
    saving: false,

    async load() {
      const mine = ++generation
      set({ status: 'loading', error: undefined })
      try {
        const tenants = await api.call('subscriptions.list')
        if (mine !== generation) return
        const visible = new Set(tenants.flatMap((t) => t.subscriptions.map((s) => s.id)))
        const chosen = settings.getState().settings?.chosenSubscriptionIds ?? []
        set({ status: 'loaded', tenants, selected: chosen.filter((id) => visible.has(id)) })
      } catch (error) {
        if (mine !== generation) return
        set({ status: 'failed', error: toApiError(error) })
      }
    },

    setQuery: (query) => set({ query }),

    toggle(subscriptionId) {
      const selected = get().selected
      set({
        selected: selected.includes(subscriptionId)
          ? selected.filter((id) => id !== subscriptionId)
          : [...selected, subscriptionId],
      })
    },

    async save() {
      set({ saving: true, saveError: undefined })
      const saved = await settings.getState().update({ chosenSubscriptionIds: get().selected })
      set({ saving: false, saveError: saved ? undefined : settings.getState().error })
      return saved !== undefined
    },

    reset() {
      generation++
      set({
        status: 'idle',
        tenants: [],
        error: undefined,
        query: '',
        selected: [],
        saveError: undefined,
      })
    },
  }))
}
