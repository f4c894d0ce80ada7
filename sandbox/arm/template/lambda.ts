import type { Env } from './env'
import { TemplateError } from './errors'
import type { Expr } from './expression'
import { tokenType, type ObjectValue, type Value } from './value'

type Evaluate = (expr: Expr, env: Env) => Promise<Value>

/** A `lambda('a', 'b', body)` argument, ready to be applied. */
interface Lambda {
  parameters: string[]
  body: Expr
}

function lambdaOf(functionName: string, expr: Expr | undefined, maxParameters: number): Lambda {
  if (
    !expr ||
    expr.kind !== 'call' ||
    expr.name.toLowerCase() !== 'lambda' ||
    expr.args.length < 2
  ) {
    throw new TemplateError(
      `The template language function '${functionName}' expects a lambda expression, e.g. lambda('x', ...), as its last parameter.`,
    )
  }
  const names = expr.args.slice(0, -1)
  if (
    names.length > maxParameters ||
    names.some((n) => n.kind !== 'literal' || typeof n.value !== 'string')
  ) {
    throw new TemplateError(
      `The lambda of '${functionName}' must name at most ${maxParameters} parameter(s) with string literals.`,
    )
  }
  return { parameters: names.map((n) => (n as { value: string }).value), body: expr.args.at(-1)! }
}

function apply(evaluate: Evaluate, lambda: Lambda, env: Env, values: Value[]): Promise<Value> {
  const bound = Object.fromEntries(
    lambda.parameters.map((p, i) => [p.toLowerCase(), values[i] ?? null]),
  )
  return evaluate(lambda.body, { ...env, lambda: { ...env.lambda, ...bound } })
}

async function arrayArgument(
  evaluate: Evaluate,
  name: string,
  expr: Expr | undefined,
  env: Env,
): Promise<Value[]> {
  const value = expr ? await evaluate(expr, env) : null
  if (!Array.isArray(value)) {
    throw new TemplateError(
      `The template language function '${name}' expects its first parameter to be of type 'Array'. The provided value is of type '${tokenType(value)}'.`,
    )
  }
  return value
}

/** filter, map, reduce, sort and toObject: the functions that take a lambda. */
export const lambdaFunctions: Record<
  string,
  (args: Expr[], env: Env, evaluate: Evaluate, name: string) => Promise<Value>
> = {
  async filter(args, env, evaluate, name) {
    const items = await arrayArgument(evaluate, name, args[0], env)
    const lambda = lambdaOf(name, args[1], 2)
    const kept: Value[] = []
    for (let i = 0; i < items.length; i++)
      if ((await apply(evaluate, lambda, env, [items[i]!, i])) === true) kept.push(items[i]!)
    return kept
  },
  async map(args, env, evaluate, name) {
    const items = await arrayArgument(evaluate, name, args[0], env)
    const lambda = lambdaOf(name, args[1], 2)
    const out: Value[] = []
    for (let i = 0; i < items.length; i++)
      out.push(await apply(evaluate, lambda, env, [items[i]!, i]))
    return out
  },
  async reduce(args, env, evaluate, name) {
    const items = await arrayArgument(evaluate, name, args[0], env)
    let accumulator = args[1] ? await evaluate(args[1], env) : null
    const lambda = lambdaOf(name, args[2], 3)
    for (let i = 0; i < items.length; i++)
      accumulator = await apply(evaluate, lambda, env, [accumulator, items[i]!, i])
    return accumulator
  },
  async sort(args, env, evaluate, name) {
    const items = [...(await arrayArgument(evaluate, name, args[0], env))]
    const lambda = lambdaOf(name, args[1], 2)
    // Insertion sort: the comparison is asynchronous.
    for (let i = 1; i < items.length; i++) {
      const item = items[i]!
      let j = i - 1
      while (j >= 0 && (await apply(evaluate, lambda, env, [item, items[j]!])) === true) {
        items[j + 1] = items[j]!
        j--
      }
      items[j + 1] = item
    }
    return items
  },
  async toobject(args, env, evaluate, name) {
    const items = await arrayArgument(evaluate, name, args[0], env)
    const key = lambdaOf(name, args[1], 1)
    const value = args[2] ? lambdaOf(name, args[2], 1) : undefined
    const out: ObjectValue = {}
    for (const item of items) {
      const k = await apply(evaluate, key, env, [item])
      if (typeof k !== 'string')
        throw new TemplateError(`The key selector of 'toObject' must return a string.`)
      out[k] = value ? await apply(evaluate, value, env, [item]) : item
    }
    return out
  },
}

export function lambdaVariable(env: Env, name: string): Value {
  const value = env.lambda?.[name.toLowerCase()]
  if (value === undefined) {
    throw new TemplateError(
      `The lambda variable '${name}' is not defined here. Please see https://aka.ms/arm-lambda for usage details.`,
    )
  }
  return value
}
