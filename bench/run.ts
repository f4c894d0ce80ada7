import { filesBench } from './files.bench'
import { ipcBench } from './ipc.bench'
import { poolsBench } from './pools.bench'
import type { Bench } from './figure'

/*
 * npm run bench: every benchmark, printed as figures and ratios measured side by side in
 * this one run (never asserted in tests). Pass a title fragment to run only matching ones.
 */
const benches: Bench[] = [ipcBench, poolsBench, filesBench]

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
