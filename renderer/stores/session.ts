import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Account, AppInfo, DeviceCode } from '../../shared/api'
import type { CloudName } from '../../shared/clouds'
import type { ApiClient } from '../api/client'
import { toApiError, type ApiError } from '../api/api-error'
import type { SettingsStore } from './settings'

export type SignInMethod = 'browser' | 'deviceCode'

/** A sign-in under way: waiting for the browser, or for the device code to be entered. */
export interface SignInProgress {
  method: SignInMethod
  /** Set once main reports the code (device code sign-in only). */
  deviceCode?: DeviceCode
  /** The sign-in page, and whether the system browser opened it (browser sign-in only). */
  page?: { url: string; opened: boolean }
}

export interface SessionState {
  phase: 'loading' | 'ready' | 'failed'
  loadError?: ApiError
  appInfo?: AppInfo
  accounts: Account[]
  signIn?: SignInProgress
  /** Why the last sign-in did not finish (never set for a cancel the user asked for). */
  signInError?: ApiError
  /** Starting the sandbox before signing in to it. */
  startingSandbox: boolean
  /** Accounts being signed out, by id. */
  signingOut: string[]
  signOutError?: ApiError

  load(): Promise<void>
  /** Fetches accounts, settings and app info again, keeping what is shown if that fails. */
  refresh(): Promise<void>
  refreshAccounts(): Promise<void>
  /** Signs in to `cloud` (switching the setting first) or to the current cloud. */
  startSignIn(method: SignInMethod, cloud?: CloudName): Promise<void>
  /** Signs in through one directory, to meet what it asks for (MFA, consent). */
  signInToTenant(tenantId: string): Promise<void>
  /** Gives up waiting for the browser and signs in with a device code instead. */
  switchToDeviceCode(): Promise<void>
  cancelSignIn(): Promise<void>
  exploreSandbox(): Promise<void>
  signOut(accountId: string): Promise<void>
  dismissSignInError(): void
}

export type SessionStore = StoreApi<SessionState>

/**
 * One entry per account id. MSAL lists a multi-tenant account once per tenant profile (same
 * homeAccountId "<oid>.<tid>"); the home tenant's entry is the account.
 */
export function uniqueAccounts(accounts: readonly Account[]): Account[] {
  const byId = new Map<string, Account>()
  for (const account of accounts) {
    const seen = byId.get(account.id)
    const isHome = account.id.endsWith(`.${account.tenantId}`)
    if (!seen || (isHome && !seen.id.endsWith(`.${seen.tenantId}`))) {
      byId.set(account.id, { ...account, signedIn: account.signedIn && (seen?.signedIn ?? true) })
    } else if (!account.signedIn) {
      byId.set(account.id, { ...seen, signedIn: false })
    }
  }
  return [...byId.values()]
}

export function createSessionStore(api: ApiClient, settings: SettingsStore): SessionStore {
  // Each sign-in gets a number; answers for an abandoned one (cancelled, or switched to a
  // device code) arrive late and must not touch the screen.
  let attempt = 0

  const store = createStore<SessionState>()((set, get) => {
    async function run(method: SignInMethod, tenantId?: string): Promise<void> {
      const mine = ++attempt
      set({ signIn: { method }, signInError: undefined })
      try {
        await api.call('auth.signIn', tenantId ? { method, tenantId } : { method })
        if (mine !== attempt) return
        await get().refreshAccounts()
        if (mine === attempt) set({ signIn: undefined })
      } catch (error) {
        if (mine !== attempt) return
        const failure = toApiError(error)
        set({ signIn: undefined, signInError: failure.code === 'Cancelled' ? undefined : failure })
      }
    }

    return {
      phase: 'loading',
      accounts: [],
      startingSandbox: false,
      signingOut: [],

      async load() {
        set({ phase: 'loading', loadError: undefined })
        try {
          const [appInfo, accounts] = await Promise.all([
            api.call('app.info'),
            api.call('auth.accounts'),
            settings.getState().load(),
          ])
          set({ phase: 'ready', appInfo, accounts: uniqueAccounts(accounts) })
        } catch (error) {
          set({ phase: 'failed', loadError: toApiError(error) })
        }
      },

      async refresh() {
        try {
          const [appInfo, accounts] = await Promise.all([
            api.call('app.info'),
            api.call('auth.accounts'),
            settings.getState().load(),
          ])
          set({ appInfo, accounts: uniqueAccounts(accounts) })
        } catch {
          // The next event or the user's next action shows any lasting problem.
        }
      },

      async refreshAccounts() {
        set({ accounts: uniqueAccounts(await api.call('auth.accounts')) })
      },

      async startSignIn(method, cloud) {
        if (cloud && settings.getState().settings?.cloud !== cloud) {
          const mine = ++attempt
          set({ signIn: { method }, signInError: undefined })
          const saved = await settings.getState().update({ cloud })
          if (mine !== attempt) return
          if (!saved) {
            set({ signIn: undefined, signInError: settings.getState().error })
            return
          }
        }
        await run(method)
      },

      async signInToTenant(tenantId) {
        await run('browser', tenantId)
      },

      async switchToDeviceCode() {
        attempt++
        await api.call('auth.cancelSignIn').catch(() => undefined)
        await run('deviceCode')
      },

      async cancelSignIn() {
        attempt++
        set({ signIn: undefined, signInError: undefined })
        await api.call('auth.cancelSignIn').catch(() => undefined)
      },

      async exploreSandbox() {
        set({ startingSandbox: true, signInError: undefined })
        try {
          await api.call('sandbox.start')
          await Promise.all([
            settings.getState().load(),
            api.call('app.info').then((appInfo) => set({ appInfo })),
          ])
        } catch (error) {
          set({ startingSandbox: false, signInError: toApiError(error) })
          return
        }
        set({ startingSandbox: false })
        await run('browser')
      },

      async signOut(accountId) {
        set({ signingOut: [...get().signingOut, accountId], signOutError: undefined })
        try {
          await api.call('auth.signOut', { accountId })
          await get().refreshAccounts()
        } catch (error) {
          set({ signOutError: toApiError(error) })
        } finally {
          set({ signingOut: get().signingOut.filter((id) => id !== accountId) })
        }
      },

      dismissSignInError: () => set({ signInError: undefined }),
    }
  })

  api.on('auth.accountsChanged', (accounts) =>
    store.setState({ accounts: uniqueAccounts(accounts) }),
  )
  api.on('auth.signInPage', (page) => {
    const signIn = store.getState().signIn
    if (signIn?.method === 'browser') store.setState({ signIn: { ...signIn, page } })
  })
  api.on('auth.deviceCode', (deviceCode) => {
    const signIn = store.getState().signIn
    if (signIn?.method === 'deviceCode') store.setState({ signIn: { ...signIn, deviceCode } })
  })
  return store
}
