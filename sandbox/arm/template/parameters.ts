import type { Env } from './env'
import { TemplateError } from './errors'
import { evaluateValue } from './evaluate'
import { at } from './locate'
import { deepEqual, isObject, tokenType, type ObjectValue, type Value } from './value'

/** A parameter as the deployment sees it after binding. */
export interface BoundParameter {
  /** Spelling from the template. */
  name: string
  /** Declared type, lower case: string, securestring, int, bool, object, secureobject, array. */
  type: string
  value: Value
}

const expectedTokenTypes: Record<string, string[]> = {
  string: ['String'],
  securestring: ['String'],
  int: ['Integer'],
  bool: ['Boolean'],
  object: ['Object'],
  secureobject: ['Object'],
  array: ['Array'],
}

/** The type names ARM shows in a deployment's parameters and outputs. */
export const displayType: Record<string, string> = {
  string: 'String',
  securestring: 'SecureString',
  int: 'Int',
  bool: 'Bool',
  object: 'Object',
  secureobject: 'SecureObject',
  array: 'Array',
}

export const isSecureType = (type: string) => type === 'securestring' || type === 'secureobject'

const docs = 'Please see https://aka.ms/arm-create-parameter-file for usage details.'

/**
 * Binds the values given with the deployment to the template's parameters: defaults (which
 * may be expressions over other parameters), then type, allowedValues, min/max and length
 * constraints, each failing the way Azure's validation does.
 */
export async function bindParameters(
  template: ObjectValue,
  provided: ObjectValue,
  makeEnv: (parameter: (name: string) => Promise<Value>) => Env,
): Promise<Map<string, BoundParameter>> {
  const definitions = isObject(template.parameters) ? template.parameters : {}
  const byLower = new Map(Object.keys(definitions).map((name) => [name.toLowerCase(), name]))

  const unknown = Object.keys(provided).filter((name) => !byLower.has(name.toLowerCase()))
  if (unknown.length > 0) {
    throw new TemplateError(
      `The template parameters '${unknown.join(', ')}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. The only supported parameters for this template are '${Object.keys(definitions).join(', ')}'. Please see https://aka.ms/arm-pass-parameter-values for usage details.`,
    )
  }
  const providedByLower = new Map(
    Object.entries(provided).map(([name, value]) => [name.toLowerCase(), value]),
  )

  const bound = new Map<string, BoundParameter>()
  const inProgress = new Set<string>()
  const env = makeEnv((name) => resolve(name))

  async function resolve(requested: string): Promise<Value> {
    const lower = requested.toLowerCase()
    const name = byLower.get(lower)
    if (!name) {
      throw new TemplateError(
        `The template parameter '${requested}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details.`,
      )
    }
    const done = bound.get(lower)
    if (done) return done.value
    if (inProgress.has(lower)) {
      throw new TemplateError(
        `The template parameter '${name}' has a circular reference in its default value.`,
        ['parameters', name],
      )
    }
    inProgress.add(lower)
    const definition = definitions[name]
    if (
      !isObject(definition) ||
      typeof definition.type !== 'string' ||
      !expectedTokenTypes[definition.type.toLowerCase()]
    ) {
      throw new TemplateError(
        `The template parameter '${name}' ${at(template, ['parameters', name])} is not valid: the parameter type is not valid. Allowed types are 'String, SecureString, Int, Bool, Object, SecureObject, Array'.`,
      )
    }
    const type = definition.type.toLowerCase()
    const given = providedByLower.get(lower)
    let value: Value
    if (given !== undefined) {
      if (!isObject(given) || !('value' in given)) {
        const reason =
          isObject(given) && 'reference' in given
            ? 'Key Vault references are not supported by the sandbox.'
            : 'Provide it as { "value": ... }.'
        throw new TemplateError(
          `The value for the template parameter '${name}' ${at(template, ['parameters', name])} is not valid. ${reason} ${docs}`,
        )
      }
      value = await evaluateValue(given.value, env)
    } else if (definition.defaultValue !== undefined) {
      value = await evaluateValue(definition.defaultValue, env, {}, [
        'parameters',
        name,
        'defaultValue',
      ])
    } else {
      throw new TemplateError(
        `The value for the template parameter '${name}' ${at(template, ['parameters', name])} is not provided. ${docs}`,
      )
    }
    checkConstraints(template, name, type, definition, value)
    inProgress.delete(lower)
    bound.set(lower, { name, type, value })
    return value
  }

  for (const name of Object.keys(definitions)) await resolve(name)
  return bound
}

function checkConstraints(
  template: ObjectValue,
  name: string,
  type: string,
  definition: ObjectValue,
  value: Value,
): void {
  const where = at(template, ['parameters', name])
  const secure = isSecureType(type)
  const shown = secure ? '' : ` '${typeof value === 'string' ? value : JSON.stringify(value)}'`
  const invalid = (reason: string) =>
    new TemplateError(
      `The provided value${shown} for the template parameter '${name}' ${where} is not valid. ${reason}`,
    )

  const expected = expectedTokenTypes[type]!
  if (!expected.includes(tokenType(value))) {
    throw invalid(
      `Template parameter JToken type is not valid. Expected '${expected.join(', ')}'. Actual '${tokenType(value)}'. ${docs}`,
    )
  }
  if (Array.isArray(definition.allowedValues)) {
    const allowed = definition.allowedValues
    const candidates = type === 'array' && Array.isArray(value) ? value : [value]
    const isAllowed = (candidate: Value) =>
      allowed.some((a) =>
        typeof a === 'string' && typeof candidate === 'string'
          ? a.toLowerCase() === candidate.toLowerCase()
          : deepEqual(a, candidate),
      )
    if (!candidates.every(isAllowed)) {
      throw invalid(
        `The parameter value is not part of the allowed value(s): '${allowed.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(',')}'. Please see https://aka.ms/arm-deploy#parameter-file for usage details.`,
      )
    }
  }
  if (typeof value === 'number') {
    if (typeof definition.minValue === 'number' && value < definition.minValue) {
      throw invalid(
        `The parameter value must be greater than or equal to '${definition.minValue}'. ${docs}`,
      )
    }
    if (typeof definition.maxValue === 'number' && value > definition.maxValue) {
      throw invalid(
        `The parameter value must be less than or equal to '${definition.maxValue}'. ${docs}`,
      )
    }
  }
  if (typeof value === 'string' || Array.isArray(value)) {
    if (typeof definition.minLength === 'number' && value.length < definition.minLength) {
      throw invalid(
        `Length of the value should be greater than or equal to '${definition.minLength}'. ${docs}`,
      )
    }
    if (typeof definition.maxLength === 'number' && value.length > definition.maxLength) {
      throw invalid(
        `Length of the value should be less than or equal to '${definition.maxLength}'. ${docs}`,
      )
    }
  }
}
