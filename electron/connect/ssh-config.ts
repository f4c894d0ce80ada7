import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { AppError } from '../../shared/errors'
import { validAlias, validHost, validLocalPath, validPort, validUser } from './validate'

/*
 * The app's entries in ~/.ssh/config: one block per pool between marker lines, holding a Host
 * for the pool (`team-pool`) and one per instance (`team-pool-0`), so `ssh team-pool-0` and
 * VS Code's Remote-SSH work. Everything outside the markers is the user's and is kept byte
 * for byte; a pool's block is replaced in place, appended when new, and removed with the pool.
 */

export interface SshHostEntry {
  alias: string
  host: string
  port: number
  user: string
  keyPath?: string
  /** The member's Entra SSH certificate for that key. */
  certificatePath?: string
}

const startMarker = (pool: string) => `# >>> dsvm-pool-manager ${pool} (managed by the app) >>>`
const endMarker = (pool: string) => `# <<< dsvm-pool-manager ${pool} <<<`

/** The block for one pool, each line ending in \n. */
export function poolBlock(pool: string, entries: readonly SshHostEntry[]): string {
  validAlias(pool)
  const lines = [startMarker(pool)]
  for (const entry of entries) {
    lines.push(`Host ${validAlias(entry.alias)}`)
    lines.push(`  HostName ${validHost(entry.host)}`)
    lines.push(`  Port ${validPort(entry.port)}`)
    lines.push(`  User ${validUser(entry.user)}`)
    if (entry.keyPath !== undefined) {
      lines.push(`  IdentityFile "${validLocalPath(entry.keyPath)}"`)
      lines.push('  IdentitiesOnly yes')
    }
    if (entry.certificatePath !== undefined)
      lines.push(`  CertificateFile "${validLocalPath(entry.certificatePath)}"`)
  }
  lines.push(endMarker(pool))
  return lines.map((line) => `${line}\n`).join('')
}

/** Where a pool's block is in the text: [start, end) including the end marker's newline. */
function findBlock(text: string, pool: string): { start: number; end: number } | undefined {
  const startLine = `${startMarker(pool)}\n`
  const endLine = endMarker(pool)
  const start = text.startsWith(startLine) ? 0 : text.indexOf(`\n${startLine}`)
  if (start < 0) return undefined
  const from = start === 0 ? 0 : start + 1
  const endAt = text.indexOf(endLine, from)
  if (endAt < 0)
    throw new AppError(
      'Conflict',
      `Your ~/.ssh/config has the start of this pool's entries but not their end line (${endLine}). Fix or remove those lines, then try again.`,
    )
  let end = endAt + endLine.length
  if (text[end] === '\r') end++
  if (text[end] === '\n') end++
  return { start: from, end }
}

/**
 * The config text with the pool's block replaced by `block` (added at the end when absent)
 * or, with `block` undefined, removed.
 */
export function mergeSshConfig(existing: string, pool: string, block: string | undefined): string {
  const found = findBlock(existing, pool)
  if (found) return existing.slice(0, found.start) + (block ?? '') + existing.slice(found.end)
  if (block === undefined) return existing
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n'
  return existing + separator + block
}

/** Reads, merges and writes the config atomically (a new file renamed over the old one). */
export async function updateSshConfigFile(
  file: string,
  pool: string,
  block: string | undefined,
): Promise<void> {
  const before = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (before === undefined && block === undefined) return
  const after = mergeSshConfig(before ?? '', pool, block)
  if (after === before) return
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  // ssh refuses a config others can write; keep the file's own mode, 0600 when new.
  const mode = before === undefined ? 0o600 : (await stat(file)).mode & 0o777
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temp, after, { mode, flag: 'wx' })
    await chmod(temp, mode)
    await rename(temp, file)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
}
