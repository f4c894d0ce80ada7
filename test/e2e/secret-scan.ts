import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/*
 * The secret gate after each E2E journey: everything the app wrote (data folder, logs, the
 * ~/.ssh stand-in, downloads, exported files) and every command line it had started is
 * searched for the sandbox's storage keys and refresh tokens, the passwords sent to main,
 * JWTs, connection strings, SAS signatures, and private keys outside ~/.ssh. A hit names the
 * place and the kind of secret, never the secret.
 */

export type SecretKind =
  | 'storage key'
  | 'password'
  | 'refresh token'
  | 'JWT'
  | 'private key'
  | 'connection string'
  | 'SAS signature'

export interface KnownSecret {
  kind: Extract<SecretKind, 'storage key' | 'password' | 'refresh token'>
  value: string
}

export interface Footprint {
  /** Folders the app wrote into; every file in them is read. */
  folders: string[]
  /** Folders where private keys belong (the ~/.ssh stand-in): keys in files there are fine. */
  privateKeyFolders: string[]
  /** Programs and URLs the app started, one line each. */
  commandLines: string[]
}

export interface SecretHit {
  /** A file path or "command line N". */
  where: string
  kind: SecretKind
}

export interface ScanReport {
  filesScanned: number
  bytesScanned: number
  commandLinesScanned: number
  hits: SecretHit[]
}

const patterns: Array<{ kind: SecretKind; pattern: RegExp }> = [
  { kind: 'JWT', pattern: /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/ },
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  // The sandbox's refresh tokens (Entra's are opaque too, so only known ones can be found).
  { kind: 'refresh token', pattern: /\b1\.sbx\.[\w-]{40,}/ },
  { kind: 'connection string', pattern: /AccountKey=[A-Za-z0-9+/]{20,}/i },
  { kind: 'SAS signature', pattern: /[?&]sig=[A-Za-z0-9%+/]{20,}/ },
]

/** The forms a known secret can take in a file or a URL. */
function forms(secret: KnownSecret): string[] {
  const { value } = secret
  const all = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])
  return [...all].filter((form) => form.length >= 8)
}

/** The kinds of secret in one text (each kind once). */
export function secretsIn(
  text: string,
  known: KnownSecret[],
  options: { privateKeysAllowed?: boolean } = {},
): SecretKind[] {
  const found = new Set<SecretKind>()
  for (const { kind, pattern } of patterns) {
    if (kind === 'private key' && options.privateKeysAllowed) continue
    if (pattern.test(text)) found.add(kind)
  }
  for (const secret of known) {
    if (forms(secret).some((form) => text.includes(form))) found.add(secret.kind)
  }
  return [...found]
}

/** A storage key is base64 of 64 bytes: a file could also hold the bytes themselves. */
function rawKeyBytesIn(content: Buffer, known: KnownSecret[]): boolean {
  return known.some((secret) => {
    if (secret.kind !== 'storage key') return false
    const bytes = Buffer.from(secret.value, 'base64')
    return bytes.length >= 16 && content.includes(bytes)
  })
}

function* filesUnder(folder: string): Generator<string> {
  let entries
  try {
    entries = readdirSync(folder, { withFileTypes: true })
  } catch {
    return // a folder the app never created
  }
  for (const entry of entries) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) yield* filesUnder(path)
    else if (entry.isFile()) yield path
  }
}

const isInside = (path: string, folder: string) =>
  !relative(folder, path).startsWith(`..${sep}`) && relative(folder, path) !== '..'

export function scanFootprint(footprint: Footprint, known: KnownSecret[]): ScanReport {
  const report: ScanReport = { filesScanned: 0, bytesScanned: 0, commandLinesScanned: 0, hits: [] }
  const seen = new Set<string>()
  for (const folder of footprint.folders) {
    for (const path of filesUnder(folder)) {
      if (seen.has(path)) continue
      seen.add(path)
      const content = readFileSync(path)
      report.filesScanned++
      report.bytesScanned += statSync(path).size
      const privateKeysAllowed = footprint.privateKeyFolders.some((f) => isInside(path, f))
      // latin1 keeps every byte, so a secret inside a binary file is found too.
      const kinds = new Set([
        ...secretsIn(content.toString('utf8'), known, { privateKeysAllowed }),
        ...secretsIn(content.toString('latin1'), known, { privateKeysAllowed }),
      ])
      if (rawKeyBytesIn(content, known)) kinds.add('storage key')
      for (const kind of kinds) report.hits.push({ where: path, kind })
    }
  }
  footprint.commandLines.forEach((line, index) => {
    report.commandLinesScanned++
    for (const kind of secretsIn(line, known))
      report.hits.push({ where: `command line ${index + 1}`, kind })
  })
  return report
}

/** Values under keys that name a password or secret, anywhere in a call's input. */
export function passwordsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) passwordsIn(item, found)
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && /password|secret|passphrase/i.test(key) && item.length >= 4)
        found.push(item)
      else passwordsIn(item, found)
    }
  }
  return found
}
