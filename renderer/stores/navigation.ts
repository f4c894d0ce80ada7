import { createStore, type StoreApi } from 'zustand/vanilla'

/** The screens of the signed-in app. */
export type View = 'pools' | 'create' | 'subscriptions' | 'settings'

export interface NavigationState {
  /** Undefined until the user navigates: the app then picks the sensible first screen. */
  view?: View
  go(view: View): void
  reset(): void
}

export type NavigationStore = StoreApi<NavigationState>

export function createNavigationStore(): NavigationStore {
  return createStore<NavigationState>()((set) => ({
    go: (view) => set({ view }),
    reset: () => set({ view: undefined }),
  }))
}

/** Where a signed-in user lands: choose subscriptions first, then the pools. */
export function currentView(
  view: View | undefined,
  chosenSubscriptionIds: readonly string[],
): View {
  return view ?? (chosenSubscriptionIds.length > 0 ? 'pools' : 'subscriptions')
}
