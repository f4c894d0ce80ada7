import { describe, expect, it } from 'vitest'
import { buildWindowOptions, minimumWindowSize } from '../../../electron/desktop/window-options'
import {
  fitToDisplays,
  loadWindowBounds,
  saveWindowBounds,
} from '../../../electron/desktop/window-state'
import { isAppPage, isTrustedSenderFrame } from '../../../electron/desktop/trusted-sender'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

describe('main window options', () => {
  const options = buildWindowOptions({
    preloadPath: '/app/out/preload/preload.cjs',
    bounds: undefined,
  })
  const web = options.webPreferences!

  it('isolates and sandboxes the renderer, without Node', () => {
    expect(web.contextIsolation).toBe(true)
    expect(web.sandbox).toBe(true)
    expect(web.nodeIntegration).toBe(false)
    expect(web.nodeIntegrationInWorker).toBe(false)
    expect(web.nodeIntegrationInSubFrames).toBe(false)
  })

  it('keeps web security on and refuses insecure content, experimental features and <webview>', () => {
    expect(web.webSecurity).toBe(true)
    expect(web.allowRunningInsecureContent).toBe(false)
    expect(web.experimentalFeatures).toBe(false)
    expect(web.webviewTag).toBe(false)
    expect(web.navigateOnDragDrop).toBe(false)
    expect(web).not.toHaveProperty('enableBlinkFeatures')
  })

  it('keeps DevTools closed unless a development build asks for them', () => {
    expect(web.devTools).toBe(false)
    const development = buildWindowOptions({
      preloadPath: '/p.cjs',
      bounds: undefined,
      devTools: true,
    })
    expect(development.webPreferences!.devTools).toBe(true)
  })

  it('loads the preload it was given and nothing else', () => {
    expect(web.preload).toBe('/app/out/preload/preload.cjs')
  })

  it('starts hidden (shown when ready) and centred at the default size without remembered bounds', () => {
    expect(options.show).toBe(false)
    expect(options.center).toBe(true)
    expect(options.width).toBeGreaterThanOrEqual(minimumWindowSize.width)
  })

  it('uses remembered bounds', () => {
    const bounds = { x: 100, y: 80, width: 1300, height: 900, maximized: false }
    const restored = buildWindowOptions({ preloadPath: '/p.cjs', bounds })
    expect(restored).toMatchObject({ x: 100, y: 80, width: 1300, height: 900 })
    expect(restored.center).toBeUndefined()
  })
})

describe('remembered window bounds', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }]

  it('round-trips through the state file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dsvm-window-')), 'nested', 'window-state.json')
    const bounds = { x: 10, y: 20, width: 1000, height: 700, maximized: true }
    saveWindowBounds(file, bounds)
    expect(loadWindowBounds(file)).toEqual(bounds)
  })

  it('ignores a missing or corrupt state file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsvm-window-'))
    expect(loadWindowBounds(join(dir, 'none.json'))).toBeUndefined()
    writeFileSync(join(dir, 'bad.json'), '{"x": "left"}')
    expect(loadWindowBounds(join(dir, 'bad.json'))).toBeUndefined()
  })

  it('drops bounds whose title bar is on no screen (a monitor was unplugged)', () => {
    expect(
      fitToDisplays({ x: 2500, y: 100, width: 1000, height: 700, maximized: false }, screens),
    ).toBeUndefined()
  })

  it('shrinks bounds larger than the screen', () => {
    expect(
      fitToDisplays({ x: 0, y: 0, width: 4000, height: 3000, maximized: false }, screens),
    ).toMatchObject({
      width: 1920,
      height: 1080,
    })
  })

  it('keeps bounds on a second screen', () => {
    const two = [...screens, { x: 1920, y: 0, width: 2560, height: 1440 }]
    const bounds = { x: 2000, y: 100, width: 1200, height: 800, maximized: false }
    expect(fitToDisplays(bounds, two)).toEqual(bounds)
  })
})

describe('IPC sender check', () => {
  const page = 'app://dsvm/index.html'

  it('accepts the app page (any route) in the main frame', () => {
    expect(isTrustedSenderFrame({ url: 'app://dsvm/index.html#/pools', parent: null }, page)).toBe(
      true,
    )
    expect(isAppPage('http://localhost:5173/', 'http://localhost:5173/')).toBe(true)
  })

  it.each([
    ['another origin', { url: 'https://portal.azure.com/', parent: null }],
    ['another app host', { url: 'app://other/index.html', parent: null }],
    ['a file page', { url: 'file:///index.html', parent: null }],
    ['a sub-frame', { url: 'app://dsvm/index.html', parent: { url: page } }],
    ['a frame that is gone', null],
  ])('refuses %s', (_label, frame) => {
    expect(isTrustedSenderFrame(frame, page)).toBe(false)
  })

  it('tells dev-server ports apart', () => {
    expect(isAppPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
  })
})
