import { readdirSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { Bench } from './figure'

/*
 * npm run bench: every benchmark, printed as figures and ratios measured side by side in
 * this one run (never asserted in tests). Pass a title fragment to run only matching ones.
 * Every bench/*.bench.ts file is run; a file that exports no Bench is an error, so a new
 * bench cannot sit unrun.
 */
function isBench(value: unknown): value is Bench {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Bench).title === 'string' &&
    typeof (value as Bench).run === 'function'
  )
}

const files = readdirSync(import.meta.dirname)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort()
const benches: Bench[] = []
for (const file of files) {
  const module = (await import(pathToFileURL(`${import.meta.dirname}/${file}`).href)) as Record<
    string,
    unknown
  >
  const found = Object.values(module).filter(isBench)
  if (found.length === 0)
    throw new Error(`bench/${file} exports no Bench: npm run bench cannot run it.`)
  benches.push(...found)
}

const only = process.argv[2]?.toLowerCase()
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
