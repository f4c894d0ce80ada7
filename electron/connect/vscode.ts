import { posix, win32 } from 'node:path'
import { browserCommand } from '../web/system-browser'
import type { LaunchSpec, Launcher } from './launcher'
import { validAlias, validUser } from './validate'

/*
 * Open in VS Code: the Remote-SSH link for a host alias of the managed ssh config block,
 * offered only when VS Code is installed (`code` on PATH or a known install folder).
 */

export function vscodeRemoteUri(alias: string, user: string): string {
  return `vscode://vscode-remote/ssh-remote+${validAlias(alias)}/home/${validUser(user)}`
}

export function vscodeInstallPaths(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string,
): string[] {
  const join = platform === 'win32' ? win32.join : posix.join
  if (platform === 'win32')
    return [
      ...(env.LOCALAPPDATA
        ? [join(env.LOCALAPPDATA, 'Programs', 'Microsoft VS Code', 'Code.exe')]
        : []),
      ...(env.ProgramFiles ? [join(env.ProgramFiles, 'Microsoft VS Code', 'Code.exe')] : []),
    ]
  if (platform === 'darwin')
    return [
      '/Applications/Visual Studio Code.app',
      join(home, 'Applications', 'Visual Studio Code.app'),
    ]
  return [
    '/usr/share/code/code',
    '/snap/bin/code',
    '/var/lib/flatpak/exports/bin/com.visualstudio.code',
  ]
}

export async function vscodeInstalled(
  launcher: Pick<Launcher, 'which' | 'exists'>,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string,
): Promise<boolean> {
  if (await launcher.which('code')) return true
  for (const path of vscodeInstallPaths(platform, env, home))
    if (await launcher.exists(path)) return true
  return false
}

/** The platform's opener for the vscode:// link (argument array, no shell). */
export function vscodeLaunch(uri: string, platform: NodeJS.Platform): LaunchSpec {
  const [command, args] = browserCommand(uri, platform)
  return { command, args }
}
