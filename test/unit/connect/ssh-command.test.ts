import { describe, expect, it } from 'vitest'
import { commandText, quotePosix, quotePowerShell, sshArgs } from '../../../electron/connect/ssh'
import { chooseTerminal, terminalCandidates } from '../../../electron/connect/terminal'

const target = { user: 'dsvmadmin', host: 'team-pool.westeurope.cloudapp.azure.com', port: 50001 }
const key = '/home/ada/.ssh/dsvm-team-pool'

describe('ssh arguments', () => {
  it('puts the options first and the destination last', () => {
    expect(sshArgs({ ...target, keyPath: key })).toEqual([
      '-i',
      key,
      '-p',
      '50001',
      'dsvmadmin@team-pool.westeurope.cloudapp.azure.com',
    ])
    expect(sshArgs(target)).toEqual([
      '-p',
      '50001',
      'dsvmadmin@team-pool.westeurope.cloudapp.azure.com',
    ])
  })

  it('accepts IP addresses', () => {
    expect(sshArgs({ ...target, host: '20.1.2.3' }).at(-1)).toBe('dsvmadmin@20.1.2.3')
  })

  it.each([
    ['a host with a space', { host: 'team pool.example' }],
    ['a host that is an option', { host: '-oProxyCommand=calc' }],
    ['a host with a newline', { host: 'pool.example\nHost *' }],
    ['a host with a quote', { host: "pool'.example" }],
    ['a user with a space', { user: 'ada lovelace' }],
    ['a user that is an option', { user: '-oProxyCommand=x' }],
    ['a user with a semicolon', { user: 'ada;rm' }],
    ['port 0', { port: 0 }],
    ['port 65536', { port: 65_536 }],
    ['a fractional port', { port: 22.5 }],
    ['a relative key path', { keyPath: 'keys/id' }],
    ['a key path with a newline', { keyPath: '/home/ada/.ssh/k\nProxyCommand x' }],
  ])('rejects %s', (_label, change) => {
    expect(() => sshArgs({ ...target, ...change })).toThrow(/Validation|not|must|cannot/)
  })
})

describe('command text to copy', () => {
  it('quotes words for POSIX shells only when needed', () => {
    expect(quotePosix('dsvmadmin@host')).toBe('dsvmadmin@host')
    expect(quotePosix("/Users/Ada O'Neil/.ssh/k")).toBe(`'/Users/Ada O'\\''Neil/.ssh/k'`)
  })

  it('quotes words for PowerShell with doubled single quotes', () => {
    expect(quotePowerShell("C:\\Users\\Ada O'Neil\\.ssh\\k")).toBe(
      "'C:\\Users\\Ada O''Neil\\.ssh\\k'",
    )
    expect(quotePowerShell('50001')).toBe('50001')
  })

  it('is the command a person would type', () => {
    expect(commandText('ssh', sshArgs({ ...target, keyPath: key }), 'linux')).toBe(
      `ssh -i ${key} -p 50001 dsvmadmin@team-pool.westeurope.cloudapp.azure.com`,
    )
  })
})

describe('terminal launchers', () => {
  const ssh = { command: 'ssh', args: sshArgs({ ...target, keyPath: key }) }
  const found = (names: string[]) => ({
    which: async (name: string) => (names.includes(name) ? `/usr/bin/${name}` : undefined),
  })

  it('Linux: the first terminal found on PATH, in order', async () => {
    const names = terminalCandidates('linux', ssh, 'team-pool').map((c) => c.spec.command)
    expect(names).toEqual(['x-terminal-emulator', 'gnome-terminal', 'konsole', 'xterm'])
    expect(
      (await chooseTerminal('linux', ssh, 'team-pool', found(['konsole', 'xterm']))).spec,
    ).toEqual({
      command: 'konsole',
      args: ['-e', 'ssh', ...ssh.args],
    })
    expect(
      (await chooseTerminal('linux', ssh, 'team-pool', found(['gnome-terminal']))).spec,
    ).toEqual({
      command: 'gnome-terminal',
      args: ['--title', 'team-pool', '--', 'ssh', ...ssh.args],
    })
    expect(
      (await chooseTerminal('linux', ssh, 'p', found(['x-terminal-emulator']))).spec.args,
    ).toEqual(['-e', 'ssh', ...ssh.args])
    expect((await chooseTerminal('linux', ssh, 'p', found(['xterm']))).spec.args).toEqual([
      '-T',
      'p',
      '-e',
      'ssh',
      ...ssh.args,
    ])
  })

  it('Linux without any terminal says so', async () => {
    await expect(chooseTerminal('linux', ssh, 'p', found([]))).rejects.toThrow(/No terminal/)
  })

  it('Windows: Windows Terminal when installed, PowerShell otherwise', async () => {
    const winSsh = {
      command: 'ssh.exe',
      args: sshArgs({ ...target, keyPath: 'C:\\Users\\ada\\.ssh\\k;x' }),
    }
    const wt = await chooseTerminal('win32', winSsh, 'team-pool', found(['wt.exe']))
    expect(wt.spec).toEqual({
      command: 'wt.exe',
      args: [
        'new-tab',
        '--title',
        'team-pool',
        'ssh.exe',
        '-i',
        'C:\\Users\\ada\\.ssh\\k\\;x',
        '-p',
        '50001',
        winSsh.args[4],
      ],
    })
    const ps = await chooseTerminal('win32', winSsh, 'team-pool', found([]))
    expect(ps.spec.command).toBe('powershell.exe')
    expect(ps.spec.args).toEqual([
      '-NoExit',
      '-Command',
      "& ssh.exe -i 'C:\\Users\\ada\\.ssh\\k;x' -p 50001 dsvmadmin@team-pool.westeurope.cloudapp.azure.com",
    ])
  })

  it('macOS: Terminal through osascript, the command passed as an argument, not in the script', async () => {
    const mac = await chooseTerminal('darwin', ssh, 'team-pool', found([]))
    expect(mac.spec.command).toBe('osascript')
    const script = mac.spec.args.filter((_, i, all) => all[i - 1] === '-e')
    expect(script.join('\n')).not.toContain('dsvmadmin')
    expect(mac.spec.args.at(-1)).toBe(
      `ssh -i ${key} -p 50001 dsvmadmin@team-pool.westeurope.cloudapp.azure.com`,
    )
  })
})
