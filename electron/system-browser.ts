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

export function openInSystemBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return Promise.reject(new Error(`Refusing to open a ${parsed.protocol} URL`))
  }
  const [command, args] = browserCommand(parsed.href, platform)
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false })
    child.once('error', reject)
    child.once('spawn', () => {
      child.unref()
      resolve()
    })
  })
}
