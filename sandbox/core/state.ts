import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** State folders held by sandboxes of this process. */
const heldHere = new Set<string>()

/**
 * Everything the sandbox knows, as named tables of JSON records. With a state directory it
 * is written to disk (debounced, atomically) so that demo pools outlive the app; without one
 * it lives in memory only. Records must be plain JSON.
 */
export class SandboxState {
  private tables: Record<string, Record<string, unknown>> = {}
  private saveTimer: NodeJS.Timeout | undefined
  private closed = false
  private readonly file: string | undefined
  private readonly lockFile: string | undefined
  /** The --state directory, if any; modules that keep bytes outside the JSON tables use it. */
  readonly stateDir: string | undefined
  /**
   * True when the state came from disk (a restart), so seeding must not run again. Decided
   * at load: tables created since (clock, usage ...) do not make a fresh state "restored".
   */
  readonly restored: boolean

  constructor(stateDir?: string) {
    this.stateDir = stateDir
    if (stateDir) {
      mkdirSync(stateDir, { recursive: true })
      this.lockFile = lock(stateDir)
      this.file = join(stateDir, 'sandbox-state.json')
      if (existsSync(this.file)) {
        try {
          this.tables = JSON.parse(readFileSync(this.file, 'utf8')) as typeof this.tables
        } catch (error) {
          // Unreadable: left as it is on disk for a person to look at.
          this.closed = true
          this.release()
          throw error
        }
      }
    }
    this.restored = Object.keys(this.tables).length > 0
  }

  table<T>(name: string): Table<T> {
    const rows = (this.tables[name] ??= {}) as Record<string, T>
    return new Table<T>(rows, () => this.changed())
  }

  changed(): void {
    if (!this.file || this.saveTimer || this.closed) return
    this.saveTimer = setTimeout(() => {
      try {
        this.flush()
      } catch (error) {
        // A timer has no caller to tell: say it where the sandbox's other failures go.
        console.error('[sandbox] saving its state failed', error)
      }
    }, 100)
    this.saveTimer.unref()
  }

  /** Saves once more and stops saving: work that ends after the sandbox closed changes nothing on disk. */
  close(): void {
    if (this.closed) return
    try {
      this.flush()
    } finally {
      this.closed = true
      this.release()
    }
  }

  private release(): void {
    if (!this.lockFile || !this.stateDir) return
    rmSync(this.lockFile, { force: true })
    heldHere.delete(resolve(this.stateDir))
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = undefined
    if (!this.file || this.closed) return
    const temp = `${this.file}.tmp`
    writeFileSync(temp, JSON.stringify(this.tables))
    renameSync(temp, this.file)
  }
}

/**
 * Takes the state folder for this sandbox alone: two sandboxes on one folder (the app's and
 * `npm run sandbox -- --state` on the same folder, say) would each write their own state over
 * the other's. A lock left by a process that is gone (a crash) is taken over.
 */
function lock(stateDir: string): string {
  const key = resolve(stateDir)
  const file = join(stateDir, 'sandbox-state.lock')
  const inUse = (pid: number) =>
    new Error(
      `The sandbox state in ${stateDir} is in use by another sandbox (process ${pid}). Stop that sandbox, or give this one another state folder.`,
    )
  if (heldHere.has(key)) throw inUse(process.pid)
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const pid = Number(readFileSync(file, 'utf8').trim())
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) throw inUse(pid)
    writeFileSync(file, String(process.pid))
  }
  heldHere.add(key)
  return file
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Rows keyed case-insensitively, as Azure resource ids are compared. */
export class Table<T> {
  constructor(
    private readonly rows: Record<string, T>,
    private readonly onChange: () => void,
  ) {}

  get(key: string): T | undefined {
    return this.rows[key.toLowerCase()]
  }
  has(key: string): boolean {
    return key.toLowerCase() in this.rows
  }
  set(key: string, value: T): T {
    this.rows[key.toLowerCase()] = value
    this.onChange()
    return value
  }
  /** Call after mutating a row in place. */
  touch(): void {
    this.onChange()
  }
  delete(key: string): boolean {
    const existed = key.toLowerCase() in this.rows
    delete this.rows[key.toLowerCase()]
    if (existed) this.onChange()
    return existed
  }
  values(): T[] {
    return Object.values(this.rows)
  }
  entries(): Array<[string, T]> {
    return Object.entries(this.rows)
  }
}
