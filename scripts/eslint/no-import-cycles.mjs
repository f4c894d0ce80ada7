// Lint rule `layout/no-import-cycles`: a file that is part of an import cycle (type-only
// imports included) is reported with the files of its cycle. The graph is read once per
// lint run (about half a second for the whole tree) and reused for every file.
import { relative, resolve } from 'node:path'
import { checkedFolders, importCycles, importGraph } from './import-graph.mjs'

const root = resolve(import.meta.dirname, '../..')

let cached
function cycleOf(file) {
  // An editor's lint server lives long: read the tree again when the last read is stale.
  if (!cached || Date.now() - cached.at > 5_000) {
    const cycles = importCycles(importGraph(root, checkedFolders))
    const byFile = new Map()
    for (const cycle of cycles) for (const member of cycle) byFile.set(member, cycle)
    cached = { at: Date.now(), byFile }
  }
  return cached.byFile.get(relative(root, file))
}

export const noImportCycles = {
  meta: {
    type: 'problem',
    docs: { description: 'Files may not import each other, directly or round about.' },
    schema: [],
    messages: {
      cycle:
        'This file is in an import cycle with {{others}}. Move what both sides need into a module of its own that neither imports back.',
    },
  },
  create(context) {
    return {
      Program(node) {
        const cycle = cycleOf(context.filename)
        if (!cycle) return
        const self = relative(root, context.filename)
        const others = cycle.filter((member) => member !== self).join(', ')
        context.report({ node, messageId: 'cycle', data: { others } })
      },
    }
  },
}

export default { rules: { 'no-import-cycles': noImportCycles } }
