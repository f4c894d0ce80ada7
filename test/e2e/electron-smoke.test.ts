import { accessSync, constants, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * The packaged shell itself, through Playwright's Electron driver: the window opens the
 * renderer from app://, the preload exposes only invoke/on, the renderer has no Node, and a
 * call round-trips through the validating IPC router. Runs wherever an Electron binary is
 * installed; machines without one (CI here, ELECTRON_SKIP_BINARY_DOWNLOAD=1) skip it.
 */

const root = resolve(import.meta.dirname, '../..')

/**
 * Where `require('electron')` would point, without requiring it: the electron package's
 * index.js tries to download the binary when it is missing, which a test must not do.
 */
function electronBinary(): { path?: string; reason?: string } {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile))
    return { reason: 'no Electron binary installed (ELECTRON_SKIP_BINARY_DOWNLOAD)' }
  const relative = readFileSync(pathFile, 'utf8').trim()
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist')
  const binary = join(dist, relative)
  try {
    accessSync(binary, constants.X_OK)
  } catch {
    return { reason: `the Electron binary ${binary} is missing or not executable` }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display to open a window on (set DISPLAY, e.g. with xvfb-run)' }
  }
  if (!existsSync(join(root, 'out', 'main', 'main.js'))) {
    return { reason: 'the app is not built (run npm run build first)' }
  }
  return { path: binary }
}

const binary = electronBinary()
const title = binary.path
  ? 'Electron smoke test'
  : `Electron smoke test — skipped: ${binary.reason}`

describe.skipIf(!binary.path)(title, () => {
  let app: ElectronApplication
  let page: Page

  beforeAll(async () => {
    app = await electron.launch({
      executablePath: binary.path!,
      args: [root],
      cwd: root,
      env: {
        ...process.env,
        DSVM_USER_DATA_DIR: mkdtempSync(join(tmpdir(), 'dsvm-electron-')),
      } as Record<string, string>,
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  })
  afterAll(async () => {
    await app?.close()
  })

  it('shows the renderer from app://', async () => {
    expect(page.url()).toMatch(/^app:\/\/dsvm\//)
    expect(await page.title()).toBe('DSVM Pool Manager')
  })

  it('runs the page isolated and sandboxed, without Node', async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as unknown as { dsvm: object }).dsvm).sort(),
    }))
    expect(globals).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: ['invoke', 'on'],
    })
  })

  it('answers a call through the IPC router, and refuses an unknown one', async () => {
    const results = await page.evaluate(async () => {
      const dsvm = (
        globalThis as unknown as {
          dsvm: { invoke(name: string, input: unknown): Promise<unknown> }
        }
      ).dsvm
      return [await dsvm.invoke('app.info', {}), await dsvm.invoke('pools.deleteEverything', {})]
    })
    expect(results[0]).toMatchObject({ ok: true, value: { shell: 'electron' } })
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'Validation' } })
  })

  it('does not navigate away from the app', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/'
    })
    // Had the page navigated, this would run in another document (or fail): it must still be ours.
    const stillHere = await page.evaluate(async () => {
      const dsvm = (
        globalThis as unknown as {
          dsvm: { invoke(name: string, input: unknown): Promise<unknown> }
        }
      ).dsvm
      return { url: location.href, info: await dsvm.invoke('app.info', {}) }
    })
    expect(stillHere.url).toMatch(/^app:\/\/dsvm\//)
    expect(stillHere.info).toMatchObject({ ok: true })
  })
})
