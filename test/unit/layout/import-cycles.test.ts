import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkedFolders, importCycles, importGraph } from '../../../scripts/eslint/import-graph.mjs'

const root = resolve(import.meta.dirname, '../../..')

// The lint rule layout/no-import-cycles (scripts/eslint/no-import-cycles.mjs) reports each
// file of a cycle; this checks the graph it reads.
describe('the import graph', () => {
  it('has no cycles, type-only imports included', () => {
    const graph = importGraph(root, checkedFolders)
    expect(graph.size).toBeGreaterThan(100)
    expect(graph.get('electron/app-services.ts')).toContain('electron/azure/pools/pool-handlers.ts')
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
