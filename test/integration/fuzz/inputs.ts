import { z } from 'zod'

/*
 * Malformed IPC inputs, generated the same way every run from a seed: for each call, values
 * of the wrong type, missing and extra fields, huge strings, __proto__ / constructor keys,
 * Infinity, control and bidi characters and traversal strings, on their own and in place of
 * each field of an otherwise plausible input.
 */

/** mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** JSON has no Infinity: these strings are swapped for 1e999 / -1e999 in the frame's text. */
export const infinityMarker = '@@fuzz:Infinity@@'
export const negativeInfinityMarker = '@@fuzz:-Infinity@@'

/** Puts the Infinity markers back as numbers JSON.parse reads as ±Infinity. */
export function frameText(frame: unknown): string {
  return JSON.stringify(frame)
    .replaceAll(JSON.stringify(infinityMarker), '1e999')
    .replaceAll(JSON.stringify(negativeInfinityMarker), '-1e999')
}

/** What the host receives after JSON: the input as the router will see it. */
export function asReceived(input: unknown): unknown {
  const text = frameText({ input })
  return (JSON.parse(text) as { input?: unknown }).input
}

/** An object with an own key "__proto__", as JSON.parse makes one from text. */
function withProtoKey(value: unknown): Record<string, unknown> {
  return JSON.parse(`{"__proto__":${JSON.stringify(value)}}`) as Record<string, unknown>
}

export const pollution = { polluted: 'by the fuzz' }

export const traversalStrings = [
  '../../../../etc/passwd',
  '..\\..\\..\\Windows\\System32\\config\\SAM',
  'notebooks/../../other-user',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/etc/shadow',
  '~/.ssh/id_ed25519',
  'file:///etc/passwd',
  '\\\\attacker.example\\share',
  '..',
  '.',
]

export const controlStrings = [
  'a\u0000b',
  'line\r\nInjected: header',
  '\u001b[31mred\u001b[0m',
  '\u0007\u0008\u007f',
  'name\u202egnp.exe', // right-to-left override
  '\u2066isolate\u2069\u200f\u061c',
  '\ufeffbom',
  '\ud800', // a lone surrogate
]

export const injectionStrings = [
  '$(touch /tmp/fuzz)',
  '`id`',
  '; rm -rf ~',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  "' OR '1'='1",
  '{{constructor.constructor("return process")()}}',
]

/** Values of every JSON type (and the Infinity markers) that fit no field of ours. */
export const wrongTypeValues: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  infinityMarker,
  negativeInfinityMarker,
  '',
  ' ',
  'x',
  [],
  [null],
  {},
  { nested: { deeper: [1, 'two', null] } },
  withProtoKey(pollution),
  { constructor: { prototype: pollution } },
]

export function hugeString(length: number): string {
  return 'A'.repeat(length)
}

export const hostileValues: unknown[] = [
  ...wrongTypeValues,
  ...traversalStrings,
  ...controlStrings,
  ...injectionStrings,
]

export interface FuzzInput {
  /** What the variant is, for a failure message. */
  label: string
  input: unknown
}

type Shape = Record<string, z.ZodType>

function shapeOf(schema: z.ZodType): Shape {
  return schema instanceof z.ZodObject ? (schema.shape as Shape) : {}
}

function isOptional(field: z.ZodType): boolean {
  return field.safeParse(undefined).success
}

/**
 * The inputs for one call: `plausible` holds good values for field names (a real pool id,
 * subscription ...) so that one hostile field at a time reaches past the other fields.
 */
export function inputsFor(
  schema: z.ZodType,
  plausible: Record<string, unknown>,
  random: () => number,
  options: { randomCount: number; hugeLength: number },
): FuzzInput[] {
  const shape = shapeOf(schema)
  const keys = Object.keys(shape)
  const base: Record<string, unknown> = {}
  for (const key of keys) if (key in plausible) base[key] = plausible[key]
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!

  const inputs: FuzzInput[] = []
  // The whole input of the wrong type, or with keys that are not ours.
  for (const value of wrongTypeValues)
    inputs.push({ label: 'input is a wrong value', input: value })
  inputs.push({ label: 'input is a traversal string', input: pick(traversalStrings) })
  inputs.push({ label: 'input is a huge string', input: hugeString(options.hugeLength) })
  inputs.push({ label: 'extra field', input: { ...base, unexpected: 'field' } })
  inputs.push({ label: '__proto__ key', input: Object.assign(withProtoKey(pollution), base) })
  inputs.push({
    label: 'constructor.prototype key',
    input: { ...base, constructor: { prototype: pollution } },
  })
  // One field at a time: missing (when required), and each hostile value.
  for (const key of keys) {
    if (!isOptional(shape[key]!)) {
      const rest = { ...base }
      delete rest[key]
      inputs.push({ label: `missing ${key}`, input: rest })
    }
    for (const value of hostileValues) {
      inputs.push({ label: `${key} = ${describe(value)}`, input: { ...base, [key]: value } })
    }
    inputs.push({
      label: `${key} = array of hostile values`,
      input: { ...base, [key]: hostileValues },
    })
    inputs.push({
      label: `${key} = __proto__ object`,
      input: { ...base, [key]: withProtoKey(pollution) },
    })
  }
  if (keys.length) {
    const key = pick(keys)
    inputs.push({
      label: `${key} = huge string`,
      input: { ...base, [key]: hugeString(options.hugeLength) },
    })
  }
  // Random mixtures: a few fields, ours or not, each plausible or hostile, sometimes nested.
  const fieldNames = [...keys, 'unexpected', '__proto__', 'constructor', 'prototype']
  for (let i = 0; i < options.randomCount; i++) {
    const input: Record<string, unknown> = {}
    const count = 1 + Math.floor(random() * Math.max(1, keys.length + 1))
    for (let f = 0; f < count; f++) {
      const key = pick(fieldNames)
      const roll = random()
      const value =
        roll < 0.3 && key in plausible
          ? plausible[key]
          : roll < 0.8
            ? pick(hostileValues)
            : roll < 0.9
              ? [pick(hostileValues), pick(hostileValues)]
              : { [pick(fieldNames)]: pick(hostileValues) }
      // defineProperty: an assignment to "__proto__" would set the prototype instead.
      Object.defineProperty(input, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    inputs.push({ label: `random mixture ${i + 1}`, input })
  }
  return inputs
}

function describe(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 60)
}
