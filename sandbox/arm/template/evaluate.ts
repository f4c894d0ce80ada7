import type { Env } from './env'
import { withCopyIndex } from './env'
import { DeferredValue, TemplateError } from './errors'
import { isExpression, parseExpressionString, unescapeLiteral, type Expr } from './expression'
import { lambdaFunctions, lambdaVariable } from './lambda'
import { collectionFunctions } from './functions/collections'
import { dateFunctions } from './functions/date'
import { logicFunctions } from './functions/logic'
import { listAction, resourceFunctions } from './functions/resource'
import { scopeFunctions } from './functions/scope'
import { stringFunctions } from './functions/string'
import type { FunctionTable, TemplateFunction } from './functions/types'
import { isObject, propertyOf, tokenType, type ObjectValue, type Value } from './value'

const functions: FunctionTable = {
  ...stringFunctions,
  ...collectionFunctions,
  ...logicFunctions,
  ...scopeFunctions,
  ...resourceFunctions,
  ...dateFunctions,
}

/** Longest array a copy loop may produce (Azure's limit). */
export const maxCopyCount = 800

const lambdaOnly: TemplateFunction = (_args, _env, name) => {
  throw new TemplateError(
    `The template function '${name}' is only valid as the last parameter of filter, map, reduce, sort or toObject.`,
  )
}

const functionsWithLambdas: FunctionTable = {
  ...Object.fromEntries(Object.keys(lambdaFunctions).map((name) => [name, lambdaOnly])),
  lambda: lambdaOnly,
  lambdavariables: (args, env, name) => {
    if (args.length !== 1 || typeof args[0] !== 'string') {
      throw new TemplateError(
        `The template language function '${name}' expects one string parameter.`,
      )
    }
    return lambdaVariable(env, args[0])
  },
}

/** The function a name stands for (case-insensitive); list* names are resource actions. */
export function lookupFunction(name: string): TemplateFunction | undefined {
  const lower = name.toLowerCase()
  if (functionsWithLambdas[lower]) return functionsWithLambdas[lower]
  return functions[lower] ?? (lower.startsWith('list') ? listAction : undefined)
}

export async function evaluateExpr(expr: Expr, env: Env): Promise<Value> {
  switch (expr.kind) {
    case 'literal':
      return expr.value
    case 'call': {
      if (expr.name.toLowerCase() === 'if') return evaluateIf(expr.args, env)
      const higherOrder = lambdaFunctions[expr.name.toLowerCase()]
      if (higherOrder) return higherOrder(expr.args, env, evaluateExpr, expr.name)
      const fn = lookupFunction(expr.name)
      if (!fn) {
        throw new TemplateError(
          `The template function '${expr.name}' is not valid. Please see https://aka.ms/arm-functions for usage details.`,
        )
      }
      const args: Value[] = []
      for (const arg of expr.args) args.push(await evaluateExpr(arg, env))
      return fn(args, env, expr.name)
    }
    case 'property': {
      const target = await evaluateExpr(expr.target, env)
      return member(target, expr.name)
    }
    case 'index': {
      const target = await evaluateExpr(expr.target, env)
      const index = await evaluateExpr(expr.index, env)
      if (Array.isArray(target)) {
        if (typeof index !== 'number' || !Number.isInteger(index)) {
          throw new TemplateError(
            `The language expression array index must be an integer; the provided value is of type '${tokenType(index)}'.`,
          )
        }
        if (index < 0 || index >= target.length) {
          throw new TemplateError(
            `The language expression property array index '${index}' is out of bounds.`,
          )
        }
        return target[index]!
      }
      if (typeof index !== 'string') {
        throw new TemplateError(
          `The language expression property '${String(index)}' can't be evaluated, property name must be a string.`,
        )
      }
      return member(target, index)
    }
  }
}

async function evaluateIf(args: Expr[], env: Env): Promise<Value> {
  if (args.length !== 3) {
    throw new TemplateError(
      `Unable to evaluate template language function 'if': function requires 3 argument(s) while ${args.length} were provided.`,
    )
  }
  const condition = await evaluateExpr(args[0]!, env)
  if (typeof condition !== 'boolean') {
    throw new TemplateError(
      `The template language function 'if' expects its first parameter to be of type 'Boolean'. The provided value is of type '${tokenType(condition)}'.`,
    )
  }
  return evaluateExpr(condition ? args[1]! : args[2]!, env)
}

function member(target: Value, name: string): Value {
  if (!isObject(target)) {
    throw new TemplateError(
      `The language expression property '${name}' can't be evaluated, the value is of type '${tokenType(target)}' and not an object.`,
    )
  }
  const value = propertyOf(target, name)
  if (value === undefined) {
    throw new TemplateError(
      `The language expression property '${name}' doesn't exist, available properties are '${Object.keys(target).join(', ')}'.`,
    )
  }
  return value
}

/** Evaluates one JSON string: an expression, an escaped literal or plain text. */
export async function evaluateString(text: string, env: Env): Promise<Value> {
  if (!isExpression(text)) return unescapeLiteral(text)
  try {
    return await evaluateExpr(parseExpressionString(text), env)
  } catch (error) {
    if (error instanceof DeferredValue && env.phase === 'whatIf') return text
    if (error instanceof TemplateError && !error.expression) error.expression = text
    throw error
  }
}

export interface EvaluateOptions {
  /** Expand `copy` arrays inside objects (resource properties and variables). */
  propertyCopy?: boolean
}

/**
 * Evaluates every expression in a JSON value. Errors carry the JSON path of the failing
 * value (relative to `path`) so that messages can point into the template.
 */
export async function evaluateValue(
  value: Value | undefined,
  env: Env,
  options: EvaluateOptions = {},
  path: Array<string | number> = [],
): Promise<Value> {
  try {
    if (value === undefined) return null
    if (typeof value === 'string') return await evaluateString(value, env)
    if (Array.isArray(value)) {
      const out: Value[] = []
      for (let i = 0; i < value.length; i++)
        out.push(await evaluateValue(value[i], env, options, [...path, i]))
      return out
    }
    if (isObject(value)) return await evaluateObject(value, env, options, path)
    return value
  } catch (error) {
    if (error instanceof TemplateError && !error.path) error.path = path
    throw error
  }
}

async function evaluateObject(
  value: ObjectValue,
  env: Env,
  options: EvaluateOptions,
  path: Array<string | number>,
): Promise<ObjectValue> {
  const out: ObjectValue = {}
  for (const [key, item] of Object.entries(value)) {
    if (options.propertyCopy && key.toLowerCase() === 'copy' && Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        const loop = item[i]
        const loopPath = [...path, key, i]
        if (!isObject(loop))
          throw new TemplateError(
            `The copy property must be an array of objects with 'name', 'count' and 'input'.`,
            loopPath,
          )
        const { name, values } = await expandCopy(loop, env, options, loopPath)
        out[name] = values
      }
    } else {
      out[key] = await evaluateValue(item, env, options, [...path, key])
    }
  }
  return out
}

/** Evaluates the count of a copy loop: an integer from 0 to 800. */
export async function copyCount(
  loop: ObjectValue,
  env: Env,
  path: Array<string | number>,
): Promise<number> {
  const count = await evaluateValue(loop.count, env, {}, [...path, 'count'])
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > maxCopyCount) {
    throw new TemplateError(
      `The template 'copy' count '${JSON.stringify(count)}' is not valid. The count must be a non-negative integer value and cannot exceed '${maxCopyCount}'. Please see https://aka.ms/arm-copy for usage details.`,
      [...path, 'count'],
    )
  }
  return count
}

/** A property or variable copy loop: `{ name, count, input }` → the array it stands for. */
export async function expandCopy(
  loop: ObjectValue,
  env: Env,
  options: EvaluateOptions,
  path: Array<string | number>,
  /** Output loops use copyIndex() without a loop name. */
  unnamedIndex = false,
): Promise<{ name: string; values: Value[] }> {
  const name = loop.name
  if (typeof name !== 'string' || name.length === 0 || loop.input === undefined) {
    throw new TemplateError(
      `The template copy loop must have a 'name', a 'count' and an 'input'. Please see https://aka.ms/arm-copy for usage details.`,
      path,
    )
  }
  const count = await copyCount(loop, env, path)
  const values: Value[] = []
  for (let i = 0; i < count; i++) {
    values.push(
      await evaluateValue(loop.input, withCopyIndex(env, name, i, unnamedIndex), options, [
        ...path,
        'input',
      ]),
    )
  }
  return { name, values }
}
