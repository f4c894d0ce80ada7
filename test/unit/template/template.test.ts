import { describe, expect, it } from 'vitest'
import type { TemplateRuntime } from '../../../sandbox/arm/template/env'
import { TemplateError } from '../../../sandbox/arm/template/template'
import { prepare, rgId } from './helpers'

const noRuntime: TemplateRuntime = {
  getResource: async () => ({}),
  invokeAction: async () => ({}),
}

const vnet = (name = 'vnet', extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Network/virtualNetworks',
  apiVersion: '2024-05-01',
  name,
  location: '[resourceGroup().location]',
  properties: {},
  ...extra,
})

describe('parameters', () => {
  const template = {
    parameters: {
      vmssName: { type: 'string', minLength: 3, maxLength: 9 },
      instanceCount: { type: 'int', defaultValue: 2, minValue: 0, maxValue: 10 },
      osType: { type: 'string', allowedValues: ['Linux', 'Windows'], defaultValue: 'Linux' },
      adminPassword: { type: 'securestring', defaultValue: '' },
      label: {
        type: 'string',
        defaultValue: "[concat(parameters('vmssName'), '-', parameters('osType'))]",
      },
      stamp: { type: 'string', defaultValue: "[utcNow('yyyy-MM-dd')]" },
    },
    resources: [],
  }

  it('binds given values, defaults and defaults built from other parameters', async () => {
    const prepared = await prepare(template, { vmssName: 'pool', osType: 'windows' })
    expect(prepared.parametersView()).toEqual({
      vmssName: { type: 'String', value: 'pool' },
      instanceCount: { type: 'Int', value: 2 },
      osType: { type: 'String', value: 'windows' },
      adminPassword: { type: 'SecureString' },
      label: { type: 'String', value: 'pool-windows' },
      stamp: { type: 'String', value: '2026-11-28' },
    })
  })

  it('fails when a parameter without default is not provided', async () => {
    await expect(prepare(template, {})).rejects.toThrow(
      /^Deployment template validation failed: 'The value for the template parameter 'vmssName' at line '1' and column '\d+' is not provided\./,
    )
  })

  it.each([
    [
      { vmssName: 'pool', osType: 'BeOS' },
      /The parameter value is not part of the allowed value\(s\): 'Linux,Windows'/,
    ],
    [{ vmssName: 'pool', instanceCount: 11 }, /must be less than or equal to '10'/],
    [{ vmssName: 'pool', instanceCount: -1 }, /must be greater than or equal to '0'/],
    [{ vmssName: 'po' }, /Length of the value should be greater than or equal to '3'/],
    [{ vmssName: 'much-too-long' }, /Length of the value should be less than or equal to '9'/],
    [
      { vmssName: 'pool', instanceCount: '3' },
      /Template parameter JToken type is not valid. Expected 'Integer'. Actual 'String'/,
    ],
    [
      { vmssName: 'pool', extra: 1 },
      /The template parameters 'extra' in the parameters file are not valid/,
    ],
  ])('rejects %j', async (values, message) => {
    const failure = prepare(template, values)
    await expect(failure).rejects.toBeInstanceOf(TemplateError)
    await expect(failure).rejects.toThrow(message)
  })

  it('never repeats a secure value in a message', async () => {
    const secure = { parameters: { key: { type: 'securestring', minLength: 20 } }, resources: [] }
    await expect(prepare(secure, { key: 'hunter2' })).rejects.toThrow(/^(?!.*hunter2)/)
  })
})

describe('variables', () => {
  it('evaluates variables, variable copy loops and property copies', async () => {
    const prepared = await prepare({
      parameters: { count: { type: 'int', defaultValue: 2 } },
      variables: {
        prefix: "[toLower('POOL')]",
        name: "[concat(variables('prefix'), '-vm')]",
        copy: [
          {
            name: 'disks',
            count: "[parameters('count')]",
            input: "[concat('disk', copyIndex('disks', 1))]",
          },
        ],
        rules: {
          copy: [{ name: 'ports', count: 2, input: { port: "[add(8000, copyIndex('ports'))]" } }],
        },
      },
      resources: [],
    })
    const env = prepared.env('plan')
    expect(await env.variable('name')).toBe('pool-vm')
    expect(await env.variable('disks')).toEqual(['disk1', 'disk2'])
    expect(await env.variable('rules')).toEqual({ ports: [{ port: 8000 }, { port: 8001 }] })
  })

  it('rejects circular variables and names the variable', async () => {
    await expect(
      prepare({ variables: { a: "[variables('b')]", b: "[variables('a')]" }, resources: [] }),
    ).rejects.toThrow(/The template variable '(a|b)' has a circular reference/)
  })

  it('rejects reference() in variables', async () => {
    await expect(
      prepare({ variables: { a: "[reference('x', '2020-01-01')]" }, resources: [] }),
    ).rejects.toThrow(
      /The template variable 'a' at line '1' and column '\d+' is not valid: .*The template function 'reference' is not expected at this location/,
    )
  })
})

describe('resources', () => {
  it('expands copy loops, nested children and conditions into ids', async () => {
    const prepared = await prepare({
      parameters: { withIp: { type: 'bool', defaultValue: false } },
      resources: [
        {
          type: 'Microsoft.Storage/storageAccounts',
          apiVersion: '2023-05-01',
          name: "[concat('acct', uniqueString(resourceGroup().id))]",
          resources: [{ type: 'fileServices', apiVersion: '2023-05-01', name: 'default' }],
        },
        { ...vnet("[concat('vnet', copyIndex(1))]"), copy: { name: 'vnets', count: 2 } },
        {
          type: 'Microsoft.Network/publicIPAddresses',
          apiVersion: '2024-05-01',
          name: 'ip',
          condition: "[parameters('withIp')]",
        },
      ],
    })
    const ids = prepared.resources.map((r) => r.id.replace(`${rgId}/providers/`, ''))
    expect(ids).toEqual([
      expect.stringMatching(/^Microsoft\.Storage\/storageAccounts\/acct[a-z2-7]{13}$/),
      expect.stringMatching(
        /^Microsoft\.Storage\/storageAccounts\/acct[a-z2-7]{13}\/fileServices\/default$/,
      ),
      'Microsoft.Network/virtualNetworks/vnet1',
      'Microsoft.Network/virtualNetworks/vnet2',
      'Microsoft.Network/publicIPAddresses/ip',
    ])
    expect(prepared.resources[1]!.type).toBe('Microsoft.Storage/storageAccounts/fileServices')
    expect(prepared.resources.map((r) => r.condition)).toEqual([true, true, true, true, false])
    expect(prepared.deploymentOrder()).toHaveLength(4)
  })

  it('resolves dependsOn by name, by id, by type/name and by copy loop', async () => {
    const prepared = await prepare({
      resources: [
        { ...vnet('a') },
        { ...vnet("[concat('b', copyIndex())]"), copy: { name: 'bs', count: 2 } },
        { ...vnet('c'), dependsOn: ['a'] },
        {
          ...vnet('d'),
          dependsOn: ["[resourceId('Microsoft.Network/virtualNetworks', 'c')]", 'bs'],
        },
        { ...vnet('e'), dependsOn: ['Microsoft.Network/virtualNetworks/d'] },
      ],
    })
    const deps = Object.fromEntries(
      prepared.resources.map((r) => [r.name, r.dependencies.map((d) => d.split('/').pop())]),
    )
    expect(deps).toEqual({ a: [], b0: [], b1: [], c: ['a'], d: ['c', 'b0', 'b1'], e: ['d'] })
    expect(prepared.deploymentOrder().map((r) => r.name)).toEqual(['a', 'b0', 'b1', 'c', 'd', 'e'])
  })

  it('accepts a dependency on a copy loop of zero instances', async () => {
    const prepared = await prepare({
      resources: [
        { ...vnet("[concat('n', copyIndex())]"), copy: { name: 'nodes', count: 0 } },
        { ...vnet('after'), dependsOn: ['nodes'] },
      ],
    })
    expect(prepared.resources.map((r) => [r.name, r.dependencies])).toEqual([['after', []]])
  })

  it('drops dependencies on resources whose condition is false', async () => {
    const prepared = await prepare({
      resources: [
        { ...vnet('a'), condition: false },
        { ...vnet('b'), dependsOn: ['a'] },
      ],
    })
    expect(prepared.resources[1]!.dependencies).toEqual([])
  })

  it('orders serial copy loops batch by batch', async () => {
    const prepared = await prepare({
      resources: [
        {
          ...vnet("[concat('s', copyIndex())]"),
          copy: { name: 's', count: 4, mode: 'serial', batchSize: 2 },
        },
      ],
    })
    expect(prepared.resources.map((r) => r.dependencies.map((d) => d.split('/').pop()))).toEqual([
      [],
      [],
      ['s0', 's1'],
      ['s0', 's1'],
    ])
  })

  it('adds implicit dependencies for reference() and listKeys() on template resources', async () => {
    const prepared = await prepare({
      resources: [
        { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: 'acct' },
        {
          ...vnet('v'),
          properties: {
            key: "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'acct'), '2023-05-01').keys[0].value]",
          },
        },
      ],
    })
    expect(prepared.resources[1]!.dependencies).toEqual([
      `${rgId}/providers/Microsoft.Storage/storageAccounts/acct`.toLowerCase(),
    ])
  })

  it.each([
    [
      { resources: [{ ...vnet('a'), dependsOn: ['nope'] }] },
      "The resource 'nope' is not defined in the template.",
    ],
    [
      {
        resources: [
          { ...vnet('a'), dependsOn: ['b'] },
          { ...vnet('b'), dependsOn: ['a'] },
        ],
      },
      /Circular dependency detected on resource: '.*virtualNetworks\/(a|b)'/,
    ],
    [{ resources: [vnet('a'), vnet('A')] }, /is defined multiple times in a template/],
    [{ resources: [{ ...vnet('a/b') }] }, /has incorrect segment lengths/],
    [
      { resources: [vnet("[foo('x')]")] },
      /The template resource '\[foo\('x'\)\]' at line '1' and column '\d+' is not valid: The language expression '\[foo\('x'\)\]' is not valid: The template function 'foo' is not valid/,
    ],
    [{ resources: [vnet("[concat('a']")] }, /Unable to parse language expression/],
    [
      { resources: [{ ...vnet('a'), properties: { x: "[toLower(frob('x'))]" } }] },
      /The template resource 'a' at line '1' and column '\d+' is not valid: The language expression '\[toLower\(frob\('x'\)\)\]' is not valid: The template function 'frob' is not valid/,
    ],
    [
      { resources: [], outputs: { o: { type: 'string', value: "[concat('a'" + ']' } } },
      /Unable to parse language expression/,
    ],
    [{ resources: [{ ...vnet('a'), copy: { name: 'x', count: 801 } }] }, /cannot exceed '800'/],
    [
      { resources: [vnet("[reference('x').name]")] },
      /The template function 'reference' is not expected at this location/,
    ],
  ])('rejects invalid templates (%#)', async (template, message) => {
    const failure = prepare(template)
    await expect(failure).rejects.toThrow(/^Deployment template validation failed: '/)
    await expect(failure).rejects.toThrow(message)
  })

  it('evaluates bodies with property copy loops and without template-only keys', async () => {
    const prepared = await prepare({
      parameters: { ports: { type: 'array', defaultValue: [22, 8000] } },
      resources: [
        {
          ...vnet('nsg'),
          type: 'Microsoft.Network/networkSecurityGroups',
          comments: 'dropped',
          dependsOn: [],
          tags: { pool: '[resourceGroup().name]' },
          properties: {
            copy: [
              {
                name: 'securityRules',
                count: "[length(parameters('ports'))]",
                input: {
                  name: "[concat('allow-', parameters('ports')[copyIndex('securityRules')])]",
                  priority: "[add(100, copyIndex('securityRules'))]",
                },
              },
            ],
          },
        },
      ],
    })
    const body = await prepared.resourceBody(prepared.resources[0]!, 'runtime', noRuntime)
    expect(body).toEqual({
      location: 'westeurope',
      tags: { pool: 'pool-rg' },
      properties: {
        securityRules: [
          { name: 'allow-22', priority: 100 },
          { name: 'allow-8000', priority: 101 },
        ],
      },
    })
  })

  it('evaluates outputs with their types and hides secure outputs', async () => {
    const prepared = await prepare({
      parameters: { n: { type: 'int', defaultValue: 3 } },
      resources: [],
      outputs: {
        url: { type: 'string', value: "[format('https://{0}:8000', 'pool')]" },
        count: { type: 'int', value: "[parameters('n')]" },
        names: { type: 'array', copy: { count: 2, input: "[concat('vm', copyIndex())]" } },
        skipped: { type: 'string', condition: false, value: 'x' },
        secret: { type: 'securestring', value: 'hidden' },
      },
    })
    expect(await prepared.outputs(noRuntime)).toEqual({
      url: { type: 'String', value: 'https://pool:8000' },
      count: { type: 'Int', value: 3 },
      names: { type: 'Array', value: ['vm0', 'vm1'] },
      secret: { type: 'SecureString' },
    })
  })
})
