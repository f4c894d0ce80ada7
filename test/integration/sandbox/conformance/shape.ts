/**
 * Compares the shape of a sandbox response with the shape of Microsoft's example response:
 * every property path the example has must exist in the sandbox's answer with the same JSON
 * type. Values are not compared (the examples are full of placeholders); arrays are compared
 * by their first element; properties the sandbox adds are fine; a property that is null in
 * the example may be absent (SDKs read both as "no value").
 */

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null'

export interface ShapeMismatch {
  path: string
  problem: string
}

export const jsonType = (value: unknown): JsonType =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType)

export interface ShapeOptions {
  /** Paths (as printed, e.g. "tags", "properties.outputs") whose keys are user data: only the type is compared. */
  freeKeys?: readonly string[]
  /** Returns true when a mismatch at this path is an accepted exception. */
  ignore?: (path: string) => boolean
}

export function compareShape(
  example: unknown,
  actual: unknown,
  options: ShapeOptions = {},
): ShapeMismatch[] {
  const mismatches: ShapeMismatch[] = []
  const free = new Set(options.freeKeys ?? [])
  const report = (path: string, problem: string) => {
    if (!options.ignore?.(path)) mismatches.push({ path: path || '(root)', problem })
  }

  const walk = (exampleValue: unknown, actualValue: unknown, path: string): void => {
    const expected = jsonType(exampleValue)
    const got = jsonType(actualValue)
    // A null in an example is a placeholder for "some value or none": any type will do.
    if (expected === 'null') return
    if (expected !== got) {
      report(
        path,
        `expected ${expected}, sandbox has ${actualValue === undefined ? 'nothing' : got}`,
      )
      return
    }
    if (free.has(path)) return
    if (expected === 'array') {
      const [first] = exampleValue as unknown[]
      if (first === undefined) return
      const actualArray = actualValue as unknown[]
      if (actualArray.length === 0) {
        report(`${path}[]`, 'the example has elements, the sandbox array is empty')
        return
      }
      walk(first, actualArray[0], `${path}[]`)
      return
    }
    if (expected === 'object') {
      const actualObject = actualValue as Record<string, unknown>
      for (const [key, value] of Object.entries(exampleValue as Record<string, unknown>)) {
        const childPath = path ? `${path}.${key}` : key
        if (!(key in actualObject)) {
          // A null in the example is the same as no value to every Azure SDK: optional.
          if (value !== null && !options.ignore?.(childPath))
            mismatches.push({ path: childPath, problem: 'missing in the sandbox response' })
          continue
        }
        walk(value, actualObject[key], childPath)
      }
    }
  }

  walk(example, actual, '')
  return mismatches
}

/** Long-running-operation headers that must be present when the example has them. */
export const lroHeaders = ['azure-asyncoperation', 'location'] as const

export function missingLroHeaders(
  exampleHeaders: Record<string, unknown> | undefined,
  actualHeaders: Record<string, unknown>,
): string[] {
  const expected = Object.keys(exampleHeaders ?? {}).map((h) => h.toLowerCase())
  const actual = new Set(Object.keys(actualHeaders).map((h) => h.toLowerCase()))
  return lroHeaders.filter((h) => expected.includes(h) && !actual.has(h))
}
