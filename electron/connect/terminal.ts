import { AppError } from '../../shared/errors'
import type { LaunchSpec, Launcher } from './launcher'
import { commandText } from './ssh'

/*
 * Opening a terminal that runs ssh, per platform, as argument arrays:
 * - Windows: Windows Terminal (`wt`) when installed, else PowerShell in its own window.
 * - macOS: Terminal through osascript; the command reaches the script as an argument (argv),
 *   never spliced into the script's text.
 * - Linux: the first of x-terminal-emulator, gnome-terminal, konsole, xterm on PATH.
 */

export interface TerminalChoice {
  name: string
  spec: LaunchSpec
}

/** The launch for each terminal the platform may have, in the order they are preferred. */
export function terminalCandidates(
  platform: NodeJS.Platform,
  ssh: { command: string; args: readonly string[] },
  title: string,
): TerminalChoice[] {
  const args = [...ssh.args]
  if (platform === 'win32') {
    // wt reads a bare ';' as "new command"; escaped it is an ordinary character.
    const wtArgs = args.map((a) => a.replace(/;/g, '\\;'))
    return [
      {
        name: 'Windows Terminal',
        spec: { command: 'wt.exe', args: ['new-tab', '--title', title, ssh.command, ...wtArgs] },
      },
      {
        name: 'PowerShell',
        spec: {
          command: 'powershell.exe',
          args: ['-NoExit', '-Command', `& ${commandText(ssh.command, args, 'win32')}`],
        },
      },
    ]
  }
  if (platform === 'darwin') {
    return [
      {
        name: 'Terminal',
        spec: {
          command: 'osascript',
          args: [
            '-e',
            'on run argv',
            '-e',
            'tell application "Terminal" to do script (item 1 of argv)',
            '-e',
            'tell application "Terminal" to activate',
            '-e',
            'end run',
            commandText(ssh.command, args, 'darwin'),
          ],
        },
      },
    ]
  }
  return [
    {
      name: 'x-terminal-emulator',
      spec: { command: 'x-terminal-emulator', args: ['-e', ssh.command, ...args] },
    },
    {
      name: 'GNOME Terminal',
      spec: { command: 'gnome-terminal', args: ['--title', title, '--', ssh.command, ...args] },
    },
    { name: 'Konsole', spec: { command: 'konsole', args: ['-e', ssh.command, ...args] } },
    { name: 'xterm', spec: { command: 'xterm', args: ['-T', title, '-e', ssh.command, ...args] } },
  ]
}

/** Programs every install of the platform has (not looked up on PATH). */
const alwaysThere = new Set(['powershell.exe', 'osascript'])

/** The first terminal of the platform that is installed. */
export async function chooseTerminal(
  platform: NodeJS.Platform,
  ssh: { command: string; args: readonly string[] },
  title: string,
  launcher: Pick<Launcher, 'which'>,
): Promise<TerminalChoice> {
  for (const choice of terminalCandidates(platform, ssh, title)) {
    if (alwaysThere.has(choice.spec.command)) return choice
    if (await launcher.which(choice.spec.command)) return choice
  }
  throw new AppError(
    'NotFound',
    'No terminal was found (x-terminal-emulator, gnome-terminal, konsole or xterm). Copy the command and run it in yours.',
  )
}
