import { withCopyIndex, type Env } from './env'
import { TemplateError } from './errors'
import { copyCount, evaluateValue } from './evaluate'
import { callsIn, isExpression, parseExpressionString, type Expr } from './expression'
import { evaluateExpr } from './evaluate'
import { at } from './locate'
import { isObject, type ObjectValue, type Value } from './value'

/** One resource instance the deployment will create (copy loops and nesting expanded). */
export interface PlannedResource {
  id: string
  /** Full type, e.g. Microsoft.Storage/storageAccounts/fileServices/shares */
  type: string
  /** Full name, e.g. acct/default/share */
  name: string
  apiVersion: string
  /** False when the template's `condition` says not to deploy it. */
  condition: boolean
  /** The template's definition (nested `resources` removed), evaluated at deployment time. */
  definition: ObjectValue
  /** JSON path of the definition in the template, for messages. */
  path: Array<string | number>
  copy: Env['copy']
  /** Ids (lower case) of the deployed resources it must wait for. */
  dependencies: string[]
  /** The copy loop it belongs to, if any. */
  loop?: { name: string; index: number; mode: 'parallel' | 'serial'; batchSize: number }
}

/** Template keys that describe the deployment, not the resource body sent to the provider. */
export const templateOnlyKeys = new Set([
  'type',
  'apiversion',
  'name',
  'dependson',
  'copy',
  'condition',
  'comments',
  'resources',
  'metadata',
  'scope',
  'existing',
  // Where a nested deployment (Microsoft.Resources/deployments) goes.
  'resourcegroup',
  'subscriptionid',
])

interface Parent {
  type: string
  name: string
}

const invalidResource = (
  template: ObjectValue,
  path: Array<string | number>,
  label: string,
  reason: string,
) =>
  new TemplateError(
    `The template resource '${label}' ${at(template, path)} is not valid: ${reason}`,
  )

/** Expands the template's resources into the instances to deploy, with their dependencies. */
export async function planResources(
  template: ObjectValue,
  baseEnv: Env,
): Promise<PlannedResource[]> {
  const planned: PlannedResource[] = []
  const declared = new Map<PlannedResource, { explicit: string[]; implicit: string[] }>()
  const loopNames = new Set<string>()

  async function expand(
    definitions: Value | undefined,
    basePath: Array<string | number>,
    env: Env,
    parent?: Parent,
  ): Promise<void> {
    if (definitions === undefined) return
    if (!Array.isArray(definitions)) {
      throw new TemplateError(
        `The template 'resources' ${at(template, basePath)} must be an array. Please see https://aka.ms/arm-syntax-resources for usage details.`,
      )
    }
    for (let i = 0; i < definitions.length; i++) {
      const path = [...basePath, i]
      const definition = definitions[i]
      if (!isObject(definition))
        throw invalidResource(template, path, String(i), 'a resource must be an object.')
      if (isObject(definition.copy)) {
        const loop = definition.copy
        const name = loop.name
        if (typeof name !== 'string' || name.length === 0) {
          throw invalidResource(
            template,
            path,
            String(i),
            "the copy loop must have a 'name'. Please see https://aka.ms/arm-copy for usage details.",
          )
        }
        const count = await copyCount(loop, env, [...path, 'copy'])
        loopNames.add(name.toLowerCase())
        const mode =
          typeof loop.mode === 'string' && loop.mode.toLowerCase() === 'serial'
            ? 'serial'
            : 'parallel'
        const batchSize =
          typeof loop.batchSize === 'number' && loop.batchSize > 0 ? loop.batchSize : 1
        for (let index = 0; index < count; index++) {
          await instance(definition, path, withCopyIndex(env, name, index, true), parent, {
            name,
            index,
            mode,
            batchSize,
          })
        }
      } else {
        await instance(definition, path, env, parent)
      }
    }
  }

  async function instance(
    definition: ObjectValue,
    path: Array<string | number>,
    env: Env,
    parent: Parent | undefined,
    loop?: PlannedResource['loop'],
  ): Promise<void> {
    const text = async (key: string): Promise<string> => {
      const value = await evaluateValue(definition[key], env, {}, [...path, key])
      if (typeof value !== 'string' || value.length === 0) {
        throw invalidResource(
          template,
          [...path, key],
          String(definition.name ?? path.join('.')),
          `the resource '${key}' must be a non-empty string.`,
        )
      }
      return value
    }
    let type = await text('type')
    let name = await text('name')
    const apiVersion = await text('apiVersion')
    if (parent && !type.includes('.')) {
      type = `${parent.type}/${type}`
      name = `${parent.name}/${name}`
    }
    const [namespace, ...types] = type.split('/')
    const names = name.split('/')
    if (!namespace || types.length === 0 || types.length !== names.length) {
      throw invalidResource(
        template,
        path,
        name,
        `The template resource '${name}' for type '${type}' has incorrect segment lengths. A nested resource type must have identical number of segments as its resource name. A root resource type must have segment length one greater than its resource name. Please see https://aka.ms/arm-syntax-resources for usage details.`,
      )
    }
    const condition =
      definition.condition === undefined
        ? true
        : await evaluateValue(definition.condition, env, {}, [...path, 'condition'])
    if (typeof condition !== 'boolean') {
      throw invalidResource(
        template,
        [...path, 'condition'],
        name,
        "The template resource 'condition' must evaluate to a boolean.",
      )
    }
    const dependsOn =
      definition.dependsOn === undefined
        ? []
        : await evaluateValue(definition.dependsOn, env, {}, [...path, 'dependsOn'])
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string')) {
      throw invalidResource(
        template,
        [...path, 'dependsOn'],
        name,
        "The template resource 'dependsOn' must be an array of strings.",
      )
    }
    const nested = type.toLowerCase() === 'microsoft.resources/deployments'
    const subscriptionId =
      nested && definition.subscriptionId !== undefined
        ? await text('subscriptionId')
        : env.scope.subscriptionId
    const group =
      nested && definition.resourceGroup !== undefined
        ? await text('resourceGroup')
        : env.scope.resourceGroup.name
    const typePath = `${namespace}/${types.map((t, k) => `${t}/${names[k]}`).join('/')}`
    // An extension resource (a role assignment, a lock) on another resource: its `scope` is
    // that resource's id, or its type/name in this resource group.
    const scope = !nested && definition.scope !== undefined ? await text('scope') : undefined
    const scopeId =
      scope === undefined
        ? `/subscriptions/${subscriptionId}/resourceGroups/${group}`
        : scope.startsWith('/')
          ? scope.replace(/\/+$/, '')
          : `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/${scope.replace(/\/+$/, '')}`
    const id = `${scopeId}/providers/${typePath}`
    if (planned.some((p) => p.id.toLowerCase() === id.toLowerCase())) {
      throw new TemplateError(
        `The resource '${id}' ${at(template, path)} is defined multiple times in a template. Please see https://aka.ms/arm-multiple-resources for usage details.`,
      )
    }
    const { resources: children, ...body } = definition
    const resource: PlannedResource = {
      id,
      type,
      name,
      apiVersion,
      condition,
      definition: body,
      path,
      copy: env.copy,
      dependencies: [],
      ...(loop ? { loop } : {}),
    }
    planned.push(resource)
    declared.set(resource, {
      explicit: dependsOn as string[],
      implicit: await implicitTargets(body, env),
    })
    await expand(children, [...path, 'resources'], env, { type, name })
  }

  await expand(template.resources ?? [], ['resources'], baseEnv)
  resolveDependencies(planned, declared, loopNames)
  orderOrFail(planned)
  return planned
}

/**
 * Targets of reference() and list*() calls in a resource's body that can be known before
 * deployment: Azure treats those as implicit dependencies.
 */
async function implicitTargets(body: ObjectValue, env: Env): Promise<string[]> {
  const targets: string[] = []
  const calls: Expr[] = []
  const visit = (value: Value | undefined): void => {
    if (typeof value === 'string' && isExpression(value)) {
      try {
        for (const call of callsIn(parseExpressionString(value))) {
          const name = call.name.toLowerCase()
          if ((name === 'reference' || name.startsWith('list')) && call.args[0])
            calls.push(call.args[0])
        }
      } catch {
        // Syntax errors surface when the body is evaluated.
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit)
    } else if (isObject(value)) {
      Object.entries(value).forEach(([key, item]) => {
        if (!templateOnlyKeys.has(key.toLowerCase())) visit(item)
      })
    }
  }
  visit(body)
  for (const arg of calls) {
    try {
      const target = await evaluateExpr(arg, { ...env, phase: 'plan' })
      if (typeof target === 'string') targets.push(target)
    } catch {
      // Known only at deployment time (e.g. depends on another reference()): no implicit dependency.
    }
  }
  return targets
}

function matches(resource: PlannedResource, reference: string): boolean {
  const wanted = reference.toLowerCase().replace(/\/+$/, '')
  if (wanted.startsWith('/')) return resource.id.toLowerCase() === wanted
  if (wanted.includes('/')) {
    const providerPath = resource.id.toLowerCase().split('/providers/')[1]
    return `${resource.type}/${resource.name}`.toLowerCase() === wanted || providerPath === wanted
  }
  return resource.name.toLowerCase() === wanted
}

function resolveDependencies(
  planned: PlannedResource[],
  declared: Map<PlannedResource, { explicit: string[]; implicit: string[] }>,
  loopNames: Set<string>,
): void {
  for (const resource of planned) {
    const dependencies = new Set<PlannedResource>()
    const { explicit = [], implicit: implicitRefs = [] } = declared.get(resource) ?? {}
    const entries = [
      ...explicit.map((reference) => ({ reference, implicit: false })),
      ...implicitRefs.map((reference) => ({ reference, implicit: true })),
    ]
    for (const { reference, implicit } of entries) {
      // A copy loop's name stands for all its instances, even when its count is 0.
      const isLoop = loopNames.has(reference.toLowerCase())
      const targets = isLoop
        ? planned.filter((p) => p.loop?.name.toLowerCase() === reference.toLowerCase())
        : planned.filter((p) => matches(p, reference))
      if (targets.length === 0 && !implicit && !isLoop) {
        throw new TemplateError(
          `The resource '${reference}' is not defined in the template. Please see https://aka.ms/arm-syntax for usage details.`,
          [...resource.path, 'dependsOn'],
        )
      }
      targets.filter((t) => t !== resource).forEach((t) => dependencies.add(t))
    }
    const loop = resource.loop
    if (loop?.mode === 'serial' && loop.index >= loop.batchSize) {
      const batch = Math.floor(loop.index / loop.batchSize)
      planned
        .filter(
          (p) =>
            p.loop?.name === loop.name && Math.floor(p.loop.index / loop.batchSize) === batch - 1,
        )
        .forEach((p) => dependencies.add(p))
    }
    resource.dependencies = [...dependencies]
      .filter((d) => d.condition)
      .map((d) => d.id.toLowerCase())
  }
}

/** Kahn's algorithm; a cycle is a template error, as in Azure. */
export function orderOrFail(planned: PlannedResource[]): PlannedResource[] {
  const byId = new Map(planned.map((p) => [p.id.toLowerCase(), p]))
  const remaining = new Map(planned.map((p) => [p.id.toLowerCase(), new Set(p.dependencies)]))
  const order: PlannedResource[] = []
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter(([, deps]) => [...deps].every((d) => !remaining.has(d)))
      .map(([id]) => id)
    if (ready.length === 0) {
      const [id] = remaining.keys()
      throw new TemplateError(
        `Circular dependency detected on resource: '${byId.get(id!)!.id}'. Please see https://aka.ms/arm-syntax-resources for usage details.`,
      )
    }
    for (const id of ready) {
      remaining.delete(id)
      order.push(byId.get(id)!)
    }
  }
  return order
}
