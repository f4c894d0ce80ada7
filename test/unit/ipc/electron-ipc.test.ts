import { describe, expect, it, vi } from 'vitest'
import type { Settings } from '../../../shared/api'
import { eventChannel, invokeChannel } from '../../../electron/ipc/channels'
import {
  bindIpc,
  forwardEvents,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../electron/ipc/electron-ipc'
import { createEventHub } from '../../../electron/ipc/events'
import type { Router } from '../../../electron/ipc/router'
import { isTrustedSenderFrame } from '../../../electron/desktop/trusted-sender'

/** ipcMain as far as bindIpc uses it. */
function fakeIpcMain() {
  const handlers = new Map<
    string,
    (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>
  >()
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  }
  const invoke = (url: string | null, parent: unknown, ...args: unknown[]) =>
    handlers.get(invokeChannel)!({ senderFrame: url === null ? null : { url, parent } }, ...args)
  return { ipcMain, handlers, invoke }
}

const pageUrl = 'app://dsvm/index.html'

describe('Electron IPC binding', () => {
  function bound() {
    const fake = fakeIpcMain()
    const router: Router = {
      call: vi.fn(async () => ({ ok: true as const, value: { version: '1' } })),
    }
    const unbind = bindIpc({
      ipcMain: fake.ipcMain,
      router,
      isTrustedSender: (frame) => isTrustedSenderFrame(frame, pageUrl),
    })
    return { ...fake, router, unbind }
  }

  it('routes a call from the app’s own page', async () => {
    const { invoke, router } = bound()
    await expect(invoke('app://dsvm/index.html#/pools', null, 'app.info', {})).resolves.toEqual({
      ok: true,
      value: { version: '1' },
    })
    expect(router.call).toHaveBeenCalledWith('app.info', {})
  })

  it.each([
    ['another site', 'https://evil.example/', null],
    ['a file:// page', 'file:///tmp/index.html', null],
    ['a look-alike host', 'app://dsvm.evil/index.html', null],
    ['an iframe inside the app page', 'app://dsvm/index.html', { url: pageUrl }],
    ['a destroyed frame', null, null],
  ])('refuses a call from %s with Forbidden before routing', async (_label, url, parent) => {
    const { invoke, router } = bound()
    await expect(invoke(url, parent, 'app.info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    })
    expect(router.call).not.toHaveBeenCalled()
  })

  it('unbinds', () => {
    const { handlers, unbind } = bound()
    unbind()
    expect(handlers.has(invokeChannel)).toBe(false)
  })
})

describe('event hub', () => {
  it('sends each event to every target on the event channel', () => {
    const hub = createEventHub()
    const a = { send: vi.fn() }
    const b = { send: vi.fn() }
    forwardEvents(hub, () => [a, b])
    const settings: Settings = {
      cloud: 'Sandbox',
      chosenSubscriptionIds: [],
      closeToTray: false,
      theme: 'dark',
    }
    hub.emit('settings.changed', settings)
    expect(a.send).toHaveBeenCalledWith(eventChannel, 'settings.changed', settings)
    expect(b.send).toHaveBeenCalledWith(eventChannel, 'settings.changed', settings)
  })

  it('drops a payload its schema refuses and strips undeclared fields', () => {
    const onInvalidPayload = vi.fn()
    const hub = createEventHub({ onInvalidPayload })
    const listener = vi.fn()
    hub.subscribe(listener)
    hub.emit('auth.accountsChanged', 'nope' as never)
    expect(listener).not.toHaveBeenCalled()
    expect(onInvalidPayload).toHaveBeenCalledOnce()
    const code = {
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://microsoft.com/devicelogin',
      message: 'Enter ABCD-EFGH',
      expiresOn: '2026-01-01T00:00:00Z',
      deviceCode: 'must-not-leave-main',
    }
    hub.emit('auth.deviceCode', code)
    expect(listener).toHaveBeenCalledWith(
      'auth.deviceCode',
      expect.not.objectContaining({ deviceCode: expect.anything() }),
    )
  })

  it('keeps delivering when one listener throws, and unsubscribes', () => {
    const hub = createEventHub()
    const good = vi.fn()
    hub.subscribe(() => {
      throw new Error('window gone')
    })
    const unsubscribe = hub.subscribe(good)
    hub.emit('auth.accountsChanged', [])
    expect(good).toHaveBeenCalledOnce()
    unsubscribe()
    hub.emit('auth.accountsChanged', [])
    expect(good).toHaveBeenCalledOnce()
  })
})
