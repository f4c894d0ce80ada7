import { describe, expect, it } from 'vitest'
import { compareShape, missingLroHeaders } from './shape'

describe('response shape comparison', () => {
  const example = {
    id: '/subscriptions/x',
    count: 3,
    enabled: true,
    nothing: null,
    tags: { anyKey: 'v' },
    properties: { items: [{ name: 'a', size: 1 }], empty: [] },
  }

  it('accepts the same paths and types whatever the values, and extra properties', () => {
    const actual = {
      id: 'other',
      count: 0,
      enabled: false,
      nothing: 'now a value',
      tags: { otherKey: 'w' },
      properties: { items: [{ name: 'b', size: 2, extra: true }], empty: [1, 2] },
      added: 'fine',
    }
    expect(compareShape(example, actual, { freeKeys: ['tags'] })).toEqual([])
  })

  it('reports missing properties, wrong types and empty arrays, by path', () => {
    const actual = { id: 5, enabled: true, tags: {}, properties: { items: [] } }
    expect(compareShape(example, actual)).toEqual([
      { path: 'id', problem: 'expected string, sandbox has number' },
      { path: 'count', problem: 'missing in the sandbox response' },
      { path: 'tags.anyKey', problem: 'missing in the sandbox response' },
      {
        path: 'properties.items[]',
        problem: 'the example has elements, the sandbox array is empty',
      },
      { path: 'properties.empty', problem: 'missing in the sandbox response' },
    ])
  })

  it('treats a null in the example as optional, and compares arrays by their first element', () => {
    const { nothing: _absent, ...rest } = example
    const actual = { ...rest, properties: { items: [{ name: 'a' }, { size: 1 }], empty: [] } }
    expect(compareShape(example, actual)).toEqual([
      { path: 'properties.items[].size', problem: 'missing in the sandbox response' },
    ])
  })

  it('leaves out accepted exceptions', () => {
    const actual = { ...example, properties: { items: [{ name: 'a' }], empty: [] } }
    expect(
      compareShape(example, actual, { ignore: (path) => path === 'properties.items[].size' }),
    ).toEqual([])
  })

  it('requires the long-running-operation headers the example has, in any case', () => {
    expect(missingLroHeaders({ Location: 'x', 'Retry-After': '1' }, { location: 'y' })).toEqual([])
    expect(
      missingLroHeaders({ 'Azure-AsyncOperation': 'x', location: 'y' }, { location: 'y' }),
    ).toEqual(['azure-asyncoperation'])
    expect(missingLroHeaders(undefined, {})).toEqual([])
  })
})
