import { generate } from 'selfsigned'

export interface SandboxCertificate {
  /** PEM of the certificate clients trust (self-signed: it is its own CA). */
  cert: string
  key: string
}

/** A fresh certificate for localhost and 127.0.0.1, made at every start. */
export async function createCertificate(): Promise<SandboxCertificate> {
  const now = new Date()
  const result = await generate([{ name: 'commonName', value: 'DSVM Pool Manager sandbox' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  })
  // A PEM ends with a newline so that appending it to a CA bundle keeps the bundle valid.
  const pem = (text: string) => (text.endsWith('\n') ? text : `${text}\n`)
  return { cert: pem(result.cert), key: pem(result.private) }
}
