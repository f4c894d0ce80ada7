import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { settingsSchema, type Settings, type SettingsUpdate } from '../../shared/api'

/*
 * Preferences only (DESIGN.md decision 5): a JSON file validated on load. A file that does not
 * parse or validate is kept next to it as .bak and the defaults are used, so a bad edit or a
 * half-written file never stops the app from starting.
 */

export const defaultSettings: Settings = {
  cloud: 'AzureCloud',
  chosenSubscriptionIds: [],
  closeToTray: true,
  theme: 'system',
}

export interface SettingsStoreOptions {
  onWarning?: (message: string) => void
}

export class SettingsStore {
  private current: Settings

  constructor(
    private readonly file: string,
    private readonly options: SettingsStoreOptions = {},
  ) {
    this.current = this.load()
  }

  get(): Settings {
    return structuredClone(this.current)
  }

  /** Validates the merged result, writes it, and returns it. Throws a ZodError when invalid. */
  update(patch: SettingsUpdate): Settings {
    const { clientId, ...rest } = patch
    const merged: Partial<Settings> = { ...this.current, ...rest }
    if (clientId === null) delete merged.clientId
    else if (clientId !== undefined) merged.clientId = clientId
    const next = settingsSchema.parse(merged)
    this.write(next)
    this.current = next
    return this.get()
  }

  private load(): Settings {
    if (!existsSync(this.file)) return structuredClone(defaultSettings)
    try {
      const raw: unknown = JSON.parse(readFileSync(this.file, 'utf8'))
      // Keys a newer or older version did not write come from the defaults.
      const parsed = settingsSchema.safeParse(
        raw && typeof raw === 'object' ? { ...defaultSettings, ...raw } : raw,
      )
      if (parsed.success) return parsed.data
    } catch {
      // Not JSON: handled below like a file that fails validation.
    }
    const backup = `${this.file}.bak`
    copyFileSync(this.file, backup)
    this.options.onWarning?.(
      `Settings file was not valid; using defaults (the old file is kept as ${backup}).`,
    )
    return structuredClone(defaultSettings)
  }

  private write(settings: Settings): void {
    mkdirSync(dirname(this.file), { recursive: true })
    const temporary = `${this.file}.tmp`
    writeFileSync(temporary, JSON.stringify(settings, null, 2), { mode: 0o600 })
    renameSync(temporary, this.file)
  }
}
