import { validHost, validLocalPath, validPort, validUser } from './validate'

/** Where one SSH connection goes. */
export interface SshTarget {
  user: string
  host: string
  port: number
  /** Private key to offer (`-i`), when the app knows the pool's key. */
  keyPath?: string
  /** The Entra SSH certificate for that key (`-o CertificateFile=`). */
  certificatePath?: string
}

/**
 * The argument array for `ssh` (options first, the destination last, so nothing after the
 * options can be read as one). Every value is validated before it is used.
 */
export function sshArgs(target: SshTarget): string[] {
  const user = validUser(target.user)
  const host = validHost(target.host)
  const port = validPort(target.port)
  const key = target.keyPath !== undefined ? validLocalPath(target.keyPath) : undefined
  const cert =
    target.certificatePath !== undefined ? validLocalPath(target.certificatePath) : undefined
  return [
    ...(key ? ['-i', key] : []),
    ...(cert ? ['-o', `CertificateFile=${cert}`] : []),
    '-p',
    String(port),
    `${user}@${host}`,
  ]
}

const plain = /^[A-Za-z0-9_@%+=:,./\\-]+$/

/** A word for sh/zsh/bash: left alone when plain, otherwise single-quoted. */
export function quotePosix(word: string): string {
  if (plain.test(word) && !word.includes('\\')) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** A word for PowerShell: left alone when plain, otherwise single-quoted ('' inside). */
export function quotePowerShell(word: string): string {
  if (plain.test(word)) return word
  return `'${word.replace(/'/g, "''")}'`
}

/** The command a person would type (to copy, and for terminals that take one line). */
export function commandText(
  command: string,
  args: readonly string[],
  platform: NodeJS.Platform,
): string {
  const quote = platform === 'win32' ? quotePowerShell : quotePosix
  return [command, ...args].map(quote).join(' ')
}
