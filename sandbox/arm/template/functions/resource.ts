import { TemplateError } from '../errors'
import type { Env, NamedResource } from '../env'
import type { Value } from '../value'
import { expectCount, stringArg } from './args'
import type { FunctionTable, TemplateFunction } from './types'

const docs = 'Please see https://aka.ms/arm-resource-functions for usage details.'

/** Splits `Microsoft.Network/virtualNetworks/subnets` + names into the id path after /providers/. */
function providerPath(functionName: string, type: string, names: string[]): string {
  const [namespace, ...types] = type.split('/').filter((s) => s.length > 0)
  const nameSegments = names.flatMap((n) => n.split('/'))
  if (!namespace || types.length === 0 || types.length !== nameSegments.length) {
    throw new TemplateError(
      `Unable to evaluate template language function '${functionName}': the type '${type}' requires '${types.length}' resource name argument(s). ${docs}`,
    )
  }
  return `${namespace}/${types.map((t, i) => `${t}/${nameSegments[i]}`).join('/')}`
}

/** Arguments before the first one containing '/' (the type) are scope; the rest are names. */
function splitArguments(functionName: string, args: Value[], maxScopeArgs: number) {
  const strings = args.map((_, i) => stringArg(functionName, args, i))
  const typeIndex = strings.findIndex((s) => s.includes('/'))
  if (typeIndex < 0 || typeIndex > maxScopeArgs) {
    throw new TemplateError(
      `Unable to evaluate template language function '${functionName}': the resource type argument is missing or not valid. ${docs}`,
    )
  }
  return {
    scope: strings.slice(0, typeIndex),
    type: strings[typeIndex]!,
    names: strings.slice(typeIndex + 1),
  }
}

const resourceId: TemplateFunction = (args, env, name) => {
  expectCount(name, args, 2, Infinity)
  const { scope, type, names } = splitArguments(name, args, 2)
  const subscriptionId = scope.length === 2 ? scope[0]! : env.scope.subscriptionId
  const group = scope.length >= 1 ? scope[scope.length - 1]! : env.scope.resourceGroup.name
  return `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/${providerPath(name, type, names)}`
}

const subscriptionResourceId: TemplateFunction = (args, env, name) => {
  expectCount(name, args, 2, Infinity)
  const { scope, type, names } = splitArguments(name, args, 1)
  return `/subscriptions/${scope[0] ?? env.scope.subscriptionId}/providers/${providerPath(name, type, names)}`
}

const tenantResourceId: TemplateFunction = (args, _env, name) => {
  expectCount(name, args, 2, Infinity)
  const { type, names } = splitArguments(name, args, 0)
  return `/providers/${providerPath(name, type, names)}`
}

const extensionResourceId: TemplateFunction = (args, _env, name) => {
  expectCount(name, args, 3, Infinity)
  const base = stringArg(name, args, 0)
  const { type, names } = splitArguments(name, args.slice(1), 0)
  return `${base}/providers/${providerPath(name, type, names)}`
}

function requireRuntime(env: Env, name: string) {
  if ((env.phase !== 'runtime' && env.phase !== 'whatIf') || !env.runtime) {
    throw new TemplateError(
      `The template function '${name}' is not expected at this location. Please see https://aka.ms/arm-functions-resource for usage details.`,
    )
  }
  return env.runtime
}

/** A resource id, or the id of the template resource with that name. */
function resolveTarget(
  env: Env,
  functionName: string,
  nameOrId: string,
): { id: string; resource?: NamedResource } {
  if (nameOrId.startsWith('/')) {
    const resource = env.templateResource(nameOrId)
    return resource ? { id: nameOrId, resource } : { id: nameOrId }
  }
  const resource = env.templateResource(nameOrId)
  if (!resource) {
    throw new TemplateError(
      `The template reference '${nameOrId}' is not valid: could not find template resource or resource copy with this name. Please see https://aka.ms/arm-function-${functionName.toLowerCase()} for usage details.`,
    )
  }
  return { id: resource.id, resource }
}

const reference: TemplateFunction = async (args, env, name) => {
  expectCount(name, args, 1, 3)
  const runtime = requireRuntime(env, name)
  const target = resolveTarget(env, name, stringArg(name, args, 0))
  const apiVersion =
    args.length > 1 && args[1] !== null ? stringArg(name, args, 1) : target.resource?.apiVersion
  if (!apiVersion) {
    throw new TemplateError(
      `Unable to evaluate template language function 'reference': the api version must be given for resource '${target.id}' which is not defined in the template. Please see https://aka.ms/arm-function-reference for usage details.`,
    )
  }
  const full = args.length > 2 && stringArg(name, args, 2).toLowerCase() === 'full'
  const body = await runtime.getResource(target.id, apiVersion)
  if (full) return body
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body.properties ?? {})
    : body
}

/** listKeys(), listAccountSas() ...: POST {id}/{functionName}. */
export const listAction: TemplateFunction = async (args, env, name) => {
  expectCount(name, args, 2, 3)
  const runtime = requireRuntime(env, name)
  const target = resolveTarget(env, name, stringArg(name, args, 0))
  return runtime.invokeAction(target.id, name, stringArg(name, args, 1), args[2])
}

/** Functions that build resource ids and read real resources. */
export const resourceFunctions: FunctionTable = {
  resourceid: resourceId,
  subscriptionresourceid: subscriptionResourceId,
  tenantresourceid: tenantResourceId,
  extensionresourceid: extensionResourceId,
  reference,
}
