import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { findChromium, launchBrowser } from '../test/e2e/browser'
import type { Bench, Figure } from './figure'

/*
 * Start-up: from the process starting to the first usable screen (the welcome screen's
 * "Sign in with Microsoft" button, in Chromium). The app is bundled as electron-vite bundles
 * main (dependencies external, dynamic imports split into chunks) and run three ways side
 * by side: the sandbox's code loaded at start (as before), loaded only when used (now), and
 * the sandbox started at once. Needs a built renderer (npm run build).
 */

const repo = resolve(import.meta.dirname, '..')
const runs = 5

/**
 * Bundles `entry` two folders below the repository (where web-app.ts finds package.json);
 * returns the entry file and the bytes of code loaded at start (the entry and the chunks it
 * imports statically, not those behind a dynamic import).
 */
async function bundle(
  entry: string,
  outdir: string,
): Promise<{ file: string; startBytes: number }> {
  const result = await build({
    entryPoints: { app: join(repo, entry) },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: repo,
  })
  const outputs = result.metafile.outputs
  const entryOutput = Object.keys(outputs).find((path) => outputs[path]!.entryPoint)!
  const loaded = new Set<string>()
  const visit = (path: string) => {
    if (loaded.has(path) || !outputs[path]) return
    loaded.add(path)
    for (const imported of outputs[path].imports)
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path)
  }
  visit(entryOutput)
  const startBytes = [...loaded].reduce((sum, path) => sum + outputs[path]!.bytes, 0)
  return { file: resolve(repo, entryOutput), startBytes }
}

/** Milliseconds from spawning the app to its first usable screen in the browser. */
async function timeToFirstScreen(browser: Browser, file: string, args: string[]): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-startup-'))
  const started = performance.now()
  const child = spawn(process.execPath, [file, ...args], {
    cwd: repo,
    env: {
      ...process.env,
      BENCH_RENDERER_DIR: join(repo, 'out', 'renderer'),
      BENCH_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = ''
      let err = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /^URL (\S+)$/m.exec(out)
        if (match) resolveUrl(match[1]!)
      })
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
      child.once('exit', (code) =>
        reject(new Error(`The app exited (${code}) before listening:\n${err}`)),
      )
    })
    const page = await browser.newPage()
    await page.goto(url)
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).waitFor({ timeout: 60_000 })
    const elapsed = performance.now() - started
    await page.close()
    return elapsed
  } finally {
    child.kill('SIGTERM')
    await new Promise((done) => child.once('exit', done))
    await rm(dataDir, { recursive: true, force: true })
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export const startupBench: Bench = {
  title: 'Start-up: process start to the first usable screen, with and without the sandbox',
  async run(): Promise<Figure[]> {
    if (!findChromium()) return []
    try {
      statSync(join(repo, 'out', 'renderer', 'index.html'))
    } catch {
      throw new Error('The start-up bench needs a built renderer: run `npm run build` first.')
    }
    const eagerDir = join(repo, '.bench-startup', 'eager')
    const lazyDir = join(repo, '.bench-startup', 'lazy')
    const browser = await launchBrowser()
    try {
      const eager = await bundle('bench/startup/eager.ts', eagerDir)
      const lazy = await bundle('bench/startup/app.ts', lazyDir)
      const times = { eager: [] as number[], lazy: [] as number[], sandbox: [] as number[] }
      // One unmeasured start warms the disk cache; then the three ways, interleaved.
      await timeToFirstScreen(browser, lazy.file, [])
      for (let i = 0; i < runs; i++) {
        times.eager.push(await timeToFirstScreen(browser, eager.file, []))
        times.lazy.push(await timeToFirstScreen(browser, lazy.file, []))
        times.sandbox.push(await timeToFirstScreen(browser, lazy.file, ['--sandbox']))
      }
      const [eagerMs, lazyMs, sandboxMs] = [
        median(times.eager),
        median(times.lazy),
        median(times.sandbox),
      ]
      return [
        {
          name: 'sandbox code loaded at start (before)',
          value: eagerMs,
          unit: 'ms',
          note: `median of ${runs}; ${(eager.startBytes / 1024).toFixed(0)} KB of app code loaded at start`,
        },
        {
          name: 'sandbox loaded only when used (now)',
          value: lazyMs,
          unit: 'ms',
          note: `median of ${runs}; ${(lazy.startBytes / 1024).toFixed(0)} KB of app code loaded at start`,
        },
        { name: 'start-up, now ÷ before', value: lazyMs / eagerMs, unit: '×' },
        {
          name: 'with the sandbox started at once',
          value: sandboxMs,
          unit: 'ms',
          note: `median of ${runs}; its code, certificate and seed`,
        },
      ]
    } finally {
      await browser.close()
      await rm(join(repo, '.bench-startup'), { recursive: true, force: true })
    }
  },
}
