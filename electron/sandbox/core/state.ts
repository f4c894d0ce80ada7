import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'

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
      this.file = join(stateDir, 'sandbox-state.json')
      if (existsSync(this.file)) {
        this.tables = JSON.parse(readFileSync(this.file, 'utf8')) as typeof this.tables
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
    this.flush()
    this.closed = true
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
