import { TemplateError } from '../errors'
import type { Value } from '../value'
import { toArmString } from './convert'

/**
 * .NET composite formatting as ARM's format() uses it: `{0}`, `{1,-8}`, `{0:D3}`, `{0:N2}`,
 * `{0:X}`, with `{{` and `}}` as literal braces.
 */
export function formatString(pattern: string, values: Value[]): string {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '{' && pattern[i + 1] === '{') {
      out += '{'
      i++
    } else if (c === '}' && pattern[i + 1] === '}') {
      out += '}'
      i++
    } else if (c === '{') {
      const end = pattern.indexOf('}', i)
      const m = end < 0 ? null : /^(\d+)(?:,(-?\d+))?(?::(.*))?$/.exec(pattern.slice(i + 1, end))
      if (!m)
        throw new TemplateError(
          `The format string '${pattern}' is not valid: Input string was not in a correct format.`,
        )
      const index = Number(m[1])
      if (index >= values.length) {
        throw new TemplateError(
          `The format string '${pattern}' is not valid: Index (zero based) must be greater than or equal to zero and less than the size of the argument list.`,
        )
      }
      let text = applySpecifier(values[index]!, m[3])
      const width = m[2] ? Number(m[2]) : 0
      if (width > 0) text = text.padStart(width)
      else if (width < 0) text = text.padEnd(-width)
      out += text
      i = end
    } else if (c === '}') {
      throw new TemplateError(
        `The format string '${pattern}' is not valid: Input string was not in a correct format.`,
      )
    } else {
      out += c
    }
  }
  return out
}

function applySpecifier(value: Value, specifier: string | undefined): string {
  if (!specifier || typeof value !== 'number') return toArmString(value)
  const m = /^([DdNnXxFf])(\d*)$/.exec(specifier)
  if (!m) return toArmString(value)
  const precision = m[2] ? Number(m[2]) : undefined
  switch (m[1]!.toUpperCase()) {
    case 'D': {
      const digits = String(Math.abs(Math.trunc(value))).padStart(precision ?? 0, '0')
      return value < 0 ? `-${digits}` : digits
    }
    case 'N':
      return value.toLocaleString('en-US', {
        minimumFractionDigits: precision ?? 2,
        maximumFractionDigits: precision ?? 2,
      })
    case 'F':
      return value.toFixed(precision ?? 2)
    default: {
      const hex = (Math.trunc(value) >>> 0).toString(16).padStart(precision ?? 0, '0')
      return m[1] === 'X' ? hex.toUpperCase() : hex
    }
  }
}
