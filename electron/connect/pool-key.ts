import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/*
 * Which key in ~/.ssh opens a pool. The wizard writes dsvm-<pool>, and a regenerated key never
 * overwrites it but becomes dsvm-<pool>-2, -3 ...; the pool accepts only the public key it was
 * deployed with, so the right file is the one whose public half the scale set lists.
 */

/** "type base64" of an OpenSSH public key line, without its comment. */
function keyIdentity(line: string): string | undefined {
  const [type, data] = line.trim().split(/\s+/)
  return type && data ? `${type} ${data}` : undefined
}

/**
 * The private key for the pool: the dsvm-<pool>[-N] file whose .pub the pool accepts, or, when
 * the pool's keys are not known, the newest of them. Undefined when none is on this computer.
 */
export async function findPoolKey(
  sshDir: string,
  poolName: string,
  authorizedKeys?: readonly string[],
): Promise<string | undefined> {
  const names = await readdir(sshDir).catch(() => [] as string[])
  const pattern = new RegExp(`^dsvm-${poolName.replace(/[^a-z0-9-]/gi, '')}(?:-(\\d+))?$`)
  const candidates = names
    .flatMap((name) => {
      const match = pattern.exec(name)
      return match && names.includes(`${name}.pub`) ? [{ name, number: Number(match[1] ?? 1) }] : []
    })
    .sort((a, b) => b.number - a.number)
  const accepted = new Set((authorizedKeys ?? []).map(keyIdentity).filter(Boolean))
  if (accepted.size === 0) return candidates[0] && join(sshDir, candidates[0].name)
  for (const candidate of candidates) {
    const publicKey = await readFile(join(sshDir, `${candidate.name}.pub`), 'utf8').catch(() => '')
    if (accepted.has(keyIdentity(publicKey))) return join(sshDir, candidate.name)
  }
  return undefined
}
