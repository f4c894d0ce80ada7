import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  mergeSshConfig,
  poolBlock,
  updateSshConfigFile,
} from '../../../electron/connect/ssh-config'

const entry = (alias: string, port: number) => ({
  alias,
  host: 'team-pool.westeurope.cloudapp.azure.com',
  port,
  user: 'dsvmadmin',
  keyPath: '/home/ada/.ssh/dsvm-team-pool',
})
const block = poolBlock('team-pool', [
  entry('team-pool', 50000),
  entry('team-pool-0', 50000),
  entry('team-pool-3', 50003),
])

const users = [
  '# my hosts\r\n',
  'Host work\n\tHostName work.example   \n  User  me\n',
  '\n',
  'Host *\n  ServerAliveInterval 30',
].join('')

describe('ssh config block', () => {
  it('has one Host for the pool and one per instance', () => {
    expect(block).toContain(
      'Host team-pool\n  HostName team-pool.westeurope.cloudapp.azure.com\n  Port 50000\n  User dsvmadmin\n',
    )
    expect(block).toContain('Host team-pool-3\n')
    expect(block).toContain('  Port 50003\n')
    expect(block).toContain(
      '  IdentityFile "/home/ada/.ssh/dsvm-team-pool"\n  IdentitiesOnly yes\n',
    )
    expect(block.startsWith('# >>> dsvm-pool-manager team-pool')).toBe(true)
  })

  it('is appended after the user’s entries, which stay byte for byte', () => {
    const merged = mergeSshConfig(users, 'team-pool', block)
    expect(merged.startsWith(users)).toBe(true)
    expect(merged).toBe(`${users}\n${block}`)
    expect(mergeSshConfig('', 'team-pool', block)).toBe(block)
  })

  it('replaces our block in place and keeps what comes before and after it', () => {
    const after = 'Host later\n  User x\n'
    const start = mergeSshConfig(users + '\n', 'team-pool', block) + after
    const newer = poolBlock('team-pool', [entry('team-pool', 50001), entry('team-pool-1', 50001)])
    const replaced = mergeSshConfig(start, 'team-pool', newer)
    expect(replaced).toBe(users + '\n' + newer + after)
    expect(replaced).not.toContain('team-pool-3')
  })

  it('leaves another pool’s block alone and removes only this one', () => {
    const other = poolBlock('other-pool', [entry('other-pool', 50010)])
    const both = mergeSshConfig(
      mergeSshConfig(users + '\n', 'team-pool', block),
      'other-pool',
      other,
    )
    const removed = mergeSshConfig(both, 'team-pool', undefined)
    expect(removed).toBe(users + '\n' + other)
    expect(mergeSshConfig(removed, 'other-pool', undefined)).toBe(users + '\n')
  })

  it('removal of a block that is not there changes nothing', () => {
    expect(mergeSshConfig(users, 'team-pool', undefined)).toBe(users)
  })

  it('refuses a start marker without its end line rather than guess', () => {
    const broken = users + '\n' + block.split('\n').slice(0, 3).join('\n') + '\n'
    expect(() => mergeSshConfig(broken, 'team-pool', block)).toThrow(/end line/)
  })

  it.each([
    ['a pool name with a space', () => poolBlock('team pool', [])],
    ['a pool name with a newline', () => poolBlock('team\nHost *', [])],
    ['a pool name with quotes', () => poolBlock('"team"', [])],
    [
      'a host with a newline',
      () => poolBlock('p', [{ ...entry('p', 1), host: 'a.example\n  ProxyCommand x' }]),
    ],
    ['a user with a space', () => poolBlock('p', [{ ...entry('p', 1), user: 'a b' }])],
    ['a port out of range', () => poolBlock('p', [entry('p', 70_000)])],
    ['a key path with a quote', () => poolBlock('p', [{ ...entry('p', 1), keyPath: '/tmp/a"b' }])],
  ])('rejects %s', (_label, build) => {
    expect(build).toThrow()
  })
})

describe('ssh config file', () => {
  let dir: string | undefined
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }))

  it('is created 0600, updated atomically keeping the user’s text, and cleaned on removal', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssh-config-'))
    const file = join(dir, '.ssh', 'config')
    await updateSshConfigFile(file, 'team-pool', block)
    expect(readFileSync(file, 'utf8')).toBe(block)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)

    writeFileSync(file, users + '\n' + block, { mode: 0o600 })
    await updateSshConfigFile(file, 'team-pool', undefined)
    expect(readFileSync(file, 'utf8')).toBe(users + '\n')
  })

  it('does not create a file just to remove a block', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssh-config-'))
    const file = join(dir, 'config')
    await updateSshConfigFile(file, 'team-pool', undefined)
    expect(() => statSync(file)).toThrow()
  })
})
