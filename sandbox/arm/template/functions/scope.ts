import { TemplateError } from '../errors'
import type { Env } from '../env'
import type { ObjectValue } from '../value'
import { expectCount, intArg, stringArg } from './args'
import type { FunctionTable } from './types'

const resourceGroupId = (env: Env) =>
  `/subscriptions/${env.scope.subscriptionId}/resourceGroups/${env.scope.resourceGroup.name}`

/** utcNow() and newGuid() may only appear in parameter default values. */
export function parameterDefaultOnly(env: Env, name: string): void {
  if (env.phase !== 'parameters') {
    throw new TemplateError(
      `The template function '${name}' is not expected at this location. It can only be used with parameter default values. Please see https://aka.ms/arm-functions for usage details.`,
    )
  }
}

/** .NET date formats utcNow() accepts: standard 'u', 's', 'o', 'd' and custom patterns. */
export function formatUtc(date: Date, format: string): string {
  const iso = date.toISOString()
  const standard: Record<string, string> = {
    u: `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`,
    s: iso.slice(0, 19),
    o: `${iso.slice(0, 23)}0000Z`,
    d: `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`,
  }
  if (standard[format]) return standard[format]!
  const parts: Record<string, string> = {
    yyyy: iso.slice(0, 4),
    MM: iso.slice(5, 7),
    dd: iso.slice(8, 10),
    HH: iso.slice(11, 13),
    mm: iso.slice(14, 16),
    ss: iso.slice(17, 19),
  }
  return format.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => parts[token]!)
}

/** Functions about the deployment itself: parameters, variables, copy loops, scope. */
export const scopeFunctions: FunctionTable = {
  parameters: (args, env, name) => {
    expectCount(name, args, 1)
    return env.parameter(stringArg(name, args, 0))
  },
  variables: (args, env, name) => {
    expectCount(name, args, 1)
    if (env.phase === 'parameters') {
      throw new TemplateError(
        `The template function 'variables' is not expected at this location. Please see https://aka.ms/arm-functions for usage details.`,
      )
    }
    return env.variable(stringArg(name, args, 0))
  },
  copyindex: (args, env, name) => {
    expectCount(name, args, 0, 2)
    let loop: string | undefined
    let offset = 0
    if (typeof args[0] === 'string') {
      loop = args[0]
      if (args.length > 1) offset = intArg(name, args, 1)
    } else if (args.length === 1) {
      offset = intArg(name, args, 0)
    } else if (args.length > 1) {
      stringArg(name, args, 0)
    }
    if (loop !== undefined) {
      const index = env.copy.byName[loop.toLowerCase()]
      if (index === undefined) {
        throw new TemplateError(
          `The template function 'copyIndex' is not expected at this location. The loop '${loop}' is not defined here. Please see https://aka.ms/arm-copy for usage details.`,
        )
      }
      return index + offset
    }
    if (!env.copy.default) {
      throw new TemplateError(
        `The template function 'copyIndex' is not expected at this location. The function can only be used in a resource with copy specified. Please see https://aka.ms/arm-copy for usage details.`,
      )
    }
    return env.copy.default.index + offset
  },
  resourcegroup: (args, env, name) => {
    expectCount(name, args, 0)
    const group = env.scope.resourceGroup
    const out: ObjectValue = {
      id: resourceGroupId(env),
      name: group.name,
      type: 'Microsoft.Resources/resourceGroups',
      location: group.location,
      properties: { provisioningState: 'Succeeded' },
    }
    if (group.tags) out.tags = { ...group.tags }
    if (group.managedBy) out.managedBy = group.managedBy
    return out
  },
  tenant: (args, env, name) => {
    expectCount(name, args, 0)
    return {
      id: `/tenants/${env.scope.tenantId}`,
      tenantId: env.scope.tenantId,
      countryCode: 'US',
      displayName: env.scope.tenantDisplayName ?? '',
    }
  },
  subscription: (args, env, name) => {
    expectCount(name, args, 0)
    return {
      id: `/subscriptions/${env.scope.subscriptionId}`,
      subscriptionId: env.scope.subscriptionId,
      tenantId: env.scope.tenantId,
      displayName: env.scope.subscriptionDisplayName,
    }
  },
  deployment: (args, env, name) => {
    expectCount(name, args, 0)
    return {
      name: env.scope.deploymentName,
      properties: {
        template: { contentVersion: '1.0.0.0' },
        mode: 'Incremental',
        provisioningState: 'Accepted',
      },
    }
  },
  environment: (args, env, name) => {
    expectCount(name, args, 0)
    return {
      name: 'AzureCloud',
      gallery: 'https://gallery.azure.com/',
      graph: 'https://graph.windows.net/',
      portal: 'https://portal.azure.com',
      resourceManager: `${env.scope.armEndpoint}/`,
      authentication: {
        // Where Entra signs people in: the sandbox's authority host, Azure's otherwise.
        loginEndpoint: `${env.scope.authorityHost ?? 'https://login.microsoftonline.com'}/`,
        audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      },
      suffixes: {
        storage: 'core.windows.net',
        keyvaultDns: '.vault.azure.net',
        sqlServerHostname: '.database.windows.net',
        acrLoginServer: '.azurecr.io',
      },
    }
  },
  utcnow: (args, env, name) => {
    expectCount(name, args, 0, 1)
    parameterDefaultOnly(env, 'utcNow')
    return formatUtc(
      new Date(env.now()),
      args.length ? stringArg(name, args, 0) : 'yyyyMMddTHHmmssZ',
    )
  },
}
