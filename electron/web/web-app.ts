import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  createAppServices,
  type AppServices,
  type AppServicesOptions,
  type Log,
} from '../app-services'
import { MemorySecretStore } from './memory-secret-store'
import type { SandboxOptions } from '../../sandbox/index'
import { openInSystemBrowser, screenReachable } from './system-browser'
import { startWebHost, type WebHost } from './web-host'

/*
 * The whole app without Electron: the app services in plain Node behind the web host. Used
 * by `npm run start:web` (electron/web/web-main.ts) and by tests that drive the renderer in a
 * browser and need to see the sign-in URL themselves (pass `openExternal`).
 */

export const repositoryRoot = resolve(import.meta.dirname, '../..')
export const defaultRendererDir = join(repositoryRoot, 'out', 'renderer')

export const webModeStorageWarning =
  'In the browser version, sign-ins are kept in memory only: you will sign in again after restarting it.'

export interface WebAppOptions {
  /** 0 or omitted: any free port. */
  port?: number
  rendererDir?: string
  /** Preferences folder; defaults to the desktop app's data folder + /web. */
  dataDir?: string
  /** Start the embedded sandbox and choose the Sandbox cloud. */
  sandbox?: boolean
  sandboxOptions?: SandboxOptions
  /** A sandbox another app already runs (tests: a teammate's app on the same "Azure"). */
  sharedSandbox?: AppServicesOptions['sharedSandbox']
  /** Pool poller timing and action LRO polling (tests). */
  pools?: AppServicesOptions['pools']
  /**
   * How allowed links and sign-in pages open; defaults to the platform's browser, which
   * rejects when nothing could open (no display, no opener).
   */
  openExternal?: (url: string) => Promise<void>
  /** Whether terminals started here reach the person's screen; defaults to "a display exists". */
  screenReachable?: () => boolean
  /** Connect: how terminals and clients start, and the ~/.ssh folder (tests use fakes). */
  connect?: Pick<AppServicesOptions, 'launcher' | 'sshDir' | 'downloadsDir'>
  env?: NodeJS.ProcessEnv
  log?: Log
}

export interface WebApp {
  url: string
  host: WebHost
  services: AppServices
  close(): Promise<void>
}

export async function startWebApp(options: WebAppOptions = {}): Promise<WebApp> {
  const rendererDir = options.rendererDir ?? defaultRendererDir
  try {
    readFileSync(join(rendererDir, 'index.html'))
  } catch {
    throw new Error(`No built renderer in ${rendererDir}: run \`npm run build\` first.`)
  }
  const services = createAppServices({
    shell: 'web',
    version: packageVersion(),
    platform: process.platform,
    dataDir: options.dataDir ?? defaultWebDataDir(),
    secretStore: new MemorySecretStore(),
    secretStorageWarning: webModeStorageWarning,
    openExternal: options.openExternal ?? ((url) => openInSystemBrowser(url)),
    screenReachable: options.screenReachable ?? (() => screenReachable()),
    ...(options.sandboxOptions ? { sandbox: options.sandboxOptions } : {}),
    ...(options.sharedSandbox ? { sharedSandbox: options.sharedSandbox } : {}),
    ...(options.pools ? { pools: options.pools } : {}),
    ...options.connect,
    ...(options.env ? { env: options.env } : {}),
    ...(options.log ? { log: options.log } : {}),
  })
  try {
    if (options.sandbox) {
      const started = await services.router.call('sandbox.start', {})
      if (!started.ok) throw new Error(`The sandbox did not start: ${started.error.message}`)
    }
    const host = await startWebHost({
      ...(options.port !== undefined ? { port: options.port } : {}),
      rendererDir,
      router: services.router,
      events: services.events,
    })
    return {
      url: host.url,
      host,
      services,
      async close() {
        await host.close()
        await services.close()
      },
    }
  } catch (error) {
    await services.close()
    throw error
  }
}

/** Electron's userData for this app (productName), + /web so the two shells don't share state. */
export function defaultWebDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const product = 'DSVM Pool Manager'
  const home = homedir()
  const base =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'))
  return join(base, product, 'web')
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
    version?: string
  }
  return pkg.version ?? '0.0.0'
}
