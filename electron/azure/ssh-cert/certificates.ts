import { createHash } from 'node:crypto'
import { chmod, readFile, rename, writeFile } from 'node:fs/promises'
import { AppError } from '../../../shared/errors'
import { entraKeyPair, type EntraKeyPair } from './key-pair'
import { needsRenewal, parseOpenSshCertificate, type OpenSshCertificate } from './openssh-cert'

/**
 * The signed-in member's SSH credentials for pools with the Entra ID login: the app's key
 * pair and an OpenSSH certificate from Entra for it (one file per account, next to the key),
 * renewed before it runs out. Every SSH path (terminal, copied command, ~/.ssh/config, VS
 * Code) uses what this returns.
 */
export interface EntraSshCredentials {
  /** The certificate's principal: the member's sign-in name, the user to log in as. */
  user: string
  keyPath: string
  certificatePath: string
  validBefore: number
}

export interface SshCertificatesOptions {
  sshDir: string
  /** Asks Entra (MSAL, ssh-cert scheme) for a certificate: its base64 blob. */
  request(
    accountId: string,
    tenantId: string,
    key: EntraKeyPair,
    forceRefresh: boolean,
  ): Promise<string>
  now?: () => number
}

export class SshCertificates {
  private readonly pending = new Map<string, Promise<EntraSshCredentials>>()

  constructor(private readonly options: SshCertificatesOptions) {}

  /** Valid credentials for the account, from the file when it is still good, else from Entra. */
  for(accountId: string, tenantId: string): Promise<EntraSshCredentials> {
    const key = `${accountId}|${tenantId}`
    let running = this.pending.get(key)
    if (!running) {
      running = this.load(accountId, tenantId).finally(() => this.pending.delete(key))
      this.pending.set(key, running)
    }
    return running
  }

  private async load(accountId: string, tenantId: string): Promise<EntraSshCredentials> {
    const now = (this.options.now ?? Date.now)()
    const key = await entraKeyPair(this.options.sshDir)
    const certificatePath = `${key.privateKeyPath}-${createHash('sha256').update(accountId).digest('hex').slice(0, 10)}-cert.pub`
    const onFile = await readCertificate(certificatePath)
    const usable = (cert: OpenSshCertificate | undefined) =>
      cert !== undefined && certifies(cert, key) && cert.principals.length > 0
    if (onFile && usable(onFile) && !needsRenewal(onFile, now))
      return credentials(onFile, key, certificatePath)

    let blob = await this.options.request(accountId, tenantId, key, false)
    let cert = parse(blob)
    // MSAL hands back its cached certificate until shortly before expiry: ask for a new one.
    if (usable(cert) && needsRenewal(cert, now)) {
      blob = await this.options.request(accountId, tenantId, key, true)
      cert = parse(blob)
    }
    if (!certifies(cert, key) || cert.principals.length === 0) {
      throw new AppError(
        'Unknown',
        'Microsoft Entra returned an SSH certificate for another key. Try again; if it persists, sign out and in again.',
      )
    }
    const line = `ssh-rsa-cert-v01@openssh.com ${blob} ${cert.principals[0]}\n`
    const temp = `${certificatePath}.${process.pid}.tmp`
    await writeFile(temp, line, { mode: 0o600 })
    await chmod(temp, 0o600)
    await rename(temp, certificatePath)
    return credentials(cert, key, certificatePath)
  }
}

function parse(blob: string): OpenSshCertificate {
  try {
    return parseOpenSshCertificate(blob)
  } catch {
    throw new AppError(
      'Unknown',
      'Microsoft Entra’s answer was not an SSH certificate. Check that the Entra ID login for Linux is available in your organisation.',
    )
  }
}

async function readCertificate(path: string): Promise<OpenSshCertificate | undefined> {
  try {
    return parseOpenSshCertificate(await readFile(path, 'utf8'))
  } catch {
    return undefined
  }
}

const certifies = (cert: OpenSshCertificate, key: EntraKeyPair) =>
  cert.certType === 'user' && cert.publicKey.n === key.n && cert.publicKey.e === key.e

const credentials = (
  cert: OpenSshCertificate,
  key: EntraKeyPair,
  certificatePath: string,
): EntraSshCredentials => ({
  user: cert.principals[0]!,
  keyPath: key.privateKeyPath,
  certificatePath,
  validBefore: cert.validBefore,
})
