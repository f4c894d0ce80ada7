import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'

/** What connect remembers on this computer: that the JupyterHub certificate note was read. */
const schema = z.object({ jupyterHubCertificateNoteSeen: z.boolean().default(false) })
export type ConnectPreferences = z.infer<typeof schema>

export class ConnectPreferencesFile {
  constructor(private readonly file: string) {}

  async get(): Promise<ConnectPreferences> {
    const text = await readFile(this.file, 'utf8').catch(() => '{}')
    try {
      return schema.parse(JSON.parse(text))
    } catch {
      return schema.parse({})
    }
  }

  async update(patch: Partial<ConnectPreferences>): Promise<void> {
    const next = { ...(await this.get()), ...patch }
    await mkdir(dirname(this.file), { recursive: true })
    await writeFile(`${this.file}.tmp`, JSON.stringify(next, null, 2))
    await rename(`${this.file}.tmp`, this.file)
  }
}
