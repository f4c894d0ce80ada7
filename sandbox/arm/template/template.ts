import type { Env, Phase, TemplateRuntime, TemplateScope } from './env'
import { ResourceCallError, TemplateError } from './errors'
import { evaluateValue, expandCopy } from './evaluate'
import { checkExpressions } from './check'
import { at } from './locate'
import { bindParameters, displayType, isSecureType, type BoundParameter } from './parameters'
import { orderOrFail, planResources, templateOnlyKeys, type PlannedResource } from './plan'
import { isObject, tokenType, type ObjectValue, type Value } from './value'

export interface PrepareInput {
  template: unknown
  parameters?: unknown
  scope: TemplateScope
  newGuid(): string
  now(): number
}

/** The body of the PUT that creates a resource, and what the deployment reports about it. */
export interface ResourceRequest {
  resource: PlannedResource
  body: ObjectValue
}

export interface OutputValue {
  type: string
  value?: Value
}

const outputTypes: Record<string, string> = { ...displayType }
const outputTokenTypes: Record<string, string> = {
  string: 'String',
  securestring: 'String',
  int: 'Integer',
  bool: 'Boolean',
  object: 'Object',
  secureobject: 'Object',
  array: 'Array',
}

/** Azure's wording for a validation failure: the whole message quoted after a fixed prefix. */
export const validationFailed = (message: string) =>
  `Deployment template validation failed: '${message}'.`

/**
 * A template with its parameters bound, variables ready and resources planned: everything
 * Azure checks before it creates anything. Resource bodies and outputs are evaluated later,
 * while the deployment runs, because reference() and listKeys() read real resources.
 */
export class PreparedTemplate {
  private readonly variableValues = new Map<string, Value>()
  private readonly variablesInProgress = new Set<string>()
  resources: PlannedResource[] = []

  private constructor(
    readonly template: ObjectValue,
    private readonly input: PrepareInput,
    readonly parameters: Map<string, BoundParameter>,
  ) {}

  /** Throws TemplateError with Azure's InvalidTemplate message when anything is wrong. */
  static async prepare(input: PrepareInput): Promise<PreparedTemplate> {
    const template = input.template
    if (!isObject(template))
      throw new TemplateError(validationFailed('The template must be a JSON object.'))
    if (template.languageVersion !== undefined || isObject(template.resources)) {
      throw new TemplateError(
        validationFailed(
          "Templates with 'languageVersion' 2.0 (symbolic resource names) are not supported by the sandbox; use the classic resources array.",
        ),
      )
    }
    if (template.resources !== undefined && !Array.isArray(template.resources)) {
      throw new TemplateError(
        validationFailed(
          `The template 'resources' ${at(template, ['resources'])} must be an array.`,
        ),
      )
    }
    const provided = input.parameters ?? {}
    if (!isObject(provided))
      throw new TemplateError(validationFailed('The deployment parameters must be a JSON object.'))
    try {
      for (const section of ['parameters', 'variables', 'resources', 'outputs']) {
        checkExpressions(template[section], [section])
      }
      const parameters = await bindParameters(template, provided, (parameter) =>
        baseEnv(input, 'parameters', parameter),
      )
      const prepared = new PreparedTemplate(template, input, parameters)
      prepared.resources = await planResources(template, prepared.env('plan'))
      await prepared.checkVariables()
      return prepared
    } catch (error) {
      if (error instanceof TemplateError)
        throw new TemplateError(
          validationFailed(describe(template, error)),
          error.path,
          error.expression,
        )
      throw error
    }
  }

  /** Resources to deploy, dependencies first. */
  deploymentOrder(): PlannedResource[] {
    return orderOrFail(this.resources).filter((r) => r.condition)
  }

  env(phase: Phase, copy: Env['copy'] = { byName: {} }, runtime?: TemplateRuntime): Env {
    const parameterValue = (name: string) => {
      const bound = this.parameters.get(name.toLowerCase())
      if (!bound)
        throw new TemplateError(
          `The template parameter '${name}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details.`,
        )
      return bound.value
    }
    return {
      ...baseEnv(this.input, phase, parameterValue),
      copy,
      ...(runtime ? { runtime } : {}),
      variable: (name) => this.variable(name),
      templateResource: (nameOrId) => {
        const wanted = nameOrId.toLowerCase()
        const found =
          this.resources.find((r) => r.id.toLowerCase() === wanted) ??
          this.resources.find((r) => r.name.toLowerCase() === wanted)
        return (
          found && {
            id: found.id,
            name: found.name,
            type: found.type,
            apiVersion: found.apiVersion,
          }
        )
      },
    }
  }

  /**
   * The body of the PUT for one resource. At run time reference()/listKeys() read real
   * resources; a TemplateError or ResourceCallError here fails that resource's operation.
   */
  async resourceBody(
    resource: PlannedResource,
    phase: 'runtime' | 'whatIf',
    runtime: TemplateRuntime,
  ): Promise<ObjectValue> {
    const body: ObjectValue = {}
    const env = this.env(phase, resource.copy, runtime)
    for (const [key, value] of Object.entries(resource.definition)) {
      if (templateOnlyKeys.has(key.toLowerCase())) continue
      if (
        key.toLowerCase() === 'properties' &&
        isInnerScopedDeployment(resource) &&
        isObject(value)
      ) {
        // An inner-scoped nested template evaluates its own expressions when it runs.
        const { template, ...rest } = value
        const evaluated = (await evaluateValue(rest, env, { propertyCopy: true }, [
          ...resource.path,
          key,
        ])) as ObjectValue
        body[key] = template === undefined ? evaluated : { ...evaluated, template }
        continue
      }
      const evaluated = await evaluateValue(value, env, { propertyCopy: true }, [
        ...resource.path,
        key,
      ])
      // A top-level null (e.g. "plan": "[if(..., ..., null())]") means "not given", as in Azure.
      if (evaluated !== null) body[key] = evaluated
    }
    return body
  }

  /** Azure's message for a resource whose expressions failed while the deployment ran. */
  runtimeError(resource: PlannedResource, error: TemplateError): { code: string; message: string } {
    return {
      code: 'InvalidTemplate',
      message: `Unable to process template language expressions for resource '${resource.id}' ${at(this.template, error.path ?? resource.path)}. '${inner(error)}'`,
    }
  }

  /** Evaluates `outputs` at the end of the deployment. */
  async outputs(runtime: TemplateRuntime): Promise<Record<string, OutputValue>> {
    const definitions = isObject(this.template.outputs) ? this.template.outputs : {}
    const out: Record<string, OutputValue> = {}
    for (const [name, definition] of Object.entries(definitions)) {
      const path = ['outputs', name]
      if (
        !isObject(definition) ||
        typeof definition.type !== 'string' ||
        !outputTokenTypes[definition.type.toLowerCase()]
      ) {
        throw new TemplateError(
          `The template output '${name}' is not valid: the output type is missing or not valid.`,
          path,
        )
      }
      const env = this.env('runtime', { byName: {} }, runtime)
      if (
        definition.condition !== undefined &&
        (await evaluateValue(definition.condition, env, {}, [...path, 'condition'])) !== true
      )
        continue
      const type = definition.type.toLowerCase()
      const value = isObject(definition.copy)
        ? (
            await expandCopy(
              { name, ...definition.copy },
              env,
              { propertyCopy: true },
              [...path, 'copy'],
              true,
            )
          ).values
        : await evaluateValue(definition.value, env, { propertyCopy: true }, [...path, 'value'])
      if (tokenType(value) !== outputTokenTypes[type]) {
        throw new TemplateError(
          `The template output '${name}' is not valid: Template output JToken type is not valid. Expected '${outputTokenTypes[type]}'. Actual '${tokenType(value)}'.`,
          path,
        )
      }
      out[name] = isSecureType(type)
        ? { type: outputTypes[type]! }
        : { type: outputTypes[type]!, value }
    }
    return out
  }

  /** Parameters as the deployment resource shows them: secure values left out. */
  parametersView(): Record<string, OutputValue> {
    const view: Record<string, OutputValue> = {}
    for (const p of this.parameters.values()) {
      view[p.name] = isSecureType(p.type)
        ? { type: displayType[p.type]! }
        : { type: displayType[p.type]!, value: p.value }
    }
    return view
  }

  private async variable(requested: string): Promise<Value> {
    const definitions = this.variableDefinitions()
    const lower = requested.toLowerCase()
    const cached = this.variableValues.get(lower)
    if (cached !== undefined) return cached
    const definition = definitions.get(lower)
    if (!definition) {
      throw new TemplateError(
        `The template variable '${requested}' is not found. Please see https://aka.ms/arm-syntax-variables for usage details.`,
      )
    }
    if (this.variablesInProgress.has(lower)) {
      throw new TemplateError(
        `The template variable '${definition.name}' has a circular reference.`,
        definition.path,
      )
    }
    this.variablesInProgress.add(lower)
    try {
      const env = this.env('plan')
      const value = definition.loop
        ? (await expandCopy(definition.loop, env, { propertyCopy: true }, definition.path)).values
        : await evaluateValue(definition.value, env, { propertyCopy: true }, definition.path)
      this.variableValues.set(lower, value)
      return value
    } catch (error) {
      if (error instanceof TemplateError && !error.message.startsWith('The template variable')) {
        error.message = `The template variable '${definition.name}' ${at(this.template, error.path ?? definition.path)} is not valid: ${inner(error)}`
        error.expression = undefined
      }
      throw error
    } finally {
      this.variablesInProgress.delete(lower)
    }
  }

  private variableDefinitions() {
    const raw = isObject(this.template.variables) ? this.template.variables : {}
    const definitions = new Map<
      string,
      { name: string; value?: Value; loop?: ObjectValue; path: Array<string | number> }
    >()
    for (const [name, value] of Object.entries(raw)) {
      if (name.toLowerCase() === 'copy' && Array.isArray(value)) {
        value.forEach((loop, i) => {
          if (isObject(loop) && typeof loop.name === 'string') {
            definitions.set(loop.name.toLowerCase(), {
              name: loop.name,
              loop,
              path: ['variables', name, i],
            })
          }
        })
      } else {
        definitions.set(name.toLowerCase(), { name, value, path: ['variables', name] })
      }
    }
    return definitions
  }

  /** Azure evaluates every variable during validation, used or not. */
  private async checkVariables(): Promise<void> {
    for (const definition of this.variableDefinitions().values())
      await this.variable(definition.name)
  }
}

function isInnerScopedDeployment(resource: PlannedResource): boolean {
  if (resource.type.toLowerCase() !== 'microsoft.resources/deployments') return false
  const properties = resource.definition.properties
  const options = isObject(properties) ? properties.expressionEvaluationOptions : undefined
  return (
    isObject(options) &&
    typeof options.scope === 'string' &&
    options.scope.toLowerCase() === 'inner'
  )
}

function baseEnv(input: PrepareInput, phase: Phase, parameter: Env['parameter']): Env {
  return {
    phase,
    scope: input.scope,
    parameter,
    variable: () => {
      throw new TemplateError(`The template function 'variables' is not expected at this location.`)
    },
    copy: { byName: {} },
    templateResource: () => undefined,
    newGuid: input.newGuid,
    now: input.now,
  }
}

function inner(error: TemplateError): string {
  return error.expression
    ? `The language expression '${error.expression}' is not valid: ${error.message}`
    : error.message
}

function describe(template: ObjectValue, error: TemplateError): string {
  const path = error.path ?? []
  if (
    path[0] === 'resources' &&
    path.length > 1 &&
    !error.message.startsWith('The template resource')
  ) {
    const resourcePath = path.slice(0, path.lastIndexOf('resources') + 2)
    const definition = pathValue(template, resourcePath)
    const label =
      isObject(definition) && typeof definition.name === 'string'
        ? definition.name
        : String(resourcePath.at(-1))
    return `The template resource '${label}' ${at(template, path)} is not valid: ${inner(error)}`
  }
  if (path[0] === 'outputs' || path[0] === 'variables' || path[0] === 'parameters') {
    return error.message.includes(" at line '")
      ? inner(error)
      : `${inner(error)} (${at(template, path)})`
  }
  return inner(error)
}

function pathValue(root: Value, path: Array<string | number>): Value | undefined {
  let node: Value | undefined = root
  for (const step of path) {
    if (Array.isArray(node) && typeof step === 'number') node = node[step]
    else if (isObject(node) && typeof step === 'string') node = node[step]
    else return undefined
  }
  return node
}

export { ResourceCallError, TemplateError }
