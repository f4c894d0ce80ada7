import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../shared/errors'
import type { PoolInstance, PoolSummary } from '../../shared/pools'
import type { Launcher } from './launcher'
import type { ConnectPreferencesFile } from './preferences'
import { findPoolKey } from './pool-key'
import { chooseRdpClient, rdpFileContent } from './rdp'
import { commandText, sshArgs, type SshTarget } from './ssh'
import { poolBlock, updateSshConfigFile, type SshHostEntry } from './ssh-config'
import { chooseTerminal } from './terminal'
import { validAlias, validHost, validInstanceId } from './validate'
import { vscodeInstalled, vscodeLaunch, vscodeRemoteUri } from './vscode'

/*
 * One click to work: JupyterHub in the browser, SSH in a terminal, VS Code Remote-SSH and
 * Remote Desktop, for a pool or one of its instances (through its NAT port on the load
 * balancer). The pure builders next to this file make the commands; this service finds the
 * pool's address, user and key and hands the result to the launcher.
 */

export const jupyterHubCertificateNote =
  'The Data Science VM’s JupyterHub uses a self-signed certificate, so your browser will warn ' +
  'that the connection is not private the first time. The address is your pool’s own load ' +
  'balancer; choose Advanced and continue to it, then sign in with your pool user name.'

/** What connect needs to know about a pool, read from the poller and the scale set. */
export interface ConnectTarget {
  pool: PoolSummary
  instances: readonly PoolInstance[]
  adminUsername?: string
  /** The public keys the pool's scale set model accepts for its admin (Linux). */
  authorizedKeys?: readonly string[]
  /**
   * Pools with the Entra ID login: the signed-in member's sign-in name, key and certificate
   * (docs/team.md). Every SSH path uses these instead of the admin user and the pool's key.
   */
  entra?: { user: string; keyPath: string; certificatePath: string }
  /**
   * The member's own pool account (docs/team.md): its user name and the private key the app
   * made for it. Used by every SSH path when there is no Entra certificate (ssh-identity.ts).
   */
  poolAccount?: { user: string; keyPath: string }
  /**
   * Windows pools with the Entra ID login (AADLoginForWindows): the signed-in member's sign-in
   * name, which the RDP file signs in with instead of the administrator.
   */
  entraRdpUser?: string
}

export interface ConnectServiceOptions {
  target(poolId: string): Promise<ConnectTarget>
  launcher: Launcher
  /** Opens a URL through the link allow-list: opened, refused by the list, or failed. */
  openUrl(url: string): Promise<'opened' | 'refused' | 'failed'>
  /** Whether a terminal started here appears on the person's screen (not so in some web hosts). */
  screenReachable(): boolean
  preferences: ConnectPreferencesFile
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  home: string
  /** ~/.ssh: the pool keys the wizard made (dsvm-<pool>) and the config file. */
  sshDir: string
  /** Where RDP files are written. */
  tempDir: string
}

export interface SshPlan {
  alias: string
  target: SshTarget
  args: string[]
  command: string
}

export class ConnectService {
  constructor(private readonly options: ConnectServiceOptions) {}

  async openJupyterHub(
    poolId: string,
    acknowledgeCertificateNote: boolean,
  ): Promise<{ opened: boolean; url: string; certificateNote?: string }> {
    const { pool } = await this.options.target(poolId)
    if (!pool.jupyterHubUrl)
      throw new AppError(
        'NotFound',
        'This pool has no public address yet, so JupyterHub cannot be opened.',
      )
    const url = pool.jupyterHubUrl
    const prefs = await this.options.preferences.get()
    if (!prefs.jupyterHubCertificateNoteSeen) {
      if (!acknowledgeCertificateNote)
        return { opened: false, url, certificateNote: jupyterHubCertificateNote }
      await this.options.preferences.update({ jupyterHubCertificateNoteSeen: true })
    }
    const outcome = await this.options.openUrl(url)
    if (outcome === 'refused')
      throw new AppError(
        'Forbidden',
        'The pool’s JupyterHub address is not on the list of addresses the app opens.',
      )
    return { opened: outcome === 'opened', url }
  }

  /** The ssh command for the pool (its first instance with a port) or one instance. */
  async sshPlan(poolId: string, instanceId?: string): Promise<SshPlan> {
    const target = await this.options.target(poolId)
    const { pool } = target
    const host = hostOf(pool)
    const user = userOf(target)
    const instance = pickInstance(target.instances, instanceId)
    const alias =
      instanceId === undefined
        ? validAlias(pool.name)
        : `${validAlias(pool.name)}-${instance.instanceId}`
    const ssh: SshTarget = { user, host, port: instance.sshPort!, ...(await this.keys(target)) }
    const args = sshArgs(ssh)
    return { alias, target: ssh, args, command: commandText('ssh', args, this.options.platform) }
  }

  /**
   * A terminal running ssh, when one can be shown on the person's screen; otherwise (no
   * display, no terminal program, it failed to start) `opened: false` and the command to run.
   */
  async ssh(
    poolId: string,
    instanceId?: string,
  ): Promise<{ opened: boolean; terminal?: string; command: string }> {
    const plan = await this.sshPlan(poolId, instanceId)
    await this.writeSshConfig(poolId).catch(() => undefined)
    if (!this.options.screenReachable()) return { opened: false, command: plan.command }
    try {
      const terminal = await chooseTerminal(
        this.options.platform,
        { command: this.options.platform === 'win32' ? 'ssh.exe' : 'ssh', args: plan.args },
        plan.alias,
        this.options.launcher,
      )
      await this.options.launcher.launch(terminal.spec)
      return { opened: true, terminal: terminal.name, command: plan.command }
    } catch {
      return { opened: false, command: plan.command }
    }
  }

  async vscodeAvailable(): Promise<boolean> {
    const { launcher, platform, env, home } = this.options
    return vscodeInstalled(launcher, platform, env, home)
  }

  async vscode(poolId: string, instanceId?: string): Promise<{ uri: string }> {
    if (!(await this.vscodeAvailable()))
      throw new AppError('NotFound', 'VS Code was not found on this computer.')
    const plan = await this.sshPlan(poolId, instanceId)
    // Remote-SSH resolves the alias through ~/.ssh/config: the block must be there first.
    await this.writeSshConfig(poolId)
    const uri = vscodeRemoteUri(plan.alias, plan.target.user)
    await this.options.launcher.launch(vscodeLaunch(uri, this.options.platform))
    return { uri }
  }

  async rdp(poolId: string, instanceId?: string): Promise<{ file: string }> {
    const target = await this.options.target(poolId)
    if (target.pool.os !== 'Windows')
      throw new AppError('Validation', 'Remote Desktop is for Windows pools; use SSH for this one.')
    const instance = pickInstance(target.instances, instanceId)
    const content = rdpFileContent(
      target.entraRdpUser
        ? {
            host: hostOf(target.pool),
            port: instance.sshPort!,
            user: target.entraRdpUser,
            entra: true,
          }
        : { host: hostOf(target.pool), port: instance.sshPort!, user: userOf(target) },
    )
    await mkdir(this.options.tempDir, { recursive: true, mode: 0o700 })
    const file = join(
      this.options.tempDir,
      `${validAlias(target.pool.name)}-${instance.instanceId}.rdp`,
    )
    await writeFile(file, content, { mode: 0o600 })
    await this.options.launcher.launch(
      await chooseRdpClient(this.options.platform, file, this.options.launcher),
    )
    return { file }
  }

  /** Writes (or replaces) the pool's block in ~/.ssh/config; Linux pools only. */
  async writeSshConfig(poolId: string): Promise<void> {
    const target = await this.options.target(poolId)
    const { pool } = target
    if (pool.os !== 'Linux') return
    const host = hostOf(pool)
    const user = userOf(target)
    const keys = await this.keys(target)
    const withPorts = sortedWithPorts(target.instances)
    const entry = (alias: string, port: number): SshHostEntry => ({
      alias,
      host,
      port,
      user,
      ...keys,
    })
    const entries = withPorts.length
      ? [
          entry(pool.name, withPorts[0]!.sshPort!),
          ...withPorts.map((i) => entry(`${pool.name}-${i.instanceId}`, i.sshPort!)),
        ]
      : []
    await updateSshConfigFile(
      this.configFile(),
      pool.name,
      entries.length ? poolBlock(pool.name, entries) : undefined,
    )
  }

  /** Takes the pool's block out of ~/.ssh/config (the pool was deleted). */
  removeSshConfig(poolName: string): Promise<void> {
    return updateSshConfigFile(this.configFile(), validAlias(poolName), undefined)
  }

  private configFile(): string {
    return join(this.options.sshDir, 'config')
  }

  /**
   * The member's Entra key and certificate, or their pool account's key, or else the pool's
   * own key when it is here.
   */
  private async keys(
    target: ConnectTarget,
  ): Promise<{ keyPath?: string; certificatePath?: string }> {
    if (target.entra)
      return { keyPath: target.entra.keyPath, certificatePath: target.entra.certificatePath }
    if (target.poolAccount) return { keyPath: target.poolAccount.keyPath }
    const keyPath = await findPoolKey(
      this.options.sshDir,
      validAlias(target.pool.name),
      target.authorizedKeys,
    )
    return keyPath ? { keyPath } : {}
  }
}

function hostOf(pool: PoolSummary): string {
  if (!pool.jupyterHubUrl) throw new AppError('NotFound', 'This pool has no public address yet.')
  return validHost(new URL(pool.jupyterHubUrl).hostname.replace(/^\[|\]$/g, ''))
}

function userOf(target: ConnectTarget): string {
  if (target.entra) return target.entra.user
  if (target.poolAccount) return target.poolAccount.user
  if (!target.adminUsername)
    throw new AppError('NotFound', 'The pool’s admin user name could not be read from Azure.')
  return target.adminUsername
}

function sortedWithPorts(instances: readonly PoolInstance[]): PoolInstance[] {
  return instances
    .filter((i) => i.sshPort !== undefined && i.provisioningState !== 'Deleting')
    .sort((a, b) => Number(a.instanceId) - Number(b.instanceId))
}

/** The named instance, or for the pool the first running instance with a NAT port. */
function pickInstance(instances: readonly PoolInstance[], instanceId?: string): PoolInstance {
  const withPorts = sortedWithPorts(instances)
  if (instanceId !== undefined) {
    validInstanceId(instanceId)
    const found = withPorts.find((i) => i.instanceId === instanceId)
    if (!found)
      throw new AppError(
        'NotFound',
        `Instance ${instanceId} has no SSH or RDP port on the load balancer.`,
      )
    return found
  }
  const running = withPorts.find((i) => i.powerState === 'running') ?? withPorts[0]
  if (!running)
    throw new AppError(
      'Conflict',
      'No instance of this pool is running. Start the pool, then connect.',
    )
  return running
}
