import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  needsRenewal,
  parseOpenSshCertificate,
  renewAt,
} from '../../../electron/azure/ssh-cert/openssh-cert'
import { SandboxState } from '../../../sandbox/core/state'
import { SshCertificateAuthority } from '../../../sandbox/identity/ssh-ca'

const rsaJwk = () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string }
  return { kty: 'RSA' as const, n, e }
}

describe('OpenSSH certificates', () => {
  it('reads principal, validity and the certified key from a certificate line', () => {
    const key = rsaJwk()
    const now = Date.UTC(2026, 11, 6, 9, 0, 0)
    const blob = new SshCertificateAuthority(new SandboxState()).issue({
      key,
      principal: 'grace@contoso.example',
      keyId: 'grace@contoso.example',
      now,
    })
    const line = `ssh-rsa-cert-v01@openssh.com ${blob.toString('base64')} grace@contoso.example`
    for (const text of [line, blob.toString('base64')]) {
      const cert = parseOpenSshCertificate(text)
      expect(cert.type).toBe('ssh-rsa-cert-v01@openssh.com')
      expect(cert.certType).toBe('user')
      expect(cert.principals).toEqual(['grace@contoso.example'])
      expect(cert.keyId).toBe('grace@contoso.example')
      expect(cert.publicKey).toEqual({ n: key.n, e: key.e })
      expect(cert.validAfter).toBe(now - 300_000)
      expect(cert.validBefore).toBe(now + 3_600_000)
    }
  })

  it('refuses what is not an RSA certificate, and a cut-short one', () => {
    const type = Buffer.from('ssh-ed25519-cert-v01@openssh.com')
    const length = Buffer.alloc(4)
    length.writeUInt32BE(type.length)
    const ed25519 = Buffer.concat([length, type]).toString('base64')
    expect(() => parseOpenSshCertificate(`ssh-ed25519-cert-v01@openssh.com ${ed25519} me`)).toThrow(
      /Only RSA user certificates/,
    )
    expect(() => parseOpenSshCertificate('ssh-rsa-cert-v01@openssh.com %%% me')).toThrow(
      /not an OpenSSH/,
    )
    const blob = new SshCertificateAuthority(new SandboxState()).issue({
      key: rsaJwk(),
      principal: 'ada@contoso.example',
      keyId: 'ada',
      now: Date.UTC(2026, 0, 1),
    })
    expect(() => parseOpenSshCertificate(blob.subarray(0, 80).toString('base64'))).toThrow(
      /cut short/,
    )
  })
})

describe('renewal timing', () => {
  const hour = 3_600_000
  const cert = { validAfter: 0, validBefore: hour }

  it('renews an hour-long certificate in its last fifth (12 minutes before it ends)', () => {
    expect(renewAt(cert)).toBe(hour - 12 * 60_000)
    expect(needsRenewal(cert, hour - 12 * 60_000 - 1)).toBe(false)
    expect(needsRenewal(cert, hour - 12 * 60_000)).toBe(true)
    expect(needsRenewal(cert, hour + 1)).toBe(true)
  })

  it('renews a short certificate at least five minutes before it ends', () => {
    const short = { validAfter: 0, validBefore: 10 * 60_000 }
    expect(renewAt(short)).toBe(5 * 60_000)
    expect(needsRenewal(short, 5 * 60_000 - 1)).toBe(false)
  })

  it('treats a certificate that is not valid yet (a clock behind) as needing a new one', () => {
    expect(needsRenewal({ validAfter: 1_000, validBefore: hour }, 0)).toBe(true)
  })
})
