import { describe, expect, it } from 'vitest'
import type { TemplateRuntime } from '../../../sandbox/arm/template/env'
import { ResourceCallError } from '../../../sandbox/arm/template/errors'
import { evaluate, rgId, scope } from './helpers'

describe('string functions', () => {
  it.each([
    ["[concat('a', 'b', 1)]", 'ab1'],
    ["[format('{0}-{1:D3}-{{x}}', 'vm', 7)]", 'vm-007-{x}'],
    ["[toLower('AbC')]", 'abc'],
    ["[toUpper('AbC')]", 'ABC'],
    ["[replace('a-b-c', '-', '')]", 'abc'],
    ["[substring('abcdef', 2, 3)]", 'cde'],
    ["[trim('  x ')]", 'x'],
    ["[startsWith('Standard_D4s', 'standard')]", true],
    ["[endsWith('file.SH', '.sh')]", true],
    ["[base64('hi')]", 'aGk='],
    ['[string(true)]', 'True'],
    ["[string(createObject('a', 1))]", '{"a":1}'],
    ["[padLeft('7', 3, '0')]", '007'],
    ["[indexOf('abcABC', 'C')]", 2],
    ["[uniqueString('test')]", 'rbgf3xv4ufgzg'],
    ['[[escaped]', '[escaped]'],
  ])('%s → %j', async (expression, expected) => {
    expect(await evaluate(expression)).toEqual(expected)
  })

  it('splits on one or several delimiters', async () => {
    expect(await evaluate("[split('a,b;c', createArray(',', ';'))]")).toEqual(['a', 'b', 'c'])
  })

  it('rejects substring ranges outside the string', async () => {
    await expect(evaluate("[substring('abc', 2, 5)]")).rejects.toThrow(
      /must refer to a location within the string/,
    )
  })

  it('uses utcNow and newGuid only in parameter defaults', async () => {
    await expect(evaluate('[utcNow()]')).rejects.toThrow(
      /only be used with parameter default values/,
    )
    await expect(evaluate('[newGuid()]')).rejects.toThrow(
      /only be used with parameter default values/,
    )
  })
})

describe('collection and logical functions', () => {
  it.each([
    ['[concat(createArray(1, 2), createArray(3))]', [1, 2, 3]],
    [
      "[union(createObject('a', 1, 'n', createObject('x', 1)), createObject('b', 2, 'n', createObject('y', 2)))]",
      { a: 1, b: 2, n: { x: 1, y: 2 } },
    ],
    ['[union(createArray(1, 2), createArray(2, 3))]', [1, 2, 3]],
    ["[contains(createArray('a', 'b'), 'b')]", true],
    ["[contains(createObject('Key', 1), 'key')]", true],
    ["[contains('abc', 'd')]", false],
    ["[empty('')]", true],
    ['[empty(createArray())]', true],
    ["[empty(createObject('a', 1))]", false],
    ["[length(createObject('a', 1, 'b', 2))]", 2],
    ["[first(createArray('x', 'y'))]", 'x'],
    ["[last('xyz')]", 'z'],
    ['[take(createArray(1, 2, 3), 2)]', [1, 2]],
    ['[skip(createArray(1, 2, 3), 2)]', [3]],
    ["[coalesce(null(), null, 'c')]", 'c'],
    ["[if(equals(1, 1), 'yes', 'no')]", 'yes'],
    ["[equals(createObject('a', createArray(1)), createObject('a', createArray(1)))]", true],
    ["[equals('A', 'a')]", false],
    ['[not(and(true, or(false, true)))]', false],
    ['[add(1, mul(2, 3))]', 7],
    ['[sub(10, div(7, 2))]', 7],
    ['[mod(7, 3)]', 1],
    ['[min(4, 2, 8)]', 2],
    ['[max(createArray(4, 2, 8))]', 8],
    ["[int('42')]", 42],
    ["[bool('TRUE')]", true],
    ['[range(1, 3)]', [1, 2, 3]],
    ["[createObject('a', createArray(1, 2)).a[1]]", 2],
    ['[json(\'{"x": {"y": 5}}\').x.y]', 5],
    ["[createObject('Name', 'v').name]", 'v'],
    ["[dateTimeAdd('2026-01-31T10:00:00Z', 'P1M')]", '2026-02-28T10:00:00Z'],
    ["[dateTimeAdd('2026-11-28T09:30:00Z', '-PT1H30M')]", '2026-11-28T08:00:00Z'],
    ["[dateTimeAdd('2026-11-28T09:30:00Z', 'P1D', 'yyyy-MM-dd')]", '2026-11-29'],
    ["[dateTimeToEpoch('2026-01-01T00:00:00Z')]", 1767225600],
    ['[dateTimeFromEpoch(1767225600)]', '2026-01-01T00:00:00Z'],
    ['[tenant().tenantId]', '72f988bf-0000-4000-8000-00000000c0de'],
  ])('%s → %j', async (expression, expected) => {
    expect(await evaluate(expression)).toEqual(expected)
  })

  it.each([
    ["[filter(createArray(1, 5, 8), lambda('n', greater(lambdaVariables('n'), 4)))]", [5, 8]],
    ["[map(createArray('a', 'b'), lambda('s', toUpper(lambdaVariables('s'))))]", ['A', 'B']],
    [
      "[map(createArray('a', 'b'), lambda('s', 'i', concat(lambdaVariables('s'), string(lambdaVariables('i')))))]",
      ['a0', 'b1'],
    ],
    [
      "[reduce(createArray(1, 2, 3), 10, lambda('sum', 'n', add(lambdaVariables('sum'), lambdaVariables('n'))))]",
      16,
    ],
    [
      "[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]",
      [1, 2, 3],
    ],
    [
      "[toObject(createArray(createObject('k', 'x', 'v', 1)), lambda('e', lambdaVariables('e').k), lambda('e', lambdaVariables('e').v))]",
      { x: 1 },
    ],
  ])('lambda function %s → %j', async (expression, expected) => {
    expect(await evaluate(expression)).toEqual(expected)
  })

  it('rejects a lambda outside the functions that take one', async () => {
    await expect(evaluate("[lambda('x', 1)]")).rejects.toThrow(/only valid as the last parameter/)
    await expect(evaluate("[lambdaVariables('x')]")).rejects.toThrow(
      /lambda variable 'x' is not defined/,
    )
  })

  it('evaluates only the chosen branch of if()', async () => {
    expect(await evaluate("[if(false, parameters('missing'), 'safe')]")).toBe('safe')
  })

  it('names the missing property and what exists', async () => {
    await expect(evaluate("[createObject('a', 1, 'b', 2).c]")).rejects.toThrow(
      "The language expression property 'c' doesn't exist, available properties are 'a, b'.",
    )
  })

  it('rejects division by zero and out-of-range indexes', async () => {
    await expect(evaluate('[div(1, 0)]')).rejects.toThrow(/divide by zero/)
    await expect(evaluate('[createArray(1)[3]]')).rejects.toThrow(/index '3' is out of bounds/)
  })

  it('checks argument types and counts', async () => {
    await expect(evaluate('[toLower(1)]')).rejects.toThrow(
      "The template language function 'toLower' expects its first parameter to be of type 'String'. The provided value is of type 'Integer'.",
    )
    await expect(evaluate("[equals('a')]")).rejects.toThrow(
      /requires 2 argument\(s\) while 1 were provided/,
    )
  })

  it('refuses unknown functions', async () => {
    await expect(evaluate("[frobnicate('a')]")).rejects.toThrow(
      "The template function 'frobnicate' is not valid.",
    )
  })
})

describe('deployment and resource functions', () => {
  it('reads parameters and variables case-insensitively', async () => {
    const result = await evaluate("[concat(parameters('PoolName'), '-', variables('SUFFIX'))]", {
      parameters: { poolName: { type: 'string', value: 'gpu' } },
      variables: { suffix: "[toUpper('x')]" },
    })
    expect(result).toBe('gpu-X')
  })

  it('describes the resource group and subscription', async () => {
    expect(await evaluate('[resourceGroup()]')).toEqual({
      id: rgId,
      name: 'pool-rg',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'westeurope',
      tags: { team: 'ml' },
      properties: { provisioningState: 'Succeeded' },
    })
    expect(await evaluate('[subscription()]')).toEqual({
      id: `/subscriptions/${scope.subscriptionId}`,
      subscriptionId: scope.subscriptionId,
      tenantId: scope.tenantId,
      displayName: 'Contoso Data Science',
    })
    expect(await evaluate('[deployment().name]')).toBe('pool-deploy')
  })

  it('builds resource ids in every overload', async () => {
    const provider = 'providers/Microsoft.Network/virtualNetworks/vnet/subnets/default'
    expect(
      await evaluate(
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]",
      ),
    ).toBe(`${rgId}/${provider}`)
    expect(
      await evaluate(
        "[resourceId('other-rg', 'Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]",
      ),
    ).toBe(`/subscriptions/${scope.subscriptionId}/resourceGroups/other-rg/${provider}`)
    expect(
      await evaluate("[resourceId('sub2', 'rg2', 'Microsoft.Network/virtualNetworks', 'vnet')]"),
    ).toBe(
      '/subscriptions/sub2/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/vnet',
    )
    expect(await evaluate("[resourceId('Microsoft.Network/virtualNetworks/', 'vnet')]")).toBe(
      `${rgId}/providers/Microsoft.Network/virtualNetworks/vnet`,
    )
    expect(
      await evaluate("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'abc')]"),
    ).toBe(
      `/subscriptions/${scope.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/abc`,
    )
    expect(
      await evaluate(
        "[subscriptionResourceId('sub9', 'Microsoft.Authorization/roleDefinitions', 'abc')]",
      ),
    ).toBe('/subscriptions/sub9/providers/Microsoft.Authorization/roleDefinitions/abc')
    await expect(
      evaluate("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]"),
    ).rejects.toThrow(/requires '2' resource name argument/)
  })

  it('calls reference() and listKeys() through the runtime, only while deploying', async () => {
    const calls: string[] = []
    const runtime: TemplateRuntime = {
      getResource: async (id, apiVersion) => {
        calls.push(`GET ${id}?${apiVersion}`)
        return { id, location: 'westeurope', properties: { dnsSettings: { fqdn: 'pool.example' } } }
      },
      invokeAction: async (id, action, apiVersion) => {
        calls.push(`POST ${id}/${action}?${apiVersion}`)
        return { keys: [{ keyName: 'key1', value: 'secret' }] }
      },
    }
    const ip = `${rgId}/providers/Microsoft.Network/publicIPAddresses/ip`
    expect(
      await evaluate(`[reference('${ip}', '2024-05-01').dnsSettings.fqdn]`, {
        runtime,
        phase: 'runtime',
      }),
    ).toBe('pool.example')
    expect(
      await evaluate(`[reference('${ip}', '2024-05-01', 'Full').location]`, {
        runtime,
        phase: 'runtime',
      }),
    ).toBe('westeurope')
    expect(
      await evaluate(
        "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'acct'), '2023-05-01').keys[0].value]",
        { runtime, phase: 'runtime' },
      ),
    ).toBe('secret')
    expect(calls).toEqual([
      `GET ${ip}?2024-05-01`,
      `GET ${ip}?2024-05-01`,
      `POST ${rgId}/providers/Microsoft.Storage/storageAccounts/acct/listKeys?2023-05-01`,
    ])
    await expect(evaluate(`[reference('${ip}', '2024-05-01')]`, { runtime })).rejects.toThrow(
      "The template function 'reference' is not expected at this location.",
    )
  })

  it('passes a provider error from reference() through', async () => {
    const runtime: TemplateRuntime = {
      getResource: async () => {
        throw new ResourceCallError(404, { code: 'ResourceNotFound', message: 'not found' })
      },
      invokeAction: async () => null,
    }
    await expect(
      evaluate(`[reference('${rgId}/providers/A.B/c/d', '2020-01-01')]`, {
        runtime,
        phase: 'runtime',
      }),
    ).rejects.toBeInstanceOf(ResourceCallError)
  })
})
