#!/usr/bin/env node
/*
 * Generates sandbox/core/api-versions/table.json: the api-versions Azure publishes
 * for each resource type of the namespaces the sandbox emulates.
 *
 * Source: Azure/bicep-types-az, whose `generated/<spec>/<namespace>/<api-version>/types.md`
 * folders are generated from the version folders of Azure/azure-rest-api-specs
 * (`specification/<spec>/resource-manager/<Namespace>/{stable,preview}/<api-version>/`); each
 * `## Resource <Namespace>/<type>@<api-version>` heading names a resource type that version
 * serves. The specs repository itself is over 1 GB; its generated index is not.
 *
 *   node scripts/api-versions/generate.mjs <git dir of a bicep-types-az clone> [revision]
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const namespaces = [
  'Microsoft.Authorization',
  'Microsoft.Compute',
  'Microsoft.CostManagement',
  'Microsoft.Insights',
  'Microsoft.ManagedIdentity',
  'Microsoft.MarketplaceOrdering',
  'Microsoft.Network',
  'Microsoft.Resources',
  'Microsoft.Storage',
]

const [gitDir, revision = 'HEAD'] = process.argv.slice(2)
if (!gitDir) {
  process.stderr.write('usage: generate.mjs <git dir of Azure/bicep-types-az> [revision]\n')
  process.exit(2)
}
const git = (...args) =>
  execFileSync('git', ['--git-dir', gitDir, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })

const [commit, committed] = git('log', '-1', '--format=%H %cI', revision).trim().split(' ')
const byLower = new Map(namespaces.map((n) => [n.toLowerCase(), n]))
const table = Object.fromEntries(namespaces.map((n) => [n, { versions: new Set(), types: {} }]))

for (const path of git('ls-tree', '-r', '--name-only', revision, 'generated').split('\n')) {
  const m = /^generated\/[^/]+\/([^/]+)\/([^/]+)\/types\.md$/.exec(path)
  if (!m || !byLower.has(m[1])) continue
  const namespace = byLower.get(m[1])
  const version = m[2]
  const entry = table[namespace]
  entry.versions.add(version)
  for (const line of git('show', `${revision}:${path}`).split('\n')) {
    const heading = /^## Resource ([^/@\s]+)\/([^@\s]+)@(\S+)/.exec(line)
    if (!heading || heading[1].toLowerCase() !== m[1]) continue
    ;(entry.types[heading[2]] ??= new Set()).add(heading[3])
  }
}

// Newest first, as Azure lists them in its errors and in provider GETs.
const newestFirst = (set) => [...set].sort().reverse()
const output = {
  source: {
    repository: 'https://github.com/Azure/bicep-types-az',
    commit,
    committed,
    generatedFrom: 'https://github.com/Azure/azure-rest-api-specs (version folders)',
    generator: 'scripts/api-versions/generate.mjs',
  },
  namespaces: Object.fromEntries(
    Object.entries(table).map(([namespace, entry]) => [
      namespace,
      {
        versions: newestFirst(entry.versions),
        types: Object.fromEntries(
          Object.entries(entry.types)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([type, versions]) => [type, newestFirst(versions)]),
        ),
      },
    ]),
  ),
}

const target = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../sandbox/core/api-versions/table.json',
)
writeFileSync(target, JSON.stringify(output, null, 1) + '\n')
process.stdout.write(`wrote ${target} from ${commit} (${committed})\n`)
