import { randomBytes } from 'node:crypto'
import { encrypt, verify } from 'unixcrypt'
import { AppError } from '../../../shared/errors'

/**
 * The JupyterHub password of a pool account, made into a salted SHA-512-crypt hash (`$6$`)
 * on the member's own computer: the hash is all that leaves it. The instances set it with
 * `chpasswd -e`, and JupyterHub's PAM sign-in checks passwords against it.
 *
 * unixcrypt implements Drepper's SHA-crypt with node:crypto (no native code, no install
 * script); tests check it against the specification's published vectors.
 */

/** Rounds of SHA-512 (the specification's default is 5000; more makes guessing slower). */
export const hashRounds = 100_000

const saltAlphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** 16 characters of crypt's alphabet (96 bits), the longest salt SHA-crypt uses. */
export function newSalt(): string {
  return [...randomBytes(16)].map((byte) => saltAlphabet[byte & 63]).join('')
}

/** Why a password cannot be a pool account's JupyterHub password, or undefined. */
export function checkAccountPassword(password: string): string | undefined {
  if (password.length < 12) return 'Use 12 or more characters.'
  if (password.length > 256) return 'Use at most 256 characters.'
  if ([...password].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return 'Use letters, digits, spaces and punctuation only (no tabs or line breaks).'
  return undefined
}

/** `$6$rounds=N$salt$hash` of the password; throws Validation for a password checkAccountPassword refuses. */
export function hashAccountPassword(password: string, salt = newSalt()): string {
  const problem = checkAccountPassword(password)
  if (problem) throw new AppError('Validation', `This password cannot be used. ${problem}`)
  return encrypt(password, `$6$rounds=${hashRounds}$${salt}`)
}

/** Whether the hash is a SHA-512-crypt hash as instances accept it (and nothing else). */
export function isSha512CryptHash(hash: string): boolean {
  return /^\$6\$(rounds=\d{4,9}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$/.test(hash)
}

export function passwordMatches(password: string, hash: string): boolean {
  return isSha512CryptHash(hash) && verify(password, hash)
}
