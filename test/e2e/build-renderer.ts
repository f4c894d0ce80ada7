import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadConfigFromFile } from 'electron-vite'
import { build } from 'vite'

const root = resolve(import.meta.dirname, '../..')
export const rendererOutDir = join(root, 'out/renderer')
const sources = ['renderer', 'shared'].map((dir) => join(root, dir))
const configFile = join(root, 'electron.vite.config.ts')

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when out/renderer exists and nothing it is built from changed since. */
export function rendererIsUpToDate(): boolean {
  const index = join(rendererOutDir, 'index.html')
  if (!existsSync(index)) return false
  const built = statSync(index).mtimeMs
  return [...sources, configFile].every((path) => newestMtime(path) <= built)
}

/**
 * The renderer as `electron-vite build` builds it (npm test runs that before E2E), or, when
 * out/renderer is missing or older than its sources, only the renderer part of
 * electron.vite.config.ts built here with Vite.
 */
export async function ensureRendererBuilt(): Promise<string> {
  if (rendererIsUpToDate()) return rendererOutDir
  const { config } = await loadConfigFromFile(
    { command: 'build', mode: 'production' },
    configFile,
    root,
    'silent',
  )
  const renderer = config.renderer
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer section')
  await build({
    ...renderer,
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    build: { ...renderer.build, emptyOutDir: true },
  })
  return rendererOutDir
}
