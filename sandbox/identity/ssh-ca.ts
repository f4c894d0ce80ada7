import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto'
import type { JWK } from 'jose'
import type { SandboxState } from '../core/state'

/**
 * The directory's SSH certificate authority: what Entra does for the Entra ID login on Linux
 * VMs (scope https://pas.windows.net/CheckMyAccess/Linux/.default, token_type=ssh-cert). It
 * signs an OpenSSH user certificate (PROTOCOL.certkeys, ssh-rsa-cert-v01@openssh.com) for
 * the RSA public key the client sent as a JWK in req_cnf; the principal is the user's sign-in
 * name. The CA key lives in the state, so certificates outlive a restart with --state.
 */
export const sshCertificateSeconds = 3600

const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(n)
  return b
}
const sshString = (data: Buffer | string) => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  return Buffer.concat([u32(bytes.length), bytes])
}
/** An SSH mpint: big-endian two's complement, a 0x00 in front when the top bit is set. */
const mpint = (unsigned: Buffer) => {
  let bytes = unsigned
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1)
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes])
  return sshString(bytes)
}

export interface RsaPublicJwk {
  kty: 'RSA'
  n: string
  e: string
}

/** The public key in a req_cnf JWK, or why it cannot be used. */
export function parseRequestJwk(text: string | null): RsaPublicJwk | { error: string } {
  if (!text) return { error: "The request body must contain the following parameter: 'req_cnf'." }
  let jwk: Record<string, unknown>
  try {
    jwk = JSON.parse(text) as Record<string, unknown>
  } catch {
    return { error: 'The req_cnf parameter is not a JSON Web Key.' }
  }
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string')
    return { error: 'The req_cnf key must be an RSA public key (kty RSA with n and e).' }
  if (Buffer.from(jwk.n, 'base64url').length * 8 < 2048)
    return { error: 'The req_cnf RSA key must be at least 2048 bits long.' }
  return { kty: 'RSA', n: jwk.n, e: jwk.e }
}

export class SshCertificateAuthority {
  private readonly privateKey: KeyObject
  private readonly publicBlob: Buffer

  constructor(state: SandboxState) {
    const table = state.table<{ privateJwk: JWK }>('identity-keys')
    let stored = table.get('ssh-ca')
    if (!stored) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
      stored = table.set('ssh-ca', { privateJwk: privateKey.export({ format: 'jwk' }) as JWK })
    }
    this.privateKey = createPrivateKey({ key: stored.privateJwk as never, format: 'jwk' })
    const { n, e } = createPublicKey(this.privateKey).export({ format: 'jwk' }) as JWK
    this.publicBlob = rsaPublicBlob(e!, n!)
  }

  /** `ssh-rsa AAAA… comment`: what an sshd's TrustedUserCAKeys holds. */
  publicKeyLine(): string {
    return `ssh-rsa ${this.publicBlob.toString('base64')} sandbox-entra-ssh-ca`
  }

  /** The certificate blob (base64 of it is what Entra returns as the access token). */
  issue(request: { key: RsaPublicJwk; principal: string; keyId: string; now: number }): Buffer {
    const after = BigInt(Math.floor(request.now / 1000) - 300)
    const before = BigInt(Math.floor(request.now / 1000) + sshCertificateSeconds)
    const extensions = [
      'permit-X11-forwarding',
      'permit-agent-forwarding',
      'permit-port-forwarding',
      'permit-pty',
      'permit-user-rc',
    ]
    const body = Buffer.concat([
      sshString('ssh-rsa-cert-v01@openssh.com'),
      sshString(randomBytes(32)),
      mpint(Buffer.from(request.key.e, 'base64url')),
      mpint(Buffer.from(request.key.n, 'base64url')),
      u64(BigInt(`0x${randomBytes(8).toString('hex')}`)),
      u32(1), // SSH_CERT_TYPE_USER
      sshString(request.keyId),
      sshString(sshString(request.principal)),
      u64(after),
      u64(before),
      sshString(Buffer.alloc(0)), // no critical options
      sshString(Buffer.concat(extensions.flatMap((name) => [sshString(name), sshString('')]))),
      sshString(Buffer.alloc(0)), // reserved
      sshString(this.publicBlob),
    ])
    const signature = sign('sha512', body, this.privateKey)
    return Buffer.concat([
      body,
      sshString(Buffer.concat([sshString('rsa-sha2-512'), sshString(signature)])),
    ])
  }
}

function rsaPublicBlob(e: string, n: string): Buffer {
  return Buffer.concat([
    sshString('ssh-rsa'),
    mpint(Buffer.from(e, 'base64url')),
    mpint(Buffer.from(n, 'base64url')),
  ])
}
