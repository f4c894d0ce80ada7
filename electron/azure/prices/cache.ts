import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { retailPriceItemSchema, type RetailPriceItem } from './types'

/** One saved answer: every item of every page of one query. */
export interface CachedPrices {
  key: string
  /** ISO time the prices were fetched. */
  fetchedAt: string
  items: RetailPriceItem[]
}

const entrySchema = z.object({
  key: z.string(),
  fetchedAt: z.string(),
  items: z.array(retailPriceItemSchema),
})

/**
 * Retail prices on disk, one small JSON file per query (named by a hash of the query), so
 * that the estimate works offline. Writes go to a temporary file renamed into place: a
 * crash leaves the old file or the new one, never half of one. Prices are public: nothing
 * here is secret.
 */
export class PriceCache {
  constructor(private readonly dir: string) {}

  private fileOf(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`)
  }

  async read(key: string): Promise<CachedPrices | undefined> {
    let text: string
    try {
      text = await readFile(this.fileOf(key), 'utf8')
    } catch {
      return undefined
    }
    try {
      const entry = entrySchema.parse(JSON.parse(text))
      // A hash collision or a file from elsewhere: not this query.
      return entry.key === key ? entry : undefined
    } catch {
      return undefined
    }
  }

  async write(entry: CachedPrices): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const file = this.fileOf(entry.key)
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(temporary, JSON.stringify(entry), 'utf8')
      await rename(temporary, file)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
  }

  /** Removes saved answers (and leftover temporary files) last written before `before`. */
  async prune(before: number): Promise<number> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch {
      return 0
    }
    let removed = 0
    for (const name of names) {
      if (!/^[0-9a-f]{32}\.json(\.[0-9a-f]{12}\.tmp)?$/.test(name)) continue
      const file = join(this.dir, name)
      const info = await stat(file).catch(() => undefined)
      if (info && info.mtimeMs < before) {
        await rm(file, { force: true })
        removed++
      }
    }
    return removed
  }
}
