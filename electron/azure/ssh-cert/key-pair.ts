import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The RSA key pair Entra certifies for SSH: made once by the app, kept in the user's ~/.ssh
 * (the private key mode 0600, readable by the user only; it never leaves the computer). Only
 * its public half goes to Entra, as a JWK in the certificate request.
 */
export const entraKeyName = 'dsvm-pool-manager-entra'

export interface EntraKeyPair {
  privateKeyPath: string
  certificatePath: string
  /** The public key as a JWK string for MSAL's sshJwk. */
  jwk: string
  /** MSAL caches certificates by this id (sshKid): a hash of the public key. */
  kid: string
  n: string
  e: string
}

async function readOrMake(path: string): Promise<string> {
  try {
    const pem = await readFile(path, 'utf8')
    createPrivateKey(pem)
    await chmod(path, 0o600)
    return pem
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 })
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string
  // Written next to it and renamed, so a half-written key is never in place.
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, pem, { mode: 0o600, flag: 'wx' })
  await chmod(temp, 0o600)
  await rename(temp, path)
  return pem
}

export async function entraKeyPair(sshDir: string): Promise<EntraKeyPair> {
  await mkdir(sshDir, { recursive: true, mode: 0o700 })
  const privateKeyPath = join(sshDir, entraKeyName)
  const pem = await readOrMake(privateKeyPath)
  const { n, e } = createPublicKey(pem).export({ format: 'jwk' }) as { n: string; e: string }
  const kid = createHash('sha256').update(`${n}.${e}`).digest('base64url')
  return {
    privateKeyPath,
    certificatePath: `${privateKeyPath}-cert.pub`,
    jwk: JSON.stringify({ kty: 'RSA', n, e, kid }),
    kid,
    n,
    e,
  }
}
