import { createServer, Socket, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { mountPlan } from '../../../electron/connect/mount/mount-plan'
import { MountService } from '../../../electron/connect/mount/mount-service'
import { checkTcp } from '../../../electron/connect/mount/reachability'
import type { PlanStep } from '../../../electron/connect/mount/mount-plan'

const key = 'c2VjcmV0LWtleS1vZi10aGUtc3RvcmFnZS1hY2NvdW50LTAxMjM0NTY3ODk='
const target = {
  host: 'stteampoolfiles.file.core.windows.net',
  account: 'stteampoolfiles',
  share: 'notebooks',
}

/** The script a PowerShell step runs (-EncodedCommand is base64 of UTF-16LE). */
function decoded(step: PlanStep): string {
  const at = step.args.indexOf('-EncodedCommand')
  return at < 0 ? '' : Buffer.from(step.args[at + 1]!, 'base64').toString('utf16le')
}

describe('mount plans: the key only on standard input', () => {
  it.each(['linux', 'darwin', 'win32'] as const)('%s', (platform) => {
    const plan = mountPlan(platform, target, key)
    for (const step of plan.steps) {
      expect(step.args.join(' ')).not.toContain(key)
      expect(decoded(step)).not.toContain(key)
    }
    expect(plan.steps.some((s) => s.stdin?.includes(key))).toBe(true)
  })

  it('Linux: gio mount of the smb URL, user, domain and password on stdin', () => {
    expect(mountPlan('linux', target, key).steps).toEqual([
      {
        command: 'gio',
        args: ['mount', 'smb://stteampoolfiles.file.core.windows.net/notebooks'],
        stdin: `stteampoolfiles\nWORKGROUP\n${key}\n`,
      },
    ])
  })

  it('macOS: the keychain through security -i, then Finder opens the share', () => {
    const [keychain, open] = mountPlan('darwin', target, key).steps
    expect(keychain).toMatchObject({ command: 'security', args: ['-i'] })
    expect(keychain!.stdin).toMatch(
      /^add-internet-password -U -a "stteampoolfiles" -s "stteampoolfiles\.file\.core\.windows\.net" -r "smb " /,
    )
    expect(open).toEqual({
      command: 'open',
      args: ['smb://stteampoolfiles@stteampoolfiles.file.core.windows.net/notebooks'],
    })
  })

  it('Windows: the key into Credential Manager from stdin, then a persistent drive', () => {
    const plan = mountPlan('win32', target, key, 'Y')
    expect(plan.where).toBe('Y:')
    const [credential, drive] = plan.steps
    expect(credential).toMatchObject({ command: 'powershell.exe', stdin: `${key}\n` })
    expect(credential!.args.slice(0, 3)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-EncodedCommand',
    ])
    const store = decoded(credential!)
    // CredWriteW: a domain password (what SMB looks up) for the host, kept on this computer.
    expect(store).toContain('EntryPoint = "CredWriteW"')
    expect(store).toContain('CRED_TYPE_DOMAIN_PASSWORD = 2')
    expect(store).toContain('CRED_PERSIST_LOCAL_MACHINE = 2')
    expect(store).toContain(
      "[DsvmPoolCredential]::Write('stteampoolfiles.file.core.windows.net', 'localhost\\stteampoolfiles', $secret)",
    )
    expect(store).toContain('$secret = [Console]::In.ReadLine()')
    expect(drive!.stdin).toBeUndefined()
    const map = decoded(drive!)
    expect(map).toContain(
      "New-PSDrive -Name Y -PSProvider FileSystem -Root '\\\\stteampoolfiles.file.core.windows.net\\notebooks' -Persist -Scope Global",
    )
    // No credential of its own: Windows uses the stored one, now and after a reboot.
    expect(map).not.toContain('-Credential')
  })

  it.each([
    ['a host with a space', { ...target, host: 'a b.example' }, key],
    ['an account with capitals', { ...target, account: 'Team' }, key],
    ['a share with a slash', { ...target, share: 'a/b' }, key],
    ['a key with a quote', target, `${key}"; rm -rf ~`],
    ['a key with a newline', target, `${key}\nadd-generic-password`],
  ])('rejects %s', (_label, bad, badKey) => {
    expect(() => mountPlan('darwin', bad, badKey)).toThrow()
  })
})

describe('TCP 445 reachability', () => {
  let server: Server | undefined
  afterEach(() => server?.close())

  it('is reachable when something listens', async () => {
    server = createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    expect(await checkTcp('127.0.0.1', port, 2000)).toEqual({ reachable: true })
  })

  it('says refused, and says blocked when nothing answers in time', async () => {
    server = createServer()
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise<void>((resolve) => server!.close(() => resolve()))
    server = undefined
    expect(await checkTcp('127.0.0.1', port, 2000)).toMatchObject({
      reachable: false,
      reason: expect.stringMatching(/refused/),
    })
    // A socket that never connects: the timeout decides.
    const silent = await checkTcp(
      'stteampoolfiles.file.core.windows.net',
      445,
      30,
      () => new Socket(),
    )
    expect(silent).toMatchObject({
      reachable: false,
      reason: expect.stringMatching(/most likely blocks SMB/),
    })
  })
})

describe('MountService', () => {
  const steps: PlanStep[] = []
  let keyReads = 0
  const service = (reachable: boolean) =>
    new MountService({
      target: async () => ({
        ...target,
        key: async () => {
          keyReads++
          return key
        },
      }),
      runner: { run: async (step) => (steps.push(step), { code: 0, stderr: '' }) },
      platform: 'linux',
      check: async () => (reachable ? { reachable } : { reachable, reason: 'No answer.' }),
    })

  it('does not read the key or run anything when 445 is blocked', async () => {
    steps.length = 0
    keyReads = 0
    await expect(service(false).mount('pool')).rejects.toMatchObject({ code: 'Offline' })
    expect(steps).toEqual([])
    expect(keyReads).toBe(0)
  })

  it('runs the platform’s plan when 445 answers', async () => {
    steps.length = 0
    expect(await service(true).mount('pool')).toEqual({
      where: 'smb://stteampoolfiles.file.core.windows.net/notebooks (in your file manager)',
    })
    expect(steps.map((s) => s.command)).toEqual(['gio'])
  })
})

describe('Windows credential step', () => {
  it('records its command lines, and none holds the key', async () => {
    const recorded: PlanStep[] = []
    const service = new MountService({
      target: async () => ({ ...target, key: async () => key }),
      runner: { run: async (step) => (recorded.push(step), { code: 0, stderr: '' }) },
      platform: 'win32',
      check: async () => ({ reachable: true }),
    })
    expect(await service.mount('pool')).toEqual({ where: 'Z:' })
    expect(recorded.map((s) => s.command)).toEqual(['powershell.exe', 'powershell.exe'])
    const commandLines = recorded.map((s) => [s.command, ...s.args].join(' '))
    const scripts = recorded.map(decoded)
    for (const text of [...commandLines, ...scripts]) {
      expect(text).not.toContain(key)
      // Nor the key's bytes as base64 of UTF-16LE, the way -EncodedCommand would carry it.
      expect(text).not.toContain(encodeUtf16(key))
    }
    expect(scripts[0]).toContain('CredWriteW')
    expect(scripts[1]).toContain('-Persist')
    // The key only on the credential step's standard input.
    expect(recorded.map((s) => s.stdin)).toEqual([`${key}\n`, undefined])
  })
})

const encodeUtf16 = (text: string) => Buffer.from(text, 'utf16le').toString('base64').slice(0, 40)
