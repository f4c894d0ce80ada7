import { validHost } from '../validate'
import type { PlanStep } from './plan-step'
import { credentialStep, mapDriveStep } from './windows-mount'

/*
 * Mounting the pool's share on this computer, per platform, with the storage key never on a
 * command line, in a log or in a file others can read. Each plan is the commands to run as
 * argument arrays; the key travels only on a child's standard input.
 *
 * - Linux: `gio mount smb://<host>/<share>` (GVfs, no root needed); gio asks for user, domain
 *   and password on standard input.
 * - macOS: the key goes into the login keychain through `security -i` (commands read from
 *   standard input, so not on its command line), then Finder opens smb://<account>@<host>/<share>
 *   and finds the password there.
 * - Windows: the key goes into Credential Manager through CredWriteW (cmdkey would need it
 *   as an argument), then the drive is mapped with New-PSDrive -Persist, so it comes back
 *   after a reboot without asking (windows-mount.ts).
 */

export interface ShareTarget {
  /** <account>.file.core.windows.net */
  host: string
  account: string
  share: string
}

export type { PlanStep }

export interface MountPlan {
  steps: PlanStep[]
  /** Where the share appears once mounted. */
  where: string
}

const validAccount = (account: string) => {
  if (!/^[a-z0-9]{3,24}$/.test(account)) throw new Error('Not a storage account name')
  return account
}
const validShare = (share: string) => {
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(share))
    throw new Error('Not a share name')
  return share
}

export function mountPlan(
  platform: NodeJS.Platform,
  target: ShareTarget,
  key: string,
  drive = 'Z',
): MountPlan {
  const host = validHost(target.host)
  const account = validAccount(target.account)
  const share = validShare(target.share)
  if (!/^[A-Za-z0-9+/]{20,200}={0,2}$/.test(key)) throw new Error('Not a storage account key')
  if (platform === 'linux')
    return {
      steps: [
        {
          command: 'gio',
          args: ['mount', `smb://${host}/${share}`],
          stdin: `${account}\nWORKGROUP\n${key}\n`,
        },
      ],
      where: `smb://${host}/${share} (in your file manager)`,
    }
  if (platform === 'darwin')
    return {
      steps: [
        {
          command: 'security',
          args: ['-i'],
          stdin: `add-internet-password -U -a "${account}" -s "${host}" -r "smb " -l "${host}" -w "${key}"\n`,
        },
        { command: 'open', args: [`smb://${account}@${host}/${share}`] },
      ],
      where: `/Volumes/${share}`,
    }
  if (platform === 'win32') {
    if (!/^[D-Z]$/.test(drive)) throw new Error('Not a drive letter')
    return {
      steps: [credentialStep(host, account, key), mapDriveStep(host, share, drive)],
      where: `${drive}:`,
    }
  }
  throw new Error(`Mounting is not supported on ${platform}`)
}
