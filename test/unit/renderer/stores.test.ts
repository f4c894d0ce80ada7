import { describe, expect, it, vi } from 'vitest'
import type { Result } from '../../../shared/contract'
import type { Settings, Tenant } from '../../../shared/api'
import { createApiClient } from '../../../renderer/api/client'
import { createSettingsStore } from '../../../renderer/stores/settings'
import { createSessionStore, uniqueAccounts } from '../../../renderer/stores/session'
import { createSubscriptionsStore } from '../../../renderer/stores/subscriptions'
import { currentView } from '../../../renderer/stores/navigation'
import { deferred, fakeTransport, ok } from './fake-transport'

const settings: Settings = {
  cloud: 'AzureCloud',
  chosenSubscriptionIds: [],
  closeToTray: true,
  theme: 'system',
}
const ada = {
  id: 'oid.tid',
  username: 'ada@contoso.example',
  name: 'Ada Lovelace',
  tenantId: 'tid',
  cloud: 'Sandbox' as const,
  signedIn: true,
}
const sub = (n: number, tenantId = 't1') => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  displayName: `Sub ${n}`,
  tenantId,
  state: 'Enabled',
  accountId: ada.id,
})
const cancelled: Result<never> = {
  ok: false,
  error: { code: 'Cancelled', message: 'Sign-in was cancelled.' },
}

function setup(overrides: Parameters<typeof fakeTransport>[0] = {}) {
  let current = { ...settings }
  let accounts: (typeof ada)[] = []
  const transport = fakeTransport({
    'app.info': () =>
      ok({ version: '0.1.0', platform: 'linux', shell: 'web', sandboxRunning: false }),
    'settings.get': () => ok(current),
    'settings.update': (patch) => ok((current = { ...current, ...(patch as Partial<Settings>) })),
    'auth.accounts': () => ok(accounts),
    'auth.cancelSignIn': () => ok({ cancelled: true }),
    'sandbox.start': () => {
      current = { ...current, cloud: 'Sandbox' }
      return ok({ cloud: 'Sandbox' })
    },
    ...overrides,
  })
  const api = createApiClient(transport, { validate: true })
  const settingsStore = createSettingsStore(api)
  const session = createSessionStore(api, settingsStore)
  const subscriptions = createSubscriptionsStore(api, settingsStore)
  return {
    transport,
    settingsStore,
    session,
    subscriptions,
    setAccounts: (next: (typeof ada)[]) => (accounts = next),
    names: () => transport.calls.map((c) => c.name),
  }
}

describe('session store', () => {
  it('loads app info, accounts and settings together', async () => {
    const { session, settingsStore } = setup()
    await session.getState().load()
    expect(session.getState()).toMatchObject({
      phase: 'ready',
      accounts: [],
      appInfo: { shell: 'web' },
    })
    expect(settingsStore.getState().settings).toEqual(settings)
  })

  it('reports a failed start with the error', async () => {
    const { session } = setup({
      'auth.accounts': () => ({ ok: false, error: { code: 'Unknown', message: 'boom' } }),
    })
    await session.getState().load()
    expect(session.getState()).toMatchObject({
      phase: 'failed',
      loadError: { code: 'Unknown', message: 'boom' },
    })
  })

  it('signs in to the chosen cloud: switches the setting first, waits, then shows the account', async () => {
    const answer = deferred<Result<unknown>>()
    const env = setup({ 'auth.signIn': () => answer.promise })
    await env.session.getState().load()
    const signingIn = env.session.getState().startSignIn('browser', 'AzureUSGovernment')
    expect(env.session.getState().signIn).toEqual({ method: 'browser' })
    await vi.waitFor(() => expect(env.names()).toContain('auth.signIn'), { timeout: 30_000 })
    expect(env.settingsStore.getState().settings?.cloud).toBe('AzureUSGovernment')
    expect(env.session.getState().signIn).toEqual({ method: 'browser' })
    env.setAccounts([ada])
    answer.resolve(ok(ada))
    await signingIn
    expect(env.session.getState()).toMatchObject({
      signIn: undefined,
      signInError: undefined,
      accounts: [ada],
    })
    expect(env.transport.calls.find((c) => c.name === 'auth.signIn')?.input).toEqual({
      method: 'browser',
    })
  })

  it('switching to a device code cancels the browser sign-in and ignores its late Cancelled answer', async () => {
    const browser = deferred<Result<unknown>>()
    const device = deferred<Result<unknown>>()
    const answers = [browser.promise, device.promise]
    const env = setup({
      'auth.signIn': () => answers.shift()!,
      'auth.cancelSignIn': () => {
        browser.resolve(cancelled)
        return ok({ cancelled: true })
      },
    })
    const first = env.session.getState().startSignIn('browser')
    const second = env.session.getState().switchToDeviceCode()
    await first
    await vi.waitFor(() => expect(env.names().filter((n) => n === 'auth.signIn')).toHaveLength(2), {
      timeout: 30_000,
    })
    expect(env.session.getState().signIn).toEqual({ method: 'deviceCode' })
    expect(env.session.getState().signInError).toBeUndefined()

    const code = {
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://localhost:1/devicelogin',
      message: 'Enter ABCD-EFGH',
      expiresOn: '2026-01-01T00:15:00.000Z',
    }
    env.transport.emit('auth.deviceCode', code)
    expect(env.session.getState().signIn).toEqual({ method: 'deviceCode', deviceCode: code })

    env.setAccounts([ada])
    device.resolve(ok(ada))
    await second
    expect(env.session.getState()).toMatchObject({ signIn: undefined, accounts: [ada] })
    expect(env.names().filter((n) => n === 'auth.signIn')).toHaveLength(2)
  })

  it('cancel returns to idle without an error, even though the call answers Cancelled', async () => {
    const browser = deferred<Result<unknown>>()
    const env = setup({ 'auth.signIn': () => browser.promise })
    const signingIn = env.session.getState().startSignIn('browser')
    await env.session.getState().cancelSignIn()
    browser.resolve(cancelled)
    await signingIn
    expect(env.session.getState().signIn).toBeUndefined()
    expect(env.session.getState().signInError).toBeUndefined()
    expect(env.names()).toContain('auth.cancelSignIn')
  })

  it('keeps a failed sign-in as the error to show', async () => {
    const env = setup({
      'auth.signIn': () => ({ ok: false, error: { code: 'Offline', message: 'No network.' } }),
    })
    await env.session.getState().startSignIn('browser')
    expect(env.session.getState().signInError).toMatchObject({ code: 'Offline' })
  })

  it('explore with a sandbox starts the sandbox, reloads settings and signs in there', async () => {
    const env = setup({ 'auth.signIn': () => ok(ada) })
    await env.session.getState().load()
    await env.session.getState().exploreSandbox()
    expect(env.names().slice(-5)).toEqual([
      'sandbox.start',
      'settings.get',
      'app.info',
      'auth.signIn',
      'auth.accounts',
    ])
    expect(env.settingsStore.getState().settings?.cloud).toBe('Sandbox')
    expect(env.session.getState().startingSandbox).toBe(false)
  })

  it('signs out one account and follows accountsChanged events', async () => {
    const env = setup({ 'auth.signOut': () => ok({ signedOut: true }) })
    env.setAccounts([ada])
    await env.session.getState().load()
    env.setAccounts([])
    await env.session.getState().signOut(ada.id)
    expect(env.session.getState()).toMatchObject({ accounts: [], signingOut: [] })
    env.transport.emit('auth.accountsChanged', [{ ...ada, signedIn: false }])
    expect(env.session.getState().accounts[0]?.signedIn).toBe(false)
  })
})

describe('subscriptions store', () => {
  const tenants: Tenant[] = [
    { id: 't1', displayName: 'Contoso', subscriptions: [sub(1), sub(2)] },
    { id: 't2', displayName: 'Fabrikam', subscriptions: [sub(3, 't2')], problem: 'MFA required' },
  ]

  it('starts from the saved choice, keeping only subscriptions still visible', async () => {
    const env = setup({ 'subscriptions.list': () => ok(tenants) })
    await env.settingsStore
      .getState()
      .update({ chosenSubscriptionIds: [sub(2).id, '00000000-0000-4000-8000-000000000009'] })
    await env.subscriptions.getState().load()
    expect(env.subscriptions.getState()).toMatchObject({ status: 'loaded', selected: [sub(2).id] })
  })

  it('toggles and saves the choice through settings.update', async () => {
    const env = setup({ 'subscriptions.list': () => ok(tenants) })
    await env.subscriptions.getState().load()
    env.subscriptions.getState().toggle(sub(3).id)
    env.subscriptions.getState().toggle(sub(1).id)
    env.subscriptions.getState().toggle(sub(3).id)
    await expect(env.subscriptions.getState().save()).resolves.toBe(true)
    expect(env.settingsStore.getState().settings?.chosenSubscriptionIds).toEqual([sub(1).id])
  })

  it('keeps a failure to list as the error, and a later retry clears it', async () => {
    let fail = true
    const env = setup({
      'subscriptions.list': () =>
        fail
          ? { ok: false, error: { code: 'Transient', message: 'ARM answered 503.' } }
          : ok(tenants),
    })
    await env.subscriptions.getState().load()
    expect(env.subscriptions.getState()).toMatchObject({
      status: 'failed',
      error: { code: 'Transient' },
    })
    fail = false
    await env.subscriptions.getState().load()
    expect(env.subscriptions.getState()).toMatchObject({ status: 'loaded', error: undefined })
  })
})

describe('first view', () => {
  it('is the subscription picker until subscriptions are chosen, then the pools', () => {
    expect(currentView(undefined, [])).toBe('subscriptions')
    expect(currentView(undefined, ['x'])).toBe('pools')
    expect(currentView('settings', ['x'])).toBe('settings')
  })
})

describe('account list', () => {
  it('shows an account listed once per tenant profile once, as its home tenant entry', () => {
    const home = { ...ada, id: 'oid.home', tenantId: 'home' }
    const guest = { ...home, tenantId: 'other' }
    expect(uniqueAccounts([guest, home])).toEqual([home])
    expect(uniqueAccounts([home, guest])).toEqual([home])
    expect(uniqueAccounts([home, { ...guest, signedIn: false }])).toEqual([
      { ...home, signedIn: false },
    ])
  })
})

describe('settings store', () => {
  it('shows a change at once and undoes it when main refuses it', async () => {
    const answer = deferred<Result<unknown>>()
    const env = setup({ 'settings.update': () => answer.promise })
    await env.settingsStore.getState().load()
    const saving = env.settingsStore.getState().update({ theme: 'dark' })
    expect(env.settingsStore.getState().settings?.theme).toBe('dark')
    answer.resolve({ ok: false, error: { code: 'Validation', message: 'Invalid input.' } })
    await expect(saving).resolves.toBeUndefined()
    expect(env.settingsStore.getState().settings?.theme).toBe('system')
    expect(env.settingsStore.getState().error).toMatchObject({ code: 'Validation' })
  })
})
