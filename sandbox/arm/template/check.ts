import { TemplateError } from './errors'
import { lookupFunction } from './evaluate'
import { callsIn, isExpression, parseExpressionString } from './expression'
import { isObject, type Value } from './value'

/**
 * Azure parses every expression of a template before it deploys anything: a syntax error or
 * an unknown function anywhere (even in a resource's properties, which are evaluated only
 * later) fails validation. The error carries the JSON path of the offending string.
 */
export function checkExpressions(
  value: Value | undefined,
  path: Array<string | number> = [],
): void {
  if (typeof value === 'string') {
    if (!isExpression(value)) return
    try {
      for (const call of callsIn(parseExpressionString(value))) {
        if (call.name.toLowerCase() !== 'if' && !lookupFunction(call.name)) {
          throw new TemplateError(
            `The template function '${call.name}' is not valid. Please see https://aka.ms/arm-functions for usage details.`,
          )
        }
      }
    } catch (error) {
      if (error instanceof TemplateError) {
        error.path = path
        error.expression = value
      }
      throw error
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkExpressions(item, [...path, i]))
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) checkExpressions(item, [...path, key])
  }
}
