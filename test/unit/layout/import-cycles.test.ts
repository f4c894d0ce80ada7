import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCycles, importGraph } from './import-graph'

const root = resolve(import.meta.dirname, '../../..')

describe('the code base', () => {
  it('has no import cycles, type-only imports included', () => {
    const graph = importGraph(root, ['electron', 'sandbox', 'renderer', 'shared', 'bench', 'test'])
    expect(graph.size).toBeGreaterThan(100)
    expect(importCycles(graph)).toEqual([])
  })

  it('finds a cycle where there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ])
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']])
  })
})
