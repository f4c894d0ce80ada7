import { isObject, type Value } from './value'

/**
 * Line and column of a JSON path in the template as the SDKs send it (compact JSON on one
 * line), so that messages point where Azure's would: "at line '1' and column '734'".
 */
export function locate(
  template: Value,
  path: Array<string | number>,
): { line: number; column: number } {
  let offset = 0
  let node: Value | undefined = template
  for (const step of path) {
    if (Array.isArray(node) && typeof step === 'number' && step < node.length) {
      offset +=
        1 +
        node.slice(0, step).reduce<number>((sum, item) => sum + JSON.stringify(item).length + 1, 0)
      node = node[step]
    } else if (isObject(node) && typeof step === 'string' && Object.hasOwn(node, step)) {
      offset += 1
      for (const [key, value] of Object.entries(node)) {
        if (key === step) break
        offset += JSON.stringify(key).length + 1 + JSON.stringify(value).length + 1
      }
      offset += JSON.stringify(step).length + 1
      node = node[step]
    } else {
      break
    }
  }
  return { line: 1, column: offset + 1 }
}

export const at = (template: Value, path: Array<string | number>) => {
  const { line, column } = locate(template, path)
  return `at line '${line}' and column '${column}'`
}
