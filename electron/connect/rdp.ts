import { AppError } from '../../shared/errors'
import type { LaunchSpec, Launcher } from './launcher'
import { validHost, validPort, validUser } from './validate'

/*
 * Windows pools: a Remote Desktop connection file (host and NAT port, the user, the password
 * asked for by the client, never stored) and the program that opens it per platform.
 * On pools with Microsoft's Entra ID login (AADLoginForWindows) the member signs in with
 * their own Microsoft account: `enablerdsaadauth:i:1` asks the client for Microsoft Entra
 * authentication (web sign-in, where the client has it), and the user is given as
 * `AzureAD\<sign-in name>`, the form Microsoft documents for Entra accounts on Windows VMs.
 */

export function rdpFileContent(target: {
  host: string
  port: number
  user: string
  /** The user is a Microsoft Entra sign-in name on a pool with AADLoginForWindows. */
  entra?: boolean
}): string {
  const user = validUser(target.user)
  if (target.entra && !user.includes('@'))
    throw new AppError('Validation', 'A Microsoft account sign-in name looks like name@domain.')
  const lines = [
    `full address:s:${validHost(target.host)}:${validPort(target.port)}`,
    `username:s:${target.entra ? `AzureAD\\${user}` : user}`,
    ...(target.entra ? ['enablerdsaadauth:i:1'] : []),
    'prompt for credentials:i:1',
    'authentication level:i:2',
    'screen mode id:i:2',
    'use multimon:i:0',
    'redirectclipboard:i:1',
  ]
  return lines.map((line) => `${line}\r\n`).join('')
}

/** How the platform opens an .rdp file, in order of preference. */
export function rdpCandidates(platform: NodeJS.Platform, file: string): LaunchSpec[] {
  if (platform === 'win32') return [{ command: 'mstsc.exe', args: [file] }]
  // The Microsoft Remote Desktop app (Windows App) is the handler for .rdp files.
  if (platform === 'darwin') return [{ command: 'open', args: [file] }]
  return [
    { command: 'remmina', args: ['-c', file] },
    { command: 'xfreerdp', args: [file] },
  ]
}

const alwaysThere = new Set(['mstsc.exe', 'open'])

export async function chooseRdpClient(
  platform: NodeJS.Platform,
  file: string,
  launcher: Pick<Launcher, 'which'>,
): Promise<LaunchSpec> {
  for (const spec of rdpCandidates(platform, file)) {
    if (alwaysThere.has(spec.command) || (await launcher.which(spec.command))) return spec
  }
  throw new AppError(
    'NotFound',
    'No Remote Desktop client was found. Install Remmina or FreeRDP (xfreerdp), then try again.',
  )
}
