/**
 * Reads an OpenSSH user certificate (PROTOCOL.certkeys, ssh-rsa-cert-v01@openssh.com): who it
 * is for, when it is valid, and which public key it certifies. The app checks these before it
 * uses a certificate, and renews it before it runs out.
 */
export interface OpenSshCertificate {
  type: string
  keyId: string
  principals: string[]
  /** Milliseconds since the epoch. */
  validAfter: number
  validBefore: number
  /** The certified RSA key, as base64url JWK members. */
  publicKey: { n: string; e: string }
  serial: bigint
  certType: 'user' | 'host'
}

class Reader {
  private offset = 0
  constructor(private readonly data: Buffer) {}
  u32(): number {
    if (this.offset + 4 > this.data.length) throw new Error('The certificate is cut short.')
    const value = this.data.readUInt32BE(this.offset)
    this.offset += 4
    return value
  }
  u64(): bigint {
    if (this.offset + 8 > this.data.length) throw new Error('The certificate is cut short.')
    const value = this.data.readBigUInt64BE(this.offset)
    this.offset += 8
    return value
  }
  bytes(): Buffer {
    const length = this.u32()
    if (this.offset + length > this.data.length) throw new Error('The certificate is cut short.')
    const value = this.data.subarray(this.offset, this.offset + length)
    this.offset += length
    return value
  }
  text(): string {
    return this.bytes().toString('utf8')
  }
}

/** An mpint as unsigned base64url (the leading sign byte dropped), as JWK writes n and e. */
const unsignedBase64Url = (mpint: Buffer) => {
  let bytes = mpint
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1)
  return bytes.toString('base64url')
}

/** `ssh-rsa-cert-v01@openssh.com AAAA… [comment]` or the bare base64 blob. */
export function parseOpenSshCertificate(text: string): OpenSshCertificate {
  const words = text.trim().split(/\s+/)
  const base64 = words[0]?.includes('-cert-') ? words[1] : words[0]
  if (!base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64))
    throw new Error('This is not an OpenSSH certificate.')
  const reader = new Reader(Buffer.from(base64, 'base64'))
  const type = reader.text()
  if (type !== 'ssh-rsa-cert-v01@openssh.com')
    throw new Error(`Only RSA user certificates are used here, not ${type}.`)
  reader.bytes() // nonce
  const e = unsignedBase64Url(reader.bytes())
  const n = unsignedBase64Url(reader.bytes())
  const serial = reader.u64()
  const certType = reader.u32() === 1 ? 'user' : 'host'
  const keyId = reader.text()
  const principalsReader = new Reader(reader.bytes())
  const principals: string[] = []
  for (;;) {
    try {
      principals.push(principalsReader.text())
    } catch {
      break
    }
  }
  const toMs = (seconds: bigint) =>
    seconds >= BigInt(Number.MAX_SAFE_INTEGER) / 1000n ? Infinity : Number(seconds) * 1000
  const validAfter = toMs(reader.u64())
  const validBefore = toMs(reader.u64())
  return { type, keyId, principals, validAfter, validBefore, publicKey: { n, e }, serial, certType }
}

/**
 * When to get a new certificate: before the last fifth of its life, and never later than
 * five minutes before it ends (a connection that starts must not race the expiry).
 */
export function renewAt(cert: Pick<OpenSshCertificate, 'validAfter' | 'validBefore'>): number {
  const lifetime = cert.validBefore - cert.validAfter
  return cert.validBefore - Math.max(5 * 60_000, lifetime / 5)
}

export function needsRenewal(
  cert: Pick<OpenSshCertificate, 'validAfter' | 'validBefore'>,
  now: number,
): boolean {
  return now >= renewAt(cert) || now < cert.validAfter
}
