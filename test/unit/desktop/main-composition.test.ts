import type { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

/*
 * electron/main.ts wired against a recording stand-in for the 'electron' module (no binary
 * here): what it registers before ready, the window it opens, the IPC sender check, the
 * app:// protocol with its CSP, permissions, navigation and new-window denial, and the
 * remembered bounds. The real binary is exercised by test/e2e/electron-smoke.test.ts.
 */

const fake = vi.hoisted(() => {
  const userData = { dir: '' }
  const calls: Array<[string, unknown]> = []
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>()
  const state: {
    protocolHandler?: (request: Request) => Promise<Response>
    permissionCheck?: (wc: unknown, permission: string, origin: string) => boolean
    permissionRequest?: (
      wc: unknown,
      permission: string,
      cb: (ok: boolean) => void,
      details: { requestingUrl: string },
    ) => void
    windows: Array<{
      options: unknown
      webContents: unknown
      emit(name: string, ...args: unknown[]): boolean
      loaded?: string
    }>
  } = { windows: [] }
  return { userData, calls, ipcHandlers, state }
})

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  class FakeApp extends Emitter {
    isPackaged = false
    getPath = () => fake.userData.dir
    setPath = (name: string, value: string) => fake.calls.push(['setPath', { name, value }])
    getVersion = () => '9.9.9'
    getName = () => 'DSVM Pool Manager'
    setAppUserModelId = (id: string) => fake.calls.push(['appUserModelId', id])
    enableSandbox = () => fake.calls.push(['enableSandbox', true])
    requestSingleInstanceLock = () => {
      fake.calls.push(['singleInstanceLock', true])
      return true
    }
    whenReady = () => Promise.resolve()
    quit = () => fake.calls.push(['quit', true])
    exit = () => undefined
  }
  class FakeWebContents extends Emitter {
    openHandler?: (details: { url: string }) => { action: string }
    sent: unknown[][] = []
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler
    }
    send(...args: unknown[]) {
      this.sent.push(args)
    }
  }
  class FakeWindow extends Emitter {
    static all: FakeWindow[] = []
    static getAllWindows = () => FakeWindow.all
    webContents = new FakeWebContents()
    loaded?: string
    constructor(readonly options: unknown) {
      super()
      FakeWindow.all.push(this)
      fake.state.windows.push(this)
    }
    isDestroyed = () => false
    maximize = () => undefined
    show = () => undefined
    hide = () => fake.calls.push(['hide', true])
    isVisible = () => true
    loadURL(url: string) {
      this.loaded = url
      return Promise.resolve()
    }
    getNormalBounds = () => ({ x: 40, y: 30, width: 1111, height: 777 })
    isMaximized = () => true
  }
  return {
    app: new FakeApp(),
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => fake.calls.push(['privileged', schemes]),
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => {
        fake.state.protocolHandler = handler
      },
    },
    ipcMain: {
      handle: (
        channel: string,
        handler: (event: unknown, ...args: unknown[]) => Promise<unknown>,
      ) => fake.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
    },
    shell: { openExternal: async (url: string) => void fake.calls.push(['openExternal', url]) },
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: () => Buffer.alloc(0),
      decryptString: () => '',
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof fake.state.permissionRequest) => {
          fake.state.permissionRequest = handler
        },
        setPermissionCheckHandler: (handler: typeof fake.state.permissionCheck) => {
          fake.state.permissionCheck = handler
        },
        setDevicePermissionHandler: () => undefined,
        webRequest: { onHeadersReceived: () => undefined },
      },
    },
    Notification: { isSupported: () => false },
    // The tray (electron/desktop/tray.ts): recorded, not shown.
    nativeImage: { createFromPath: (path: string) => ({ path }) },
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu: (menu: { template: unknown[] }) =>
        fake.calls.push(['applicationMenu', menu.template]),
    },
    dialog: {
      showMessageBox: async (...args: unknown[]) => {
        fake.calls.push(['messageBox', args.at(-1)])
        return { response: 0 }
      },
    },
    Tray: class extends Emitter {
      constructor(image: unknown) {
        super()
        fake.calls.push(['tray', image])
      }
      setImage() {}
      setToolTip(tooltip: string) {
        fake.calls.push(['trayTooltip', tooltip])
      }
      setContextMenu() {}
      destroy() {}
    },
  }
})

describe('electron/main.ts composition', () => {
  const invoke = (url: string | null, name: unknown, input: unknown, parent: unknown = null) =>
    fake.ipcHandlers.get('dsvm:invoke')!(
      { senderFrame: url === null ? null : { url, parent } },
      name,
      input,
    )

  beforeAll(async () => {
    fake.userData.dir = mkdtempSync(join(tmpdir(), 'dsvm-main-'))
    delete process.env.ELECTRON_RENDERER_URL
    await import('../../../electron/main')
    await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1), { timeout: 30_000 })
  })
  afterAll(() => {
    vi.doUnmock('electron')
  })

  it('sandboxes every renderer, registers app:// as a standard, secure scheme and takes the single-instance lock', () => {
    expect(fake.calls).toContainEqual([
      'privileged',
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
    ])
    expect(fake.calls).toContainEqual(['singleInstanceLock', true])
    expect(fake.calls).toContainEqual(['enableSandbox', true])
  })

  it('has an application menu with the update check and an About dialog that shows the version', async () => {
    await vi.waitFor(() =>
      expect(fake.calls.some(([name]) => name === 'applicationMenu')).toBe(true),
    )
    const menu = fake.calls.find(([name]) => name === 'applicationMenu')![1] as Array<{
      label?: string
      submenu?: Array<{ label?: string; click?: () => void }>
    }>
    const items = menu.flatMap((m) => m.submenu ?? [])
    const about = items.find((i) => i.label === 'About DSVM Pool Manager')!
    about.click!()
    await vi.waitFor(() => expect(fake.calls.some(([name]) => name === 'messageBox')).toBe(true))
    expect(fake.calls.find(([name]) => name === 'messageBox')![1]).toMatchObject({
      title: 'About DSVM Pool Manager',
      message: 'DSVM Pool Manager 9.9.9',
      detail: expect.stringContaining('Version 9.9.9'),
    })
    // Not installed (npm start): the update check says where updates come from.
    items.find((i) => i.label === 'Check for Updates…')!.click!()
    await vi.waitFor(() =>
      expect(fake.calls).toContainEqual([
        'messageBox',
        expect.objectContaining({ message: 'Updates are checked in the installed app only.' }),
      ]),
    )
  })

  it('opens one hardened window on app://dsvm/index.html', () => {
    const [window] = fake.state.windows
    expect(window!.loaded).toBe('app://dsvm/index.html')
    expect(window!.options).toMatchObject({
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        devTools: false,
      },
    })
  })

  it('answers calls from the app page only', async () => {
    await expect(invoke('app://dsvm/index.html', 'app.info', {})).resolves.toMatchObject({
      ok: true,
      value: { shell: 'electron', version: '9.9.9', sandboxRunning: false },
    })
    await expect(invoke('https://evil.example/', 'app.info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    })
    await expect(
      invoke('app://dsvm/index.html', 'app.info', {}, { url: 'app://dsvm/' }),
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'Forbidden' },
    })
    await expect(invoke('app://dsvm/index.html', 'nope', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    })
  })

  it('warns in app.info when there is no keyring to encrypt tokens with', async () => {
    await expect(invoke('app://dsvm/index.html', 'app.info', {})).resolves.toMatchObject({
      value: { secretStorageWarning: expect.stringContaining('basic_text') },
    })
  })

  it('pushes events to the window', async () => {
    await invoke('app://dsvm/index.html', 'settings.update', { theme: 'dark' })
    const contents = fake.state.windows[0]!.webContents as { sent: unknown[][] }
    expect(contents.sent).toContainEqual([
      'dsvm:event',
      'settings.changed',
      expect.objectContaining({ theme: 'dark' }),
    ])
  })

  it('serves the renderer over app:// with the strict CSP, and nothing outside it', async () => {
    const page = await fake.state.protocolHandler!(new Request('app://dsvm/index.html'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';")
    const outside = await fake.state.protocolHandler!(new Request('app://dsvm/%2e%2e/package.json'))
    expect(outside.status).toBe(404)
    const otherHost = await fake.state.protocolHandler!(new Request('app://other/index.html'))
    expect(otherHost.status).toBe(404)
  })

  it('denies permissions except clipboard writes from the app page', () => {
    expect(fake.state.permissionCheck!(null, 'clipboard-sanitized-write', 'app://dsvm')).toBe(true)
    expect(fake.state.permissionCheck!(null, 'media', 'app://dsvm')).toBe(false)
    const answers: boolean[] = []
    fake.state.permissionRequest!(null, 'geolocation', (ok) => answers.push(ok), {
      requestingUrl: 'app://dsvm/',
    })
    expect(answers).toEqual([false])
  })

  it('keeps the window on the app and sends allowed new-window links to the browser', async () => {
    const window = fake.state.windows[0]!
    const contents = window.webContents as EventEmitter & {
      openHandler: (details: { url: string }) => { action: string }
    }
    const prevented = vi.fn()
    contents.emit('will-navigate', { url: 'https://evil.example/', preventDefault: prevented })
    expect(prevented).toHaveBeenCalled()
    expect(contents.openHandler({ url: 'https://portal.azure.com/' })).toEqual({ action: 'deny' })
    expect(contents.openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    await vi.waitFor(
      () => expect(fake.calls).toContainEqual(['openExternal', 'https://portal.azure.com/']),
      { timeout: 30_000 },
    )
    expect(fake.calls).not.toContainEqual(['openExternal', 'https://evil.example/'])
  })

  it('remembers the window bounds when it closes, and keeps running in the tray', () => {
    let prevented = false
    fake.state.windows[0]!.emit('close', { preventDefault: () => (prevented = true) })
    // closeToTray is on by default: the window hides instead of closing.
    expect(prevented).toBe(true)
    expect(fake.calls).toContainEqual(['hide', true])
    expect(fake.calls.some(([name]) => name === 'tray')).toBe(true)
    const saved = JSON.parse(readFileSync(join(fake.userData.dir, 'window-state.json'), 'utf8'))
    expect(saved).toEqual({ x: 40, y: 30, width: 1111, height: 777, maximized: true })
  })
})
