import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import type { PoolAccount } from '../../../shared/pool-accounts'

/*
 * Which pool accounts this computer made (docs/team.md): pool id -> the user name and the
 * private key's path, written when a member makes their account, so every SSH path can use
 * it after a restart. No secret is in it (a path, not a key). The pool's own list on its
 * share stays the truth: an account is used only while the list holds its public key.
 */

const entrySchema = z.object({ user: z.string().min(1), keyPath: z.string().min(1) })
const fileSchema = z.object({ version: z.literal(1), pools: z.record(z.string(), entrySchema) })
export type MyPoolAccountRecord = z.infer<typeof entrySchema>

export class MyPoolAccountsFile {
  constructor(private readonly file: string) {}

  async get(poolId: string): Promise<MyPoolAccountRecord | undefined> {
    return (await this.read()).pools[poolId.toLowerCase()]
  }

  async set(poolId: string, record: MyPoolAccountRecord): Promise<void> {
    const data = await this.read()
    data.pools[poolId.toLowerCase()] = entrySchema.parse(record)
    await mkdir(dirname(this.file), { recursive: true })
    const temp = `${this.file}.tmp`
    await writeFile(temp, JSON.stringify(data, null, 2), { mode: 0o600 })
    await rename(temp, this.file)
  }

  private async read(): Promise<z.infer<typeof fileSchema>> {
    const text = await readFile(this.file, 'utf8').catch(() => undefined)
    if (text === undefined) return { version: 1, pools: {} }
    try {
      return fileSchema.parse(JSON.parse(text))
    } catch {
      // A damaged record only costs the shortcut: the member makes their account again.
      return { version: 1, pools: {} }
    }
  }
}

/** "type base64" of an OpenSSH public key line, without its comment. */
export function publicKeyIdentity(line: string): string | undefined {
  const [type, data] = line.trim().split(/\s+/)
  return type && data ? `${type} ${data}` : undefined
}

/**
 * The account of the list whose public key is the one next to `keyPath` (`<keyPath>.pub`),
 * when the private key is still on this computer; matched by key, never by file name.
 */
export async function accountForKey(
  accounts: readonly PoolAccount[],
  keyPath: string,
): Promise<PoolAccount | undefined> {
  const privateKeyHere = await access(keyPath).then(
    () => true,
    () => false,
  )
  if (!privateKeyHere) return undefined
  const publicKey = await readFile(`${keyPath}.pub`, 'utf8').catch(() => '')
  const identity = publicKeyIdentity(publicKey)
  if (!identity) return undefined
  return accounts.find((a) => publicKeyIdentity(a.publicKey) === identity)
}
