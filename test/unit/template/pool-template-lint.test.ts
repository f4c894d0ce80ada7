import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  callsIn,
  isExpression,
  parseExpressionString,
  type Expr,
} from '../../../sandbox/arm/template/expression'
import { poolTags } from '../../../shared/pool-tags'

/**
 * The rules of Microsoft's ARM template test toolkit (arm-ttk) that fit the pool template,
 * applied to resources/templates/dsvm-pool.json.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

const templatePath = resolve(__dirname, '../../../resources/templates/dsvm-pool.json')
const templateText = readFileSync(templatePath, 'utf8')
const template = JSON.parse(templateText) as JsonObject
const parameters = template.parameters as Record<string, JsonObject>
const variables = template.variables as Record<string, Json>
const resources = template.resources as JsonObject[]
const outputs = template.outputs as Record<string, JsonObject>

/** Every string in a JSON value with its path. */
function* strings(value: Json, path: string[] = []): Generator<{ path: string; text: string }> {
  if (typeof value === 'string') yield { path: path.join('.'), text: value }
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* strings(item, [...path, String(i)])
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* strings(item, [...path, key])
  }
}

/** Every function call in the expressions of a JSON value. */
function* calls(value: Json): Generator<{ name: string; args: Expr[]; path: string }> {
  for (const { path, text } of strings(value)) {
    if (!isExpression(text)) continue
    for (const call of callsIn(parseExpressionString(text))) yield { ...call, path }
  }
}

const literalArg = (call: { args: Expr[] }, index = 0) => {
  const arg = call.args[index]
  return arg?.kind === 'literal' && typeof arg.value === 'string' ? arg.value : undefined
}

/** Names passed to parameters('...') or variables('...') in a value. */
const referenced = (value: Json, fn: 'parameters' | 'variables') =>
  new Set(
    [...calls(value)]
      .filter((c) => c.name.toLowerCase() === fn)
      .map((c) => literalArg(c)?.toLowerCase())
      .filter((n): n is string => n !== undefined),
  )

const secureParameters = Object.entries(parameters)
  .filter(([, p]) => ['securestring', 'secureobject'].includes(String(p.type).toLowerCase()))
  .map(([name]) => name)

/** Variables whose value (directly or through other variables) uses a secure parameter. */
function taintedVariables(): Set<string> {
  const secure = new Set(secureParameters.map((n) => n.toLowerCase()))
  const tainted = new Set<string>()
  for (let changed = true; changed;) {
    changed = false
    for (const [name, value] of Object.entries(variables)) {
      const lower = name.toLowerCase()
      if (tainted.has(lower)) continue
      const usesSecret =
        [...referenced(value, 'parameters')].some((p) => secure.has(p)) ||
        [...referenced(value, 'variables')].some((v) => tainted.has(v)) ||
        [...calls(value)].some((c) => c.name.toLowerCase().startsWith('list'))
      if (usesSecret) {
        tainted.add(lower)
        changed = true
      }
    }
  }
  return tainted
}

describe('dsvm-pool.json against the arm-ttk rules', () => {
  it('is a deployment template with the 2019-04-01 schema', () => {
    expect(template.$schema).toBe(
      'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    )
    expect(template.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
  })

  it('location: a parameter defaulting to resourceGroup().location, used by every resource', () => {
    expect(parameters.location).toMatchObject({
      type: 'string',
      defaultValue: '[resourceGroup().location]',
    })
    for (const resource of resources) {
      if ('location' in resource)
        expect(resource.location, String(resource.name)).toBe("[parameters('location')]")
    }
    const withoutLocation = resources.filter((r) => !('location' in r)).map((r) => r.type)
    expect(withoutLocation).toEqual([
      'Microsoft.Storage/storageAccounts/fileServices/shares',
      // The share key's role assignment, deployed into the storage account's resource group.
      'Microsoft.Resources/deployments',
      // The pool identity's Reader role on the group (JupyterHub checks membership with it).
      'Microsoft.Authorization/roleAssignments',
    ])
  })

  it('has no hard-coded region names', () => {
    const regions =
      /\b(east|west|north|south|central|northcentral|southcentral|westcentral)(us|europe|asia)\d?\b|\b(uksouth|ukwest|japaneast|japanwest|australiaeast|francecentral|germanywestcentral|swedencentral|norwayeast|switzerlandnorth|brazilsouth|canadacentral|koreacentral|centralindia|southafricanorth|uaenorth)\b/i
    for (const { path, text } of strings(template)) expect(text, path).not.toMatch(regions)
  })

  it('has no hard-coded cloud URLs or host names (environment() and parameters instead)', () => {
    const cloudHosts =
      /(core\.windows\.net|azure\.com|azure\.net|windows\.net|azure\.cn|usgovcloudapi\.net|chinacloudapi\.cn|microsoftonline)/i
    for (const { path, text } of strings(template)) {
      if (path === '$schema' || path.endsWith('.$schema')) continue
      expect(text, path).not.toMatch(cloudHosts)
    }
    const suffixUse = [...calls(template)].filter((c) => c.name.toLowerCase() === 'environment')
    expect(suffixUse.length).toBeGreaterThan(0)
  })

  it('secrets only in secure parameters, which have no default but the empty string', () => {
    expect(secureParameters.sort()).toEqual([
      'adminPassword',
      'jupyterHubSignIn',
      'poolAccounts',
      'storageAccountKey',
    ])
    for (const name of secureParameters) {
      const definition = parameters[name]!
      const empty = String(definition.type).toLowerCase() === 'secureobject' ? {} : ''
      if ('defaultValue' in definition) expect(definition.defaultValue, name).toEqual(empty)
    }
    const secretLike = /password|secret|key$|token/i
    for (const [name, definition] of Object.entries(parameters)) {
      if (secretLike.test(name) && !/publickey$/i.test(name))
        expect(String(definition.type).toLowerCase(), name).toMatch(/^secure/)
    }
  })

  it('apiVersions less than two years old (or the newest there is), never previews', () => {
    // Types whose newest api-version is older than two years: the newest is the right one.
    const newestAvailable: Record<string, string> = {
      'microsoft.insights/autoscalesettings': '2022-10-01',
      'microsoft.authorization/roleassignments': '2022-04-01',
      'microsoft.managedidentity/userassignedidentities': '2024-11-30',
    }
    const twoYearsMs = 730 * 24 * 3_600_000
    const versions = resources.map((r) => ({ type: String(r.type), version: String(r.apiVersion) }))
    for (const call of calls(template)) {
      if (call.name.toLowerCase().startsWith('list') || call.name.toLowerCase() === 'reference') {
        const version = literalArg(call, 1)
        if (version) versions.push({ type: `${call.name}() at ${call.path}`, version })
      }
    }
    for (const { type, version } of versions) {
      expect(version, type).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      if (newestAvailable[type.toLowerCase()] === version) continue
      const age = Date.now() - Date.parse(`${version}T00:00:00Z`)
      expect(age, `${type} ${version} is more than two years old`).toBeLessThan(twoYearsMs)
    }
  })

  it('every parameter and every variable is used', () => {
    const { parameters: _p, ...rest } = template
    const usedParameters = new Set([
      ...referenced(rest, 'parameters'),
      // Parameter defaults may use other parameters.
      ...referenced(_p as Json, 'parameters'),
    ])
    for (const name of Object.keys(parameters))
      expect(usedParameters.has(name.toLowerCase()), `parameter ${name} is not used`).toBe(true)
    for (const name of Object.keys(variables)) {
      const { [name]: _self, ...others } = variables
      const used =
        referenced({ ...template, variables: others } as Json, 'variables').has(
          name.toLowerCase(),
        ) || false
      expect(used, `variable ${name} is not used`).toBe(true)
    }
  })

  it('outputs are free of secrets: no list*(), no secure parameter, no secure output type', () => {
    const tainted = taintedVariables()
    const secure = new Set(secureParameters.map((n) => n.toLowerCase()))
    for (const [name, output] of Object.entries(outputs)) {
      expect(String(output.type).toLowerCase(), name).not.toMatch(/^secure/)
      for (const call of calls(output)) {
        expect(call.name.toLowerCase().startsWith('list'), `${name} calls ${call.name}`).toBe(false)
      }
      for (const p of referenced(output, 'parameters'))
        expect(secure.has(p), `${name} uses parameter ${p}`).toBe(false)
      for (const v of referenced(output, 'variables'))
        expect(tainted.has(v), `${name} uses variable ${v}, which holds a secret`).toBe(false)
    }
  })

  it('the storage key and the admin password reach resources only where Azure protects them', () => {
    for (const resource of resources) {
      for (const call of calls(resource)) {
        const secretUse =
          call.name.toLowerCase() === 'listkeys' ||
          (call.name.toLowerCase() === 'parameters' &&
            secureParameters.includes(literalArg(call) ?? ''))
        if (!secretUse) continue
        // customData (Windows, only where no managed identity can be set up): Azure never
        // returns it, and the instance script removes the key from the file at once.
        expect(call.path, `${call.name}(${literalArg(call) ?? ''})`).toMatch(
          /(\.protectedSettings$|\.osProfile\.adminPassword$|\.osProfile\.customData$)/,
        )
      }
    }
    // Variables cannot call list*() and none may carry a secure parameter into plain settings.
    expect(taintedVariables().size).toBe(0)
  })

  it("keeps every parameter name of Microsoft's dsvm-vmss-cluster.json", () => {
    const sample = JSON.parse(
      readFileSync(
        resolve(__dirname, '../pool-spec/fixtures/dsvm-vmss-cluster.parameters.json'),
        'utf8',
      ),
    ) as { parameters: Record<string, unknown> }
    for (const name of Object.keys(sample.parameters))
      expect(Object.keys(parameters), name).toContain(name)
  })

  it('tags every resource that takes tags with the pool tags', () => {
    const tagsVariable = String(variables.tags)
    expect(tagsVariable).toContain(`'${poolTags.pool}', parameters('vmssName')`)
    expect(tagsVariable).toContain(`'${poolTags.templateVersion}'`)
    expect(tagsVariable).toMatch(/^\[union\(parameters\('tags'\), /)
    for (const resource of resources) {
      if (String(resource.type).split('/').length > 2) continue
      // Role assignments are extension resources: Azure keeps no tags on them.
      if (String(resource.type) === 'Microsoft.Authorization/roleAssignments') continue
      expect(resource.tags, String(resource.type)).toBe("[variables('tags')]")
    }
  })

  it('opens only JupyterHub and SSH or RDP, from the allowed ranges', () => {
    const nsg = resources.find((r) => r.type === 'Microsoft.Network/networkSecurityGroups')!
    const rules = ((nsg.properties as JsonObject).securityRules as JsonObject[]).map(
      (r) => r.properties as JsonObject,
    )
    expect(rules).toHaveLength(2)
    for (const rule of rules) {
      expect(rule).toMatchObject({
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        sourceAddressPrefixes: "[parameters('allowedSourceRanges')]",
      })
      expect(rule.sourceAddressPrefix).toBeUndefined()
    }
    expect(rules.map((r) => r.destinationPortRange)).toEqual([
      "[string(variables('jupyterHubPort'))]",
      "[string(variables('natBackendPort'))]",
    ])
    expect(variables.jupyterHubPort).toBe(8000)
    expect(variables.natBackendPort).toBe("[if(variables('isLinux'), 22, 3389)]")
  })
})
