import { spawn } from 'node:child_process'
import { access, constants } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

/*
 * How connect starts other programs: detached, with an argument array and no shell. The
 * interface lets tests record what would have been started instead.
 */

export interface LaunchSpec {
  command: string
  args: string[]
}

export interface Launcher {
  /** Starts a program detached; resolves once it started, rejects if it could not. */
  launch(spec: LaunchSpec): Promise<void>
  /** The full path of a program found on PATH, or undefined. */
  which(command: string): Promise<string | undefined>
  /** True when a file or folder exists (known install paths). */
  exists(path: string): Promise<boolean>
}

export class ProcessLauncher implements Launcher {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  launch({ command, args }: LaunchSpec): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { detached: true, stdio: 'ignore', shell: false })
      child.once('error', reject)
      child.once('spawn', () => {
        child.unref()
        resolve()
      })
    })
  }

  async which(command: string): Promise<string | undefined> {
    const dirs = (this.env.PATH ?? this.env.Path ?? '').split(delimiter).filter(Boolean)
    const extensions =
      this.platform === 'win32' && !/\.[a-z]+$/i.test(command)
        ? (this.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')
        : ['']
    for (const dir of dirs)
      for (const extension of extensions) {
        const candidate = join(dir, command + extension)
        if (await this.exists(candidate, constants.X_OK)) return candidate
      }
    return undefined
  }

  async exists(path: string, mode: number = constants.F_OK): Promise<boolean> {
    return access(path, mode).then(
      () => true,
      () => false,
    )
  }
}
