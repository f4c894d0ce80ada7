// `npm run test:security`: scans electron/ with @doyensec/electronegativity and fails on any
// finding that security/electronegativity-allowlist.json does not explain (the tool itself
// exits 0 whatever it finds, so its SARIF output is what counts).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'

const root = resolve(dirname(new URL(import.meta.url).pathname), '..')
const require = createRequire(join(root, 'package.json'))
const scanned = 'electron'
const output = join(root, 'test-results', 'electronegativity.sarif')
const allowListFile = join(root, 'security', 'electronegativity-allowlist.json')

mkdirSync(dirname(output), { recursive: true })
rmSync(output, { force: true })

// Electronegativity fetches translations from S3 before scanning. Offline, got 11 retries the
// timed-out request and throws from a timer (a p-cancelable bug), which can kill the process
// mid-scan. This preload answers that one fetch with a failure at once, so the bundled English
// strings are used; nothing else is changed.
const preloadDir = mkdtempSync(join(tmpdir(), 'electronegativity-'))
const preload = join(preloadDir, 'offline-translations.cjs')
writeFileSync(
  preload,
  `const Module = require('node:module')
const load = Module._load
Module._load = function (request, parent, ...rest) {
  if (request === 'got' && parent && /electronegativity[\\\\/]dist[\\\\/]locales/.test(parent.filename)) {
    return () => Promise.reject(new Error('translations are not fetched during the security scan'))
  }
  return load.call(this, request, parent, ...rest)
}
`,
)

const electronVersion = JSON.parse(
  readFileSync(require.resolve('electron/package.json'), 'utf8'),
).version
const cli = join(
  dirname(require.resolve('@doyensec/electronegativity/package.json')),
  'dist',
  'index.js',
)
const run = spawnSync(
  process.execPath,
  [
    '--require',
    preload,
    cli,
    '-i',
    join(root, scanned),
    '-x',
    'AvailableSecurityFixesGlobalCheck',
    '-e',
    electronVersion,
    '-r',
    '-o',
    output,
  ],
  { cwd: root, encoding: 'utf8' },
)
rmSync(preloadDir, { recursive: true, force: true })

let sarif
try {
  sarif = JSON.parse(readFileSync(output, 'utf8'))
} catch {
  console.error(run.stdout, run.stderr)
  console.error(
    `security scan: electronegativity wrote no readable report (${relative(root, output)}).`,
  )
  process.exit(2)
}

const allowList = JSON.parse(readFileSync(allowListFile, 'utf8'))
const problems = []
for (const [index, entry] of allowList.entries.entries()) {
  if (
    !entry.check ||
    !entry.file ||
    typeof entry.reason !== 'string' ||
    entry.reason.trim().length < 20
  ) {
    problems.push(`allow-list entry ${index} needs check, file and a reason that explains it`)
  }
}

const findings = sarif.runs.flatMap((run) =>
  (run.results ?? []).map((result) => {
    const location = result.locations?.[0]?.physicalLocation
    const uri = location?.artifactLocation?.uri ?? ''
    return {
      check: result.ruleId,
      file: join(scanned, uri).split('\\').join('/'),
      line: location?.region?.startLine,
      message: result.message?.text ?? '',
    }
  }),
)

const used = new Set()
const unexplained = findings.filter((finding) => {
  const index = allowList.entries.findIndex(
    (e) => e.check === finding.check && e.file === finding.file,
  )
  if (index >= 0) used.add(index)
  return index < 0
})

console.log(
  `electronegativity ${electronVersion ? `(Electron ${electronVersion}) ` : ''}scanned ${scanned}/: ${findings.length} finding(s), ${findings.length - unexplained.length} explained by the allow-list.`,
)
for (const finding of findings) {
  const entry = allowList.entries.find((e) => e.check === finding.check && e.file === finding.file)
  console.log(
    `  ${entry ? 'explained  ' : 'UNEXPLAINED'} ${finding.check} ${finding.file}:${finding.line ?? '?'}${entry ? '' : ` — ${finding.message}`}`,
  )
}
allowList.entries.forEach((entry, index) => {
  if (!used.has(index))
    console.log(
      `  note: allow-list entry ${entry.check} ${entry.file} matched nothing; remove it if the code changed.`,
    )
})
for (const problem of problems) console.error(`security scan: ${problem}`)
if (unexplained.length || problems.length) {
  console.error(
    `security scan failed: ${unexplained.length} unexplained finding(s). Fix them or explain them in ${relative(root, allowListFile)}.`,
  )
  process.exit(1)
}
console.log(`security scan passed (report: ${relative(root, output)}).`)
