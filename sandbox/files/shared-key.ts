import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

/** The parts of a request that a Shared Key signature covers. */
export interface SignedRequestParts {
  method: string
  /** The URL as sent: encoded path and query. */
  url: URL
  headers: IncomingHttpHeaders
}

const standardHeaders = [
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-type',
  'date',
  'if-modified-since',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'range',
]

const headerValue = (headers: IncomingHttpHeaders, name: string): string => {
  const value = headers[name]
  return Array.isArray(value) ? value.join(',') : (value ?? '')
}

/**
 * The Shared Key string-to-sign for the Blob, Queue and File services (version 2009-09-19
 * and later): verb, the standard headers, the canonicalized x-ms- headers and the
 * canonicalized resource `/<account><path>` with the query parameters on their own lines.
 */
export function stringToSign(account: string, req: SignedRequestParts): string {
  const standard = standardHeaders.map((name) => {
    const value = headerValue(req.headers, name)
    if (name === 'content-length' && value === '0') return ''
    if (name === 'date' && req.headers['x-ms-date'] !== undefined) return ''
    return value
  })
  return (
    [req.method.toUpperCase(), ...standard].join('\n') +
    '\n' +
    canonicalizedHeaders(req.headers) +
    canonicalizedResource(account, req.url)
  )
}

export function canonicalizedHeaders(headers: IncomingHttpHeaders): string {
  return Object.keys(headers)
    .filter((name) => name.toLowerCase().startsWith('x-ms-'))
    .map((name) => name.toLowerCase())
    .sort(compareHeaderNames)
    .map((name) => `${name}:${headerValue(headers, name).trimStart()}\n`)
    .join('')
}

export function canonicalizedResource(account: string, url: URL): string {
  let resource = `/${account}${url.pathname || '/'}`
  const values = new Map<string, string[]>()
  const query = url.search.startsWith('?') ? url.search.slice(1) : url.search
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    // A bare name (no '=') is not signed; an empty value is, as `name:` (e.g. `include=`).
    if (eq <= 0 || eq !== pair.lastIndexOf('=')) continue
    const key = pair.slice(0, eq).toLowerCase()
    values.set(key, [...(values.get(key) ?? []), decodeURIComponent(pair.slice(eq + 1))])
  }
  for (const key of [...values.keys()].sort()) {
    resource += `\n${key}:${values.get(key)!.sort().join(',')}`
  }
  return resource
}

/**
 * The service sorts header names the way .NET's culture-aware comparison does: hyphens are
 * ignored at first and only break ties; '_' sorts before digits, digits before letters.
 */
export function compareHeaderNames(a: string, b: string): number {
  const weight = (c: string) =>
    c === '_' ? 1 : c >= '0' && c <= '9' ? 2 + c.charCodeAt(0) : 100 + c.charCodeAt(0)
  const strip = (s: string) => s.replace(/-/g, '')
  const [x, y] = [strip(a), strip(b)]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const diff = weight(x[i]!) - weight(y[i]!)
    if (diff !== 0) return diff
  }
  if (x.length !== y.length) return x.length - y.length
  return a < b ? -1 : a > b ? 1 : 0
}

export function signature(keyBase64: string, toSign: string): string {
  return createHmac('sha256', Buffer.from(keyBase64, 'base64'))
    .update(toSign, 'utf8')
    .digest('base64')
}

/** True when `given` (base64) is the signature of `toSign` under any of the keys. */
export function signatureMatches(keysBase64: string[], toSign: string, given: string): boolean {
  const givenBytes = Buffer.from(given, 'base64')
  return keysBase64.some((key) => {
    const expected = Buffer.from(signature(key, toSign), 'base64')
    return expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes)
  })
}
