import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SandboxState } from '../../../../sandbox/core/state'

/** One sandbox per state folder: a second one would write its own state over the first's. */

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('a sandbox state folder', () => {
  it('is refused to a second sandbox while the first holds it, and free again once it closes', () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-state-lock-'))
    const first = new SandboxState(dir)
    first.table<string>('pools').set('team', 'kept')
    expect(() => new SandboxState(dir)).toThrow(
      `The sandbox state in ${dir} is in use by another sandbox (process ${process.pid}).`,
    )
    first.close()
    const second = new SandboxState(dir)
    expect(second.table<string>('pools').get('team')).toBe('kept')
    second.close()
  })

  it('is refused while another running process holds it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-state-lock-'))
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      await new Promise((resolve) => other.once('spawn', resolve))
      writeFileSync(join(dir, 'sandbox-state.lock'), String(other.pid))
      expect(() => new SandboxState(dir)).toThrow(`(process ${other.pid})`)
    } finally {
      other.kill()
    }
  })

  it('is taken over from a process that is gone (a crash left its lock)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-state-lock-'))
    const gone = spawn(process.execPath, ['-e', ''])
    await new Promise((resolve) => gone.once('exit', resolve))
    writeFileSync(join(dir, 'sandbox-state.lock'), String(gone.pid))
    const state = new SandboxState(dir)
    expect(readFileSync(join(dir, 'sandbox-state.lock'), 'utf8')).toBe(String(process.pid))
    state.close()
  })

  it('that cannot be read stays on disk as it was, and is not held', () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-state-lock-'))
    writeFileSync(join(dir, 'sandbox-state.json'), '{ not json')
    expect(() => new SandboxState(dir)).toThrow(SyntaxError)
    expect(readFileSync(join(dir, 'sandbox-state.json'), 'utf8')).toBe('{ not json')
    writeFileSync(join(dir, 'sandbox-state.json'), '{}')
    new SandboxState(dir).close()
  })
})
