// The project's own import graph and its cycles; used by the lint rule beside this file and
// by test/unit/layout. Type-only imports count: a cycle of types is still a knot in the map.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

/** Where the project's TypeScript lives. */
export const checkedFolders = ['electron', 'sandbox', 'renderer', 'shared', 'bench', 'test']

/** Every relative import between the TypeScript files under `folders`, by path from `root`. */
export function importGraph(root, folders) {
  const graph = new Map()
  for (const folder of folders) {
    for (const file of sourceFiles(join(root, folder))) {
      const imports = ts
        .preProcessFile(readFileSync(file, 'utf8'), true, true)
        .importedFiles.map((entry) => entry.fileName)
        .filter((name) => name.startsWith('.'))
        .map((name) => resolveImport(dirname(file), name))
        .filter((target) => target !== undefined)
      graph.set(relative(root, file), [...new Set(imports.map((target) => relative(root, target)))])
    }
  }
  return graph
}

/** The groups of files that import each other, directly or round about (Tarjan's algorithm). */
export function importCycles(graph) {
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const cycles = []
  let next = 0
  const visit = (file) => {
    index.set(file, next)
    low.set(file, next)
    next += 1
    stack.push(file)
    onStack.add(file)
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target)
        low.set(file, Math.min(low.get(file), low.get(target)))
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), index.get(target)))
      }
    }
    if (low.get(file) === index.get(file)) {
      const group = []
      let member
      do {
        member = stack.pop()
        onStack.delete(member)
        group.push(member)
      } while (member !== file)
      if (group.length > 1 || graph.get(file)?.includes(file)) cycles.push(group.sort())
    }
  }
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file)
  return cycles
}

function sourceFiles(folder) {
  if (!existsSync(folder)) return []
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    if (name === 'node_modules') return []
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

function resolveImport(from, name) {
  const base = resolve(from, name)
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
  ]
  return candidates.find((path) => existsSync(path) && statSync(path).isFile())
}
