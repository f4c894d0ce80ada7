import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The ARM template and the instance mount scripts, read from the app's resources: the
 * packaged app's resources folder (electron-builder extraResources), or resources/ of the
 * source tree when running from it (development, tests, the web host).
 */
export interface TemplateFiles {
  template(): Record<string, unknown>
  mountScript(osType: 'Linux' | 'Windows'): string
  /** scripts/jupyterhub-entra.sh: JupyterHub sign-in with Microsoft accounts (Linux). */
  jupyterHubScript(): string
  /** resources/scripts/pool-accounts.sh (Linux pools with pool accounts). */
  accountsScript(): string
}

const templatePath = ['templates', 'dsvm-pool.json']

/** The folder holding templates/ and scripts/. */
export function findResourcesDir(start = import.meta.dirname): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged && existsSync(join(packaged, ...templatePath))) return packaged
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources')
    if (existsSync(join(candidate, ...templatePath))) return candidate
    if (dirname(dir) === dir) break
  }
  throw new Error('The pool template (resources/templates/dsvm-pool.json) was not found.')
}

export function templateFiles(resourcesDir = findResourcesDir()): TemplateFiles {
  let template: Record<string, unknown> | undefined
  const scripts = new Map<string, string>()
  const script = (file: string) => {
    let text = scripts.get(file)
    if (text === undefined) {
      text = readFileSync(join(resourcesDir, 'scripts', file), 'utf8')
      scripts.set(file, text)
    }
    return text
  }
  return {
    template() {
      template ??= JSON.parse(readFileSync(join(resourcesDir, ...templatePath), 'utf8')) as Record<
        string,
        unknown
      >
      return structuredClone(template)
    },
    mountScript(osType) {
      return script(osType === 'Windows' ? 'mount-share.ps1' : 'mount-share.sh')
    },
    jupyterHubScript() {
      return script('jupyterhub-entra.sh')
    },
    accountsScript() {
      return script('pool-accounts.sh')
    },
  }
}
