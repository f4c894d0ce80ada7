import { spawn } from 'node:child_process'

/*
 * Opens a URL in the platform's browser from plain Node (web mode; the desktop app uses
 * shell.openExternal). Arguments are passed as an array and no shell is involved, so a URL
 * cannot smuggle a command. Callers check the link allow-list first.
 */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]]
  // `start` is a cmd.exe built-in (a shell); rundll32 opens the URL without one.
  if (platform === 'win32') return ['rundll32.exe', ['url.dll,FileProtocolHandler', url]]
  return ['xdg-open', [url]]
}

/**
 * Whether a program started here can appear on the person's screen. On Linux and the BSDs a
 * graphical program needs an X or Wayland display: the web host started over SSH or in a
 * container has none, and xdg-open there opens nothing (or a text browser nobody sees).
 */
export function screenReachable(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (platform === 'darwin' || platform === 'win32') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

export interface OpenOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  /** The opener to run instead of the platform's (tests). */
  command?: [string, string[]]
  /**
   * How long to wait for the opener to report. xdg-open, open and rundll32 hand the URL over
   * and exit; an opener still running after this has started a browser in the foreground.
   */
  settleMs?: number
}

/**
 * Resolves once the opener handed the URL over; rejects when there is no screen to show it
 * on, the opener is missing, or it exits with a failure (xdg-open exits 3 with no browser).
 */
export function openInSystemBrowser(url: string, options: OpenOptions = {}): Promise<void> {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return Promise.reject(new Error(`Refusing to open a ${parsed.protocol} URL`))
  }
  const platform = options.platform ?? process.platform
  if (!options.command && !screenReachable(platform, options.env ?? process.env))
    return Promise.reject(new Error('No display to open a browser on'))
  const [command, args] = options.command ?? browserCommand(parsed.href, platform)
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false })
    let timer: NodeJS.Timeout | undefined
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`The browser opener ${command} failed (${signal ?? `exit ${code}`})`))
    })
    child.once('spawn', () => {
      timer = setTimeout(() => {
        child.unref()
        resolve()
      }, options.settleMs ?? 5_000)
      timer.unref()
    })
  })
}
