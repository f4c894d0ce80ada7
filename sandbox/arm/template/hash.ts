import { createHash } from 'node:crypto'

/**
 * uniqueString() and guid() exactly as Azure computes them, so names derived from them in
 * the sandbox look like (and are as stable as) the ones a real deployment produces:
 * uniqueString is a 64-bit Murmur-style hash of the dash-joined arguments written as 13
 * base32 characters; guid is a name-based UUID (version 5) in ARM's own namespace.
 */
const base32 = 'abcdefghijklmnopqrstuvwxyz234567'
const armGuidNamespace = '11fb06fb-712d-4ddd-98c7-e71bbd588830'

const c1 = 0xab0e9789 // 2869860233
const c2 = 0x239b961b // 597399067
const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0
const mul = (a: number, b: number) => Math.imul(a, b) >>> 0
const add = (a: number, b: number) => (a + b) >>> 0

function fmix(h: number): number {
  h = mul(h ^ (h >>> 16), 0x85ebca6b)
  h = mul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

function murmur64(data: Uint8Array): bigint {
  const length = data.length
  const word = (i: number, count = 4) => {
    let w = 0
    for (let b = 0; b < count; b++) w |= data[i + b]! << (8 * b)
    return w >>> 0
  }
  let h1 = 0
  let h2 = 0
  let i = 0
  for (; i + 7 < length; i += 8) {
    const k1 = mul(rotl(mul(word(i), c2), 15), c1)
    const k2 = mul(rotl(mul(word(i + 4), c1), 17), c2)
    h1 = add(mul(add(rotl((h1 ^ k1) >>> 0, 19), h2), 5), 0x561ccd1b)
    h2 = add(mul(add(rotl((h2 ^ k2) >>> 0, 13), h1), 5), 0x0bcaa747)
  }
  const tail = length - i
  if (tail > 0) {
    const k1 = mul(rotl(mul(word(i, Math.min(tail, 4)), c2), 15), c1)
    h1 = (h1 ^ k1) >>> 0
    if (tail > 4) {
      const k2 = mul(rotl(mul(word(i + 4, tail - 4), c1), 17), c2)
      h2 = (h2 ^ k2) >>> 0
    }
  }
  h1 = (h1 ^ length) >>> 0
  h2 = (h2 ^ length) >>> 0
  h1 = add(h1, h2)
  h2 = add(h2, h1)
  h1 = fmix(h1)
  h2 = fmix(h2)
  h1 = add(h1, h2)
  h2 = add(h2, h1)
  return (BigInt(h2) << 32n) | BigInt(h1)
}

export function uniqueString(...values: string[]): string {
  let hash = murmur64(new TextEncoder().encode(values.join('-')))
  let out = ''
  for (let i = 0; i < 13; i++) {
    out += base32[Number((hash >> 59n) & 31n)]
    hash = (hash << 5n) & 0xffffffffffffffffn
  }
  return out
}

export function armGuid(...values: string[]): string {
  const namespace = Buffer.from(armGuidNamespace.replace(/-/g, ''), 'hex')
  const digest = createHash('sha1').update(namespace).update(values.join('-'), 'utf8').digest()
  const bytes = digest.subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
