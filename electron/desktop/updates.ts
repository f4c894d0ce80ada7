/*
 * Auto-update (electron-updater; the feed is `publish` in electron-builder.yml): a quiet check
 * at start and one from the menu, the download in the background, and a restart to install
 * only when the person agrees and the app is not in the middle of a deployment or a transfer.
 * An update left waiting installs when the app quits. Electron's dialogs and electron-updater
 * come in through the small interfaces below, so this runs in plain Node tests.
 */

/** The part of electron-updater's AppUpdater the app uses. */
export interface Updater {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  checkForUpdates(): Promise<{ updateInfo: { version: string } } | null>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown
  on(event: 'update-not-available', listener: () => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
}

export interface UpdatePrompts {
  /** An update is ready: restart now to install it? */
  askRestart(version: string): Promise<boolean>
  /** The answer to a check the person asked for (from the menu). */
  tell(message: string, detail?: string): void
}

export type UpdateState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'downloading'; version: string }
  | { kind: 'ready'; version: string }
  | { kind: 'failed' }

export interface UpdateControllerOptions {
  updater: Updater
  currentVersion: string
  prompts: UpdatePrompts
  /** What a restart would interrupt ("a deployment", "a file transfer"), or undefined. */
  busy(): string | undefined
  /** Subscribes to the moment the app stops being busy. */
  onIdle(listener: () => void): () => void
  log(message: string): void
}

export class UpdateController {
  private current: UpdateState = { kind: 'idle' }
  /** The person said "restart" while the app was busy: restart once it is not. */
  private restartWhenIdle = false
  private asked = false

  constructor(private readonly options: UpdateControllerOptions) {
    const { updater } = options
    updater.autoDownload = true
    updater.autoInstallOnAppQuit = true
    updater.on('update-available', (info) => {
      this.current = { kind: 'downloading', version: info.version }
    })
    updater.on('update-not-available', () => {
      if (this.current.kind === 'checking') this.current = { kind: 'idle' }
    })
    updater.on('update-downloaded', (info) => {
      this.current = { kind: 'ready', version: info.version }
      void this.offerRestart()
    })
    updater.on('error', (error) => {
      this.current = { kind: 'failed' }
      options.log(`Update check failed: ${error.message}`)
    })
    options.onIdle(() => {
      if (this.restartWhenIdle && this.current.kind === 'ready') this.install()
    })
  }

  get state(): UpdateState {
    return this.current
  }

  /** At start: look quietly; a failure is only logged (offline, no feed). */
  async checkAtStart(): Promise<void> {
    await this.check().catch((error: unknown) =>
      this.options.log(`Update check failed: ${(error as Error).message}`),
    )
  }

  /** From the menu: look now and say what was found. */
  async checkFromMenu(): Promise<void> {
    const { prompts, currentVersion } = this.options
    if (this.current.kind === 'ready') {
      this.asked = false
      return this.offerRestart()
    }
    if (this.current.kind === 'downloading') {
      prompts.tell(
        `Version ${this.current.version} is downloading.`,
        'You will be asked to restart once it is ready.',
      )
      return
    }
    try {
      const found = await this.check()
      if (found && newer(found, currentVersion))
        prompts.tell(
          `Version ${found} is available and downloading.`,
          'You will be asked to restart once it is ready.',
        )
      else prompts.tell('DSVM Pool Manager is up to date.', `You have version ${currentVersion}.`)
    } catch {
      prompts.tell(
        'Updates could not be checked.',
        'The update server could not be reached. Check your connection and try again.',
      )
    }
  }

  private async check(): Promise<string | undefined> {
    if (this.current.kind === 'downloading' || this.current.kind === 'ready')
      return this.current.version
    this.current = { kind: 'checking' }
    try {
      const result = await this.options.updater.checkForUpdates()
      if (this.current.kind === 'checking') this.current = { kind: 'idle' }
      return result?.updateInfo.version
    } catch (error) {
      this.current = { kind: 'failed' }
      throw error
    }
  }

  private async offerRestart(): Promise<void> {
    if (this.current.kind !== 'ready' || this.asked) return
    this.asked = true
    const version = this.current.version
    if (!(await this.options.prompts.askRestart(version))) return
    const busy = this.options.busy()
    if (busy) {
      this.restartWhenIdle = true
      this.options.prompts.tell(
        `The app is in the middle of ${busy}.`,
        `Version ${version} installs and the app restarts by itself once that is done, or when you quit.`,
      )
      return
    }
    this.install()
  }

  private install(): void {
    // Checked again at the last moment: a deployment may have started since.
    if (this.options.busy()) {
      this.restartWhenIdle = true
      return
    }
    this.restartWhenIdle = false
    this.options.updater.quitAndInstall(false, true)
  }
}

/** True when `candidate` is a higher version than `current` (x.y.z, pre-release ignored). */
export function newer(candidate: string, current: string): boolean {
  const parts = (v: string) =>
    v
      .split('-')[0]!
      .split('.')
      .map((n) => Number(n) || 0)
  const [a, b] = [parts(candidate), parts(current)]
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  }
  return false
}
