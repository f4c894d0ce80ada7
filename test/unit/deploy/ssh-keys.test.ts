import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ed25519KeyPair, generateSshKey, readPublicKey } from '../../../electron/azure/ssh-keys'
import { checkSshPublicKey } from '../../../shared/naming'

const hasSshKeygen = (() => {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' })
    return true
  } catch (error) {
    return (error as { status?: number }).status !== undefined
  }
})()

describe('SSH keys for a Linux pool', () => {
  const dirs: string[] = []
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsvm-ssh-'))
    dirs.push(dir)
    return dir
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('makes an ed25519 public key line Azure accepts', () => {
    const { publicKey, privateKey } = ed25519KeyPair('ada@laptop')
    expect(publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+ ada@laptop$/)
    expect(checkSshPublicKey(publicKey)).toBeUndefined()
    expect(privateKey).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/,
    )
  })

  it('writes dsvm-<pool> with a private key only the user can read, without overwriting', async () => {
    const sshDir = tempDir()
    const first = await generateSshKey('team', { sshDir })
    expect(first.privateKeyPath).toBe(join(sshDir, 'dsvm-team'))
    expect(statSync(first.privateKeyPath).mode & 0o777).toBe(0o600)
    expect(readFileSync(first.publicKeyPath, 'utf8').trim()).toBe(first.publicKey)
    const second = await generateSshKey('team', { sshDir })
    expect(second.privateKeyPath).toBe(join(sshDir, 'dsvm-team-2'))
    expect(readFileSync(first.publicKeyPath, 'utf8').trim()).toBe(first.publicKey)
  })

  it.skipIf(!hasSshKeygen)(
    'writes a private key OpenSSH reads back to the same public key',
    async () => {
      const key = await generateSshKey('team', { sshDir: tempDir() })
      const derived = execFileSync('ssh-keygen', ['-y', '-f', key.privateKeyPath], {
        encoding: 'utf8',
      })
      expect(derived.trim().split(' ').slice(0, 2)).toEqual(key.publicKey.split(' ').slice(0, 2))
    },
  )

  it('reads a picked .pub file and refuses a private key or junk, naming the problem', () => {
    const { publicKey } = ed25519KeyPair('me@host')
    expect(readPublicKey(`# my key\n${publicKey}\n`)).toEqual({ publicKey, comment: 'me@host' })
    expect(() => readPublicKey('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n')).toThrow(
      'This is a private key',
    )
    expect(() => readPublicKey('')).toThrow('The file is empty.')
    expect(() => readPublicKey('ssh-dss AAAAB3NzaC1kc3MAAACBAP')).toThrow("Key type 'ssh-dss'")
  })
})
