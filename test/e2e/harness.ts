import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { AppServicesOptions } from '../../electron/app-services'
import type { LaunchSpec } from '../../electron/connect/launcher'
import { accountKeys } from '../../sandbox/arm/storage/accounts'
import type { Sandbox, SandboxOptions } from '../../sandbox/index'
import { startWebApp, type WebApp } from '../../electron/web/web-app'
import { RecordingLauncher } from '../unit/connect/fake-launcher'
import { expectAccessible } from './axe'
import { launchBrowser } from './browser'
import { ensureRendererBuilt } from './build-renderer'
import { passwordsIn, scanFootprint, type KnownSecret, type ScanReport } from './secret-scan'

export const screenshotDir = resolve(import.meta.dirname, '../../test-results/screenshots')
/** One report per app the E2E tests started; secret-scan-setup.ts sums them up. */
export const secretScanDir = resolve(import.meta.dirname, '../../test-results/secret-scan')

/**
 * Records the pages the app asks the system browser to open (the sign-in page, links), so
 * a test can open them in the browser the way a person would.
 */
export class FakeSystemBrowser {
  readonly opened: string[] = []
  /** Set: nothing opens (as with no display, or xdg-open without a browser) and opening fails. */
  failing = false
  private waiters: Array<{ from: number; resolve: (url: string) => void }> = []

  readonly open = async (url: string): Promise<void> => {
    if (this.failing) throw new Error('xdg-open: no method available for opening the URL')
    this.opened.push(url)
    for (const waiter of this.waiters.splice(0)) {
      if (this.opened.length > waiter.from) waiter.resolve(this.opened[waiter.from]!)
      else this.waiters.push(waiter)
    }
  }

  /** The next URL opened after `count` URLs have been seen (default: the next new one). */
  next(count = this.opened.length): Promise<string> {
    if (this.opened.length > count) return Promise.resolve(this.opened[count]!)
    return new Promise((resolve) => this.waiters.push({ from: count, resolve }))
  }
}

export interface AppUnderTest {
  browser: Browser
  context: BrowserContext
  page: Page
  app: WebApp
  systemBrowser: FakeSystemBrowser
  /** Uncaught exceptions and console errors of the app's page (CSP violations show here too). */
  pageErrors: string[]
  /** The embedded sandbox, once the app started it. */
  sandbox(): Sandbox
  /**
   * Stops the app, then searches what it wrote and started for secrets (secret-scan.ts) and
   * throws when it finds one.
   */
  close(): Promise<void>
}

export interface StartOptions {
  /** Start with the sandbox running and the Sandbox cloud chosen (`start:web --sandbox`). */
  sandbox?: boolean
  /**
   * Options for the embedded sandbox when it starts (seed, timeScale ...). Without them the
   * sandbox starts empty; `{}` leaves the seed to the app (the demo seed).
   */
  sandboxOptions?: SandboxOptions
  /** Another app's sandbox: a teammate's app on the same "Azure" (team tests). */
  sharedSandbox?: Sandbox
  /** Pool poller timing (tests that watch pools change use a fast poller). */
  pools?: AppServicesOptions['pools']
  /** A recording launcher and a temporary ~/.ssh for connect tests. */
  connect?: Pick<AppServicesOptions, 'launcher' | 'sshDir' | 'downloadsDir'>
  /** False: terminals started by the app would not reach the person's screen (default true). */
  screenReachable?: boolean
}

/**
 * The whole app as `npm run start:web` runs it, in this process: app services and the web
 * host on 127.0.0.1 with a fresh preferences folder, the sandbox started on demand, and a
 * headless Chromium page showing the renderer. The system browser is a fake that records
 * sign-in URLs.
 */
export async function startAppUnderTest(options: StartOptions = {}): Promise<AppUnderTest> {
  const rendererDir = await ensureRendererBuilt()
  // Everything the app may write lives under one scratch folder: nothing reaches the real
  // ~/.ssh or Downloads, and the secret scan reads it all at the end.
  const scratch = mkdtempSync(join(tmpdir(), 'dsvm-e2e-'))
  const dataDir = join(scratch, 'data')
  const logFile = join(scratch, 'logs', 'main.log')
  const exportsDir = join(scratch, 'exports')
  mkdirSync(join(scratch, 'logs'))
  const connect = {
    launcher: new RecordingLauncher(),
    sshDir: join(scratch, '.ssh'),
    downloadsDir: join(scratch, 'Downloads'),
    ...options.connect,
  }
  const systemBrowser = new FakeSystemBrowser()
  const app = await startWebApp({
    rendererDir,
    dataDir,
    sandbox: options.sandbox ?? false,
    sandboxOptions: options.sandboxOptions ?? { seed: 'empty' },
    ...(options.sharedSandbox ? { sharedSandbox: options.sharedSandbox } : {}),
    ...(options.pools ? { pools: options.pools } : {}),
    connect,
    openExternal: systemBrowser.open,
    screenReachable: () => options.screenReachable ?? true,
    env: {},
    log: (level, message) => appendFileSync(logFile, `${level} ${message}\n`),
  })
  const browser = await launchBrowser()
  // The sandbox's certificate is self-signed: its sign-in pages need the exception a person
  // would click through.
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1100, height: 720 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`)
  })
  // Passwords the page sends to main are secrets the app must never write down.
  const passwords = new Set<string>()
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return
      try {
        for (const password of passwordsIn((JSON.parse(payload) as { input?: unknown }).input))
          passwords.add(password)
      } catch {
        // not a call frame
      }
    }),
  )
  // Exported files: what the page hands the person to keep.
  const savingExports: Array<Promise<void>> = []
  page.on('download', (download) =>
    savingExports.push(download.saveAs(join(exportsDir, download.suggestedFilename()))),
  )
  await page.goto(app.url)

  return {
    browser,
    context,
    page,
    app,
    systemBrowser,
    pageErrors,
    sandbox() {
      const sandbox = app.services.sandbox.current
      if (!sandbox) throw new Error('The sandbox has not been started')
      return sandbox
    },
    async close() {
      const known: KnownSecret[] = [
        ...storageKeysOf(app.services.sandbox.current),
        ...[...passwords].map((value) => ({ kind: 'password' as const, value })),
      ]
      await Promise.allSettled(savingExports)
      await browser.close().catch(() => undefined)
      await app.close()
      const launched = (connect.launcher as Partial<RecordingLauncher>).launched ?? []
      const report = scanFootprint(
        {
          folders: [scratch, connect.sshDir, connect.downloadsDir],
          privateKeyFolders: [connect.sshDir],
          commandLines: [...launched.map(commandLine), ...systemBrowser.opened],
        },
        known,
      )
      recordSecretScan(report, known)
      rmSync(scratch, { recursive: true, force: true })
      if (report.hits.length > 0) {
        const where = report.hits.map((hit) => `${hit.kind} in ${hit.where}`).join('\n')
        throw new Error(`The app left secrets where they must never be:\n${where}`)
      }
    },
  }
}

/** Every storage account key the sandbox holds now (accounts in every subscription). */
function storageKeysOf(sandbox: Sandbox | undefined): KnownSecret[] {
  if (!sandbox) return []
  return sandbox.directory.subscriptions.flatMap((subscription) =>
    sandbox.context.resources
      .list({ subscriptionId: subscription.id, type: 'Microsoft.Storage/storageAccounts' })
      .flatMap((account) => accountKeys(account) ?? [])
      .map((key) => ({ kind: 'storage key' as const, value: key.value })),
  )
}

const commandLine = (spec: LaunchSpec) => [spec.command, ...spec.args].join(' ')

function recordSecretScan(report: ScanReport, known: KnownSecret[]): void {
  mkdirSync(secretScanDir, { recursive: true })
  const file = join(
    secretScanDir,
    `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.json`,
  )
  const secretsLookedFor = known.reduce<Record<string, number>>((counts, { kind }) => {
    counts[kind] = (counts[kind] ?? 0) + 1
    return counts
  }, {})
  writeFileSync(file, JSON.stringify({ ...report, secretsLookedFor }))
}

/**
 * What a person does with the sign-in page the app opened: opens it, picks the user on the
 * sandbox's "Sign in to the sandbox" page, and waits for "You are signed in".
 */
export async function signInOnSandboxPage(
  context: BrowserContext,
  url: string,
  userName: string,
): Promise<void> {
  const tab = await context.newPage()
  try {
    await tab.goto(url)
    await tab.getByRole('heading', { name: 'Sign in to the sandbox' }).waitFor()
    await tab.getByRole('button', { name: new RegExp(userName) }).click()
    await tab.getByRole('heading', { name: 'You are signed in' }).waitFor()
  } finally {
    await tab.close()
  }
}

/** From Welcome: "Explore with a sandbox", then the sign-in page as `userName`. */
export async function exploreSandboxAs(app: AppUnderTest, userName: string): Promise<void> {
  const opened = app.systemBrowser.next()
  await app.page.getByRole('button', { name: 'Explore with a sandbox' }).click()
  await signInOnSandboxPage(app.context, await opened, userName)
  await app.page.getByRole('button', { name: new RegExp(`Accounts: ${userName}`) }).waitFor()
}

/**
 * After each test: a failed test leaves a screenshot of where it stopped; a passed one must
 * not have logged page errors (except those matching `allowed`). Always closes the app.
 */
export async function endTest(
  task: { name: string; result?: { state?: string } },
  app: AppUnderTest | undefined,
  allowed: RegExp[] = [],
): Promise<void> {
  try {
    if (task.result?.state === 'fail') {
      await screenshotOnFailure(app?.page, task.name)
      return
    }
    rmSync(failureScreenshot(task.name), { force: true })
    const unexpected =
      app?.pageErrors.filter((error) => !allowed.some((pattern) => pattern.test(error))) ?? []
    if (unexpected.length > 0) throw new Error(`The page logged errors:\n${unexpected.join('\n')}`)
  } finally {
    await app?.close()
  }
}

/** For a failed test: what the page showed at the end, to look at. */
export async function screenshotOnFailure(page: Page | undefined, testName: string): Promise<void> {
  if (!page || page.isClosed()) return
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: failureScreenshot(testName) }).catch(() => undefined)
}

function failureScreenshot(testName: string): string {
  return join(screenshotDir, `failed-${testName.replace(/[^\w-]+/g, '-').slice(0, 80)}.png`)
}

/**
 * The screen as it is now, in the light and the dark theme: <name>-light.png, <name>-dark.png.
 * Each theme also passes the accessibility gate (axe-core: no serious or critical violation).
 */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  // Hover styles from the last click would show in the picture.
  await page.mouse.move(0, 0)
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: join(screenshotDir, `${name}-${colorScheme}.png`) })
    await expectAccessible(page, `${name} (${colorScheme} theme)`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}
