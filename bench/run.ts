import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { Bench } from './figure'

/*
 * npm run bench: every benchmark, printed as figures and ratios measured side by side in
 * this one run (never asserted in tests). Pass a title fragment to run only matching ones.
 * Every bench/*.bench.ts file is run, each in a process of its own (what one leaves behind,
 * sockets, timers, a warm heap, does not reach the next); a file that exports no Bench is an
 * error, so a new bench cannot sit unrun.
 */
function isBench(value: unknown): value is Bench {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Bench).title === 'string' &&
    typeof (value as Bench).run === 'function'
  )
}

async function runFile(file: string, only: string | undefined): Promise<void> {
  const module = (await import(pathToFileURL(`${import.meta.dirname}/${file}`).href)) as Record<
    string,
    unknown
  >
  const benches = Object.values(module).filter(isBench)
  if (benches.length === 0)
    throw new Error(`bench/${file} exports no Bench: npm run bench cannot run it.`)
  for (const bench of benches) {
    if (only && !bench.title.toLowerCase().includes(only)) continue
    console.log(`\n${bench.title}`)
    for (const figure of await bench.run()) {
      const value = figure.value >= 100 ? figure.value.toFixed(0) : figure.value.toPrecision(3)
      console.log(
        `  ${figure.name.padEnd(52)} ${value.padStart(10)} ${figure.unit}${figure.note ? `  (${figure.note})` : ''}`,
      )
    }
  }
}

const [first, second] = process.argv.slice(2)
if (first === '--file') {
  // One file, in this process (started by the loop below).
  await runFile(second!, process.argv[4]?.toLowerCase())
} else {
  const files = readdirSync(import.meta.dirname)
    .filter((name) => name.endsWith('.bench.ts'))
    .sort()
  let failed = 0
  for (const file of files) {
    const { status } = spawnSync(
      process.execPath,
      [...process.execArgv, import.meta.filename, '--file', file, ...(first ? [first] : [])],
      { stdio: 'inherit' },
    )
    if (status !== 0) {
      failed++
      console.error(`bench/${file} failed (exit ${status}).`)
    }
  }
  process.exitCode = failed ? 1 : 0
}
