import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../shared/errors'
import { checkSshPublicKey } from '../../shared/naming'

/**
 * SSH keys for a Linux pool's administrator: a new ed25519 key pair written to the user's
 * ~/.ssh (the private key readable by the user only, never sent anywhere), or a public key
 * the user picked, checked before use.
 */

export interface GeneratedKey {
  /** The OpenSSH public key line (what goes into the template). */
  publicKey: string
  privateKeyPath: string
  publicKeyPath: string
}

const sshString = (value: Buffer | string): Buffer => {
  const data = typeof value === 'string' ? Buffer.from(value) : value
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  return Buffer.concat([length, data])
}

const uint32 = (value: number): Buffer => {
  const buffer = Buffer.alloc(4)
  buffer.writeUInt32BE(value)
  return buffer
}

/** An ed25519 key pair in OpenSSH formats: the public line and the openssh-key-v1 private key. */
export function ed25519KeyPair(comment: string): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' })
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const seed = Buffer.from(jwk.d!, 'base64url')
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)])
  const check = randomBytes(4)
  let privateSection = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ])
  const padding = Array.from({ length: (8 - (privateSection.length % 8)) % 8 }, (_, i) => i + 1)
  privateSection = Buffer.concat([privateSection, Buffer.from(padding)])
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(privateSection),
  ])
  const lines = body.toString('base64').match(/.{1,70}/g)!
  return {
    publicKey: `ssh-ed25519 ${publicBlob.toString('base64')} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

/**
 * Writes a new key pair as ~/.ssh/dsvm-<pool> and dsvm-<pool>.pub; an existing file of that
 * name is never overwritten (a number is added instead).
 */
export async function generateSshKey(
  poolName: string,
  options: { sshDir?: string; comment?: string } = {},
): Promise<GeneratedKey> {
  if (!/^[a-z0-9-]{1,40}$/.test(poolName))
    throw new AppError('Validation', 'The pool name must be set before a key is made for it.')
  const sshDir = options.sshDir ?? join(homedir(), '.ssh')
  await mkdir(sshDir, { recursive: true, mode: 0o700 })
  let base = join(sshDir, `dsvm-${poolName}`)
  for (let n = 2; (await exists(base)) || (await exists(`${base}.pub`)); n++)
    base = join(sshDir, `dsvm-${poolName}-${n}`)
  const { publicKey, privateKey } = ed25519KeyPair(options.comment ?? `dsvm-${poolName}`)
  await writeFile(base, privateKey, { mode: 0o600, flag: 'wx' })
  // The umask may have widened the mode on some systems; the private key is the user's only.
  await chmod(base, 0o600)
  await writeFile(`${base}.pub`, `${publicKey}\n`, { mode: 0o644, flag: 'wx' })
  return { publicKey, privateKeyPath: base, publicKeyPath: `${base}.pub` }
}

/** Reads the text of a public key file the user picked; throws Validation naming the problem. */
export function readPublicKey(text: string): { publicKey: string; comment?: string } {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('#'))
  const problem = line ? checkSshPublicKey(line) : 'The file is empty.'
  if (problem || !line) throw new AppError('Validation', problem ?? 'The file is empty.')
  const [type, data, ...rest] = line.split(/\s+/)
  const comment = rest.join(' ')
  return {
    publicKey: `${type} ${data}${comment ? ` ${comment}` : ''}`,
    ...(comment ? { comment } : {}),
  }
}
