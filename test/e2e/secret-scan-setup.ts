import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ScanReport } from './secret-scan'

/*
 * Vitest global setup of the E2E project: starts the secret scan's record empty, and at the
 * end adds up what each app's scan found (test/e2e/harness.ts writes one report per app)
 * into test-results/secret-scan-summary.json, with one line in the log.
 */

const scanDir = resolve(import.meta.dirname, '../../test-results/secret-scan')
const summaryFile = resolve(import.meta.dirname, '../../test-results/secret-scan-summary.json')

export function setup(): () => void {
  rmSync(scanDir, { recursive: true, force: true })
  return teardown
}

function teardown(): void {
  const reports = existsSync(scanDir)
    ? readdirSync(scanDir).map(
        (name) =>
          JSON.parse(readFileSync(join(scanDir, name), 'utf8')) as ScanReport & {
            secretsLookedFor: Record<string, number>
          },
      )
    : []
  const summary = {
    appsScanned: reports.length,
    filesScanned: sum(reports.map((r) => r.filesScanned)),
    bytesScanned: sum(reports.map((r) => r.bytesScanned)),
    commandLinesScanned: sum(reports.map((r) => r.commandLinesScanned)),
    knownSecretsLookedFor: reports.reduce<Record<string, number>>((all, r) => {
      for (const [kind, n] of Object.entries(r.secretsLookedFor)) all[kind] = (all[kind] ?? 0) + n
      return all
    }, {}),
    hits: reports.flatMap((r) => r.hits),
  }
  writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`)
  console.log(
    `Secret scan after E2E: ${summary.appsScanned} app runs, ${summary.filesScanned} files, ${summary.commandLinesScanned} command lines, ${summary.hits.length} hits`,
  )
  if (summary.hits.length > 0)
    throw new Error(`Secrets found after E2E: see ${summaryFile} (each test that left one failed)`)
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
