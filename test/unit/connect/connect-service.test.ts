import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConnectService, type ConnectTarget } from '../../../electron/connect/connect-service'
import { ConnectPreferencesFile } from '../../../electron/connect/preferences'
import type { PoolInstance, PoolSummary } from '../../../shared/pools'
import { viewFor } from '../pools/summary-view'
import { RecordingLauncher } from './fake-launcher'

const poolId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool'
const poolBase: Omit<PoolSummary, 'view'> = {
  id: poolId,
  name: 'team-pool',
  subscriptionId: '00000000-0000-4000-8000-000000000001',
  resourceGroup: 'rg',
  region: 'westeurope',
  os: 'Linux',
  vmSize: 'Standard_D4s_v5',
  total: 2,
  running: 2,
  capacity: 2,
  state: 'Running',
  autoscaleEnabled: false,
  hasAutoscale: false,
  jupyterHubUrl: 'https://team-pool.westeurope.cloudapp.azure.com:8000/',
  ownsResourceGroup: true,
}
const pool: PoolSummary = { ...poolBase, view: viewFor(poolBase) }
const instance = (id: string, port: number, powerState = 'running'): PoolInstance => ({
  instanceId: id,
  name: `team-pool_${id}`,
  powerState,
  provisioningState: 'Succeeded',
  sshPort: port,
  protectedFromScaleIn: false,
  latestModelApplied: true,
})

describe('ConnectService', () => {
  let dir: string
  let opened: string[]
  let target: ConnectTarget
  let browserWorks: boolean
  let screen: boolean
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'connect-'))
    opened = []
    browserWorks = true
    screen = true
    target = {
      pool,
      instances: [instance('3', 50003), instance('0', 50000, 'deallocated'), instance('1', 50001)],
      adminUsername: 'dsvmadmin',
    }
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** A key pair the wizard would have written to ~/.ssh; returns the private key's path. */
  const writeKeyPair = (name: string, publicKeyData: string): string => {
    mkdirSync(join(dir, '.ssh'), { recursive: true })
    const path = join(dir, '.ssh', name)
    writeFileSync(path, 'private', { mode: 0o600 })
    writeFileSync(`${path}.pub`, `ssh-ed25519 ${publicKeyData} ${name}\n`)
    return path
  }

  const service = (launcher: RecordingLauncher, platform: NodeJS.Platform = 'linux') =>
    new ConnectService({
      target: async () => target,
      launcher,
      openUrl: async (url) => {
        if (!browserWorks) return 'failed'
        opened.push(url)
        return 'opened'
      },
      screenReachable: () => screen,
      preferences: new ConnectPreferencesFile(join(dir, 'connect.json')),
      platform,
      env: {},
      home: dir,
      sshDir: join(dir, '.ssh'),
      tempDir: join(dir, 'tmp'),
    })

  it('shows the certificate note once, then opens JupyterHub directly', async () => {
    const connect = service(new RecordingLauncher())
    const first = await connect.openJupyterHub(poolId, false)
    expect(first.opened).toBe(false)
    expect(first.certificateNote).toMatch(/self-signed certificate/)
    expect(opened).toEqual([])
    expect(await connect.openJupyterHub(poolId, true)).toEqual({
      opened: true,
      url: pool.jupyterHubUrl,
    })
    expect(await service(new RecordingLauncher()).openJupyterHub(poolId, false)).toEqual({
      opened: true,
      url: pool.jupyterHubUrl,
    })
    expect(opened).toEqual([pool.jupyterHubUrl, pool.jupyterHubUrl])
  })

  it('says JupyterHub did not open when the system browser failed, and gives its address', async () => {
    const connect = service(new RecordingLauncher())
    await connect.openJupyterHub(poolId, true)
    browserWorks = false
    expect(await connect.openJupyterHub(poolId, false)).toEqual({
      opened: false,
      url: pool.jupyterHubUrl,
    })
  })

  it('hands over the ssh command instead of a terminal nobody would see', async () => {
    screen = false
    const launcher = new RecordingLauncher(['xterm'])
    const result = await service(launcher).ssh(poolId)
    expect(result).toEqual({
      opened: false,
      command: 'ssh -p 50001 dsvmadmin@team-pool.westeurope.cloudapp.azure.com',
    })
    expect(launcher.launched).toEqual([])
  })

  it('hands over the ssh command when no terminal program is installed', async () => {
    const result = await service(new RecordingLauncher([])).ssh(poolId)
    expect(result.opened).toBe(false)
    expect(result.command).toMatch(/^ssh -p 50001 /)
  })

  it('SSH to the pool goes to the first running instance, with the pool key when present', async () => {
    const key = writeKeyPair('dsvm-team-pool', 'AAAAC3NzaC1lZDI1NTE5AAAAIFirstKey')
    const launcher = new RecordingLauncher(['gnome-terminal'])
    const result = await service(launcher).ssh(poolId)
    expect(result.opened).toBe(true)
    expect(result.terminal).toBe('GNOME Terminal')
    expect(launcher.launched).toEqual([
      {
        command: 'gnome-terminal',
        args: [
          '--title',
          'team-pool',
          '--',
          'ssh',
          '-i',
          key,
          '-p',
          '50001',
          'dsvmadmin@team-pool.westeurope.cloudapp.azure.com',
        ],
      },
    ])
    expect(result.command).toBe(
      `ssh -i ${key} -p 50001 dsvmadmin@team-pool.westeurope.cloudapp.azure.com`,
    )
  })

  it('uses the regenerated key (dsvm-<pool>-2) when that is the one the pool was deployed with', async () => {
    const first = writeKeyPair('dsvm-team-pool', 'AAAAC3NzaC1lZDI1NTE5AAAAIFirstKey')
    const second = writeKeyPair('dsvm-team-pool-2', 'AAAAC3NzaC1lZDI1NTE5AAAAISecondKey')
    writeKeyPair('dsvm-team-pool-old', 'AAAAC3NzaC1lZDI1NTE5AAAAIOtherPool')
    const launcher = new RecordingLauncher(['xterm'])

    target = { ...target, authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISecondKey ada'] }
    expect((await service(launcher).ssh(poolId)).command).toContain(`-i ${second} `)
    const config = readFileSync(join(dir, '.ssh', 'config'), 'utf8')
    expect(config).toContain(`IdentityFile "${second}"`)
    expect(config).not.toContain(`IdentityFile "${first}"`)

    target = { ...target, authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFirstKey'] }
    expect((await service(launcher).ssh(poolId)).command).toContain(`-i ${first} `)

    // A pool that accepts neither key gets no -i rather than a key that cannot work.
    target = { ...target, authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISomeoneElse'] }
    expect((await service(launcher).ssh(poolId)).command).not.toContain(' -i ')
  })

  it('SSH to one instance uses its NAT port and writes the ssh config block', async () => {
    const launcher = new RecordingLauncher(['xterm'])
    await service(launcher).ssh(poolId, '3')
    expect(launcher.launched[0]!.args.slice(-3)).toEqual([
      '-p',
      '50003',
      'dsvmadmin@team-pool.westeurope.cloudapp.azure.com',
    ])
    const config = readFileSync(join(dir, '.ssh', 'config'), 'utf8')
    expect(config).toContain('Host team-pool\n')
    expect(config).toContain('Host team-pool-0\n')
    expect(config).toContain('Host team-pool-3\n')
    await service(launcher).removeSshConfig('team-pool')
    expect(readFileSync(join(dir, '.ssh', 'config'), 'utf8')).toBe('')
  })

  it('refuses an instance without a port and a pool with nothing to connect to', async () => {
    await expect(service(new RecordingLauncher(['xterm'])).ssh(poolId, '9')).rejects.toThrow(
      /Instance 9/,
    )
    target = { ...target, instances: [] }
    await expect(service(new RecordingLauncher(['xterm'])).ssh(poolId)).rejects.toThrow(
      /No instance/,
    )
  })

  it('refuses a hostile admin user name before anything starts', async () => {
    target = { ...target, adminUsername: 'ada; rm -rf ~' }
    const launcher = new RecordingLauncher(['xterm'])
    await expect(service(launcher).ssh(poolId)).rejects.toThrow(/admin user name/)
    expect(launcher.launched).toEqual([])
  })

  it('connects as the member’s own pool account, with its key, on every SSH path', async () => {
    writeKeyPair('dsvm-team-pool', 'AAAAC3NzaC1lZDI1NTE5AAAAIAdminKey')
    const grace = writeKeyPair('dsvm-team-pool-grace', 'AAAAC3NzaC1lZDI1NTE5AAAAIGraceKey')
    target = { ...target, poolAccount: { user: 'grace', keyPath: grace } }
    const launcher = new RecordingLauncher(['xterm', 'code'])
    const connect = service(launcher)
    expect((await connect.sshPlan(poolId)).command).toBe(
      `ssh -i ${grace} -p 50001 grace@team-pool.westeurope.cloudapp.azure.com`,
    )
    expect(await connect.vscode(poolId, '1')).toEqual({
      uri: 'vscode://vscode-remote/ssh-remote+team-pool-1/home/grace',
    })
    const config = readFileSync(join(dir, '.ssh', 'config'), 'utf8')
    expect(config).toContain(
      `Host team-pool-1\n  HostName team-pool.westeurope.cloudapp.azure.com\n  Port 50001\n  User grace\n  IdentityFile "${grace}"\n  IdentitiesOnly yes\n`,
    )
    expect(config).not.toContain('dsvmadmin')
    expect(config).not.toContain('CertificateFile')
  })

  it('prefers the Entra certificate over a pool account when the target has both', async () => {
    const grace = writeKeyPair('dsvm-team-pool-grace', 'AAAAC3NzaC1lZDI1NTE5AAAAIGraceKey')
    target = {
      ...target,
      poolAccount: { user: 'grace', keyPath: grace },
      entra: {
        user: 'grace@contoso.example',
        keyPath: '/home/grace/.ssh/dsvm-pool-manager-entra',
        certificatePath: '/home/grace/.ssh/dsvm-pool-manager-entra-cert.pub',
      },
    }
    expect((await service(new RecordingLauncher()).sshPlan(poolId)).command).toBe(
      'ssh -i /home/grace/.ssh/dsvm-pool-manager-entra -o CertificateFile=/home/grace/.ssh/dsvm-pool-manager-entra-cert.pub -p 50001 grace@contoso.example@team-pool.westeurope.cloudapp.azure.com',
    )
  })

  it('opens VS Code on the instance’s host alias only when VS Code is installed', async () => {
    await expect(service(new RecordingLauncher([])).vscode(poolId, '1')).rejects.toThrow(/VS Code/)
    const launcher = new RecordingLauncher(['code'])
    expect(await service(launcher).vscode(poolId, '1')).toEqual({
      uri: 'vscode://vscode-remote/ssh-remote+team-pool-1/home/dsvmadmin',
    })
    expect(launcher.launched).toEqual([
      {
        command: 'xdg-open',
        args: ['vscode://vscode-remote/ssh-remote+team-pool-1/home/dsvmadmin'],
      },
    ])
  })

  it('writes an RDP file for a Windows pool and opens it', async () => {
    target = { ...target, pool: { ...pool, os: 'Windows' } }
    const launcher = new RecordingLauncher(['xfreerdp'])
    const { file } = await service(launcher).rdp(poolId, '3')
    expect(readFileSync(file, 'utf8')).toContain(
      'full address:s:team-pool.westeurope.cloudapp.azure.com:50003\r\n',
    )
    expect(launcher.launched).toEqual([{ command: 'xfreerdp', args: [file] }])
    target = { ...target, pool }
    await expect(service(launcher).rdp(poolId)).rejects.toThrow(/Windows pools/)
  })

  it('signs the RDP file in with the member’s own account on a pool with the Entra ID login', async () => {
    target = {
      ...target,
      pool: { ...pool, os: 'Windows' },
      entraRdpUser: 'grace@contoso.example',
    }
    const launcher = new RecordingLauncher(['xfreerdp'])
    const { file } = await service(launcher).rdp(poolId, '3')
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('username:s:AzureAD\\grace@contoso.example\r\n')
    expect(text).toContain('enablerdsaadauth:i:1\r\n')
    expect(text).not.toContain('dsvmadmin')
  })

  it('keeps the user’s own ssh config entries when writing the block', async () => {
    const file = join(dir, '.ssh', 'config')
    const mine = 'Host mine\n  User me\n'
    const launcher = new RecordingLauncher(['xterm'])
    await service(launcher).writeSshConfig(poolId)
    writeFileSync(file, mine + readFileSync(file, 'utf8'))
    await service(launcher).writeSshConfig(poolId)
    expect(readFileSync(file, 'utf8').startsWith(mine + '# >>> dsvm-pool-manager team-pool')).toBe(
      true,
    )
  })
})
