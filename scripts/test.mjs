// `npm test`: every check a change must pass, in the order a failure is cheapest to read.
// Runs them all, then prints one closing line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs'

const results = 'test-results'
mkdirSync(results, { recursive: true })

const steps = [
  { name: 'typecheck', cmd: ['tsc', '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint', cmd: ['eslint', '.'] },
  { name: 'format', cmd: ['prettier', '--check', '.'] },
  {
    name: 'unit + integration',
    vitest: 'unit-integration',
    cmd: ['vitest', 'run', '--project', 'unit', '--project', 'integration'],
  },
  { name: 'build (for E2E)', cmd: ['electron-vite', 'build'] },
  { name: 'e2e', vitest: 'e2e', cmd: ['vitest', 'run', '--project', 'e2e'] },
  { name: 'security scan', cmd: ['node', 'scripts/security-scan.mjs'] },
]

const totals = { passed: 0, failed: 0, skipped: 0 }
const failedSteps = []
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`)
  const args = [...step.cmd]
  let report
  if (step.vitest) {
    report = `${results}/vitest-${step.vitest}.json`
    rmSync(report, { force: true })
    args.push('--reporter=default', '--reporter=json', `--outputFile=${report}`)
  }
  const run = spawnSync('npm', ['exec', '--', ...args], { stdio: 'inherit', env: process.env })
  if (report && existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'))
    totals.passed += json.numPassedTests ?? 0
    totals.failed += json.numFailedTests ?? 0
    totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0)
  } else if (run.status === 0) {
    totals.passed += 1
  }
  if (run.status !== 0) {
    failedSteps.push(step.name)
    if (!report) totals.failed += 1
  }
}

console.log(`\nChecks that failed: ${failedSteps.length ? failedSteps.join(', ') : 'none'}`)
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(failedSteps.length ? 1 : 0)
