import { checkSshPublicKey } from './naming'

/**
 * Pool accounts: the team's own Linux accounts on a pool where Microsoft Entra sign-in
 * cannot be set up. Each member's app makes the public key and the SHA-512-crypt hash of
 * their JupyterHub password; nothing else about the member reaches the instances.
 * resources/scripts/pool-accounts.sh reads the list in the format `encodePoolAccounts` writes.
 */

export interface PoolAccount {
  /** Linux user name on every instance. */
  user: string
  /** `$6$...` of the member's JupyterHub password, made on their computer. */
  passwordHash: string
  /** The member's OpenSSH public key (one line). */
  publicKey: string
}

/** Names a pool account may not take: the image's own and system users. */
const reservedUsers = new Set([
  'root',
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'nobody',
  'syslog',
  'messagebus',
  'sshd',
  'ubuntu',
  'admin',
  'jupyterhub',
])

/** Why a name cannot be a pool account's user name, or undefined. */
export function checkPoolAccountUser(user: string, adminUsername?: string): string | undefined {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user))
    return 'Use 1 to 32 lowercase letters, digits, - or _, starting with a letter.'
  if (reservedUsers.has(user) || user === adminUsername)
    return `'${user}' is taken on the instances; choose another name.`
  return undefined
}

/** A Linux user name from an email address or sign-in name: `grace.hopper@x` -> `gracehopper`. */
export function suggestedPoolAccountUser(signInName: string): string {
  const local = signInName.split('@')[0]!.toLowerCase()
  const name = local.replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z_]+/, '')
  return name.slice(0, 32) || 'member'
}

const hashPattern = /^\$6\$(rounds=\d{4,9}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$/

/** Why an account cannot go to the instances, or undefined. */
export function checkPoolAccount(account: PoolAccount, adminUsername?: string): string | undefined {
  return (
    checkPoolAccountUser(account.user, adminUsername) ??
    (hashPattern.test(account.passwordHash)
      ? undefined
      : 'The password must arrive as a SHA-512-crypt hash made by the app.') ??
    (/[\t\n\r]/.test(account.publicKey) ? 'The public key must be one line.' : undefined) ??
    checkSshPublicKey(account.publicKey)
  )
}

/** The list as pool-accounts.sh reads it: base64 of `user TAB hash TAB key` lines. */
export function encodePoolAccounts(accounts: readonly PoolAccount[]): string {
  const lines = accounts.map((a) => `${a.user}\t${a.passwordHash}\t${a.publicKey.trim()}\n`)
  // The renderer shares this module: no Buffer.
  const bytes = new TextEncoder().encode(lines.join(''))
  return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))
}
