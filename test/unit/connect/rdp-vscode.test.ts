import { describe, expect, it } from 'vitest'
import { chooseRdpClient, rdpCandidates, rdpFileContent } from '../../../electron/connect/rdp'
import { vscodeInstalled, vscodeLaunch, vscodeRemoteUri } from '../../../electron/connect/vscode'

describe('RDP file', () => {
  it('names the address with its NAT port, the user, and asks for the password', () => {
    const text = rdpFileContent({
      host: 'win-pool.westeurope.cloudapp.azure.com',
      port: 50002,
      user: 'dsvmadmin',
    })
    expect(text.split('\r\n')).toEqual(
      expect.arrayContaining([
        'full address:s:win-pool.westeurope.cloudapp.azure.com:50002',
        'username:s:dsvmadmin',
        'prompt for credentials:i:1',
      ]),
    )
    expect(text).not.toMatch(/password/i)
  })

  it('signs in with the member’s Microsoft account on pools with the Entra ID login', () => {
    const text = rdpFileContent({
      host: 'win-pool.westeurope.cloudapp.azure.com',
      port: 50002,
      user: 'grace@contoso.example',
      entra: true,
    })
    const lines = text.split('\r\n')
    expect(lines).toEqual(
      expect.arrayContaining([
        'full address:s:win-pool.westeurope.cloudapp.azure.com:50002',
        'username:s:AzureAD\\grace@contoso.example',
        'enablerdsaadauth:i:1',
      ]),
    )
    expect(lines.filter((l) => l.startsWith('username:'))).toHaveLength(1)
    expect(() =>
      rdpFileContent({ host: 'a.example', port: 3389, user: 'dsvmadmin', entra: true }),
    ).toThrow(/name@domain/)
    // The administrator's file has neither.
    expect(rdpFileContent({ host: 'a.example', port: 3389, user: 'dsvmadmin' })).not.toMatch(
      /AzureAD|enablerdsaadauth/,
    )
  })

  it.each([
    [{ host: 'a.example\r\nalternate shell:s:cmd', port: 1, user: 'u' }],
    [{ host: 'a.example', port: 0, user: 'u' }],
    [{ host: 'a.example', port: 3389, user: 'u\r\nx:s:y' }],
  ])('rejects hostile values %#', (target) => {
    expect(() => rdpFileContent(target)).toThrow()
  })

  it('is opened by mstsc on Windows, open on macOS, remmina or xfreerdp on Linux', async () => {
    expect(rdpCandidates('win32', 'C:\\t\\p.rdp')).toEqual([
      { command: 'mstsc.exe', args: ['C:\\t\\p.rdp'] },
    ])
    expect(rdpCandidates('darwin', '/t/p.rdp')).toEqual([{ command: 'open', args: ['/t/p.rdp'] }])
    const which = (names: string[]) => ({
      which: async (n: string) => (names.includes(n) ? n : undefined),
    })
    expect(await chooseRdpClient('linux', '/t/p.rdp', which(['remmina', 'xfreerdp']))).toEqual({
      command: 'remmina',
      args: ['-c', '/t/p.rdp'],
    })
    expect(await chooseRdpClient('linux', '/t/p.rdp', which(['xfreerdp']))).toEqual({
      command: 'xfreerdp',
      args: ['/t/p.rdp'],
    })
    await expect(chooseRdpClient('linux', '/t/p.rdp', which([]))).rejects.toThrow(/Remmina/)
  })
})

describe('VS Code', () => {
  it('links to the Remote-SSH host alias and the user’s home', () => {
    expect(vscodeRemoteUri('team-pool-0', 'dsvmadmin')).toBe(
      'vscode://vscode-remote/ssh-remote+team-pool-0/home/dsvmadmin',
    )
    expect(() => vscodeRemoteUri('team pool', 'dsvmadmin')).toThrow()
    expect(() => vscodeRemoteUri('team-pool', '../root')).toThrow()
  })

  it('is opened by the platform’s link opener as an argument array', () => {
    const uri = 'vscode://vscode-remote/ssh-remote+p/home/u'
    expect(vscodeLaunch(uri, 'linux')).toEqual({ command: 'xdg-open', args: [uri] })
    expect(vscodeLaunch(uri, 'darwin')).toEqual({ command: 'open', args: [uri] })
    expect(vscodeLaunch(uri, 'win32')).toEqual({
      command: 'rundll32.exe',
      args: ['url.dll,FileProtocolHandler', uri],
    })
  })

  it('counts as installed with code on PATH or in a known install folder', async () => {
    const launcher = (onPath: boolean, paths: string[]) => ({
      which: async () => (onPath ? '/usr/bin/code' : undefined),
      exists: async (p: string) => paths.includes(p),
    })
    expect(await vscodeInstalled(launcher(true, []), 'linux', {}, '/home/a')).toBe(true)
    expect(await vscodeInstalled(launcher(false, []), 'linux', {}, '/home/a')).toBe(false)
    expect(
      await vscodeInstalled(
        launcher(false, ['/Applications/Visual Studio Code.app']),
        'darwin',
        {},
        '/Users/a',
      ),
    ).toBe(true)
    expect(
      await vscodeInstalled(
        launcher(false, ['C:\\Users\\a\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe']),
        'win32',
        { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' },
        'C:\\Users\\a',
      ),
    ).toBe(true)
  })
})
