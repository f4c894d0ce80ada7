import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppInfo } from '../shared/api'
import type { Sandbox, SandboxOptions } from '../sandbox/index'
import { authHandlers } from './azure/auth/auth-handlers'
import type { CloudSession } from './azure/cloud-session'
import { cloudSessions } from './azure/cloud-sessions'
import { costHandlers } from './azure/cost/cost-handlers'
import { sessionCostServices } from './azure/cost/cost-services'
import type { Notify } from './azure/cost/budget-alerts'
import { createPoolSpend } from './azure/cost/pool-spend'
import { deployHandlers } from './azure/deploy/deploy-handlers'
import { templateFiles } from './azure/deploy/index'
import { sessionDeploy } from './azure/deploy/session-deploy'
import { filesHandlers } from './azure/files/files-handlers'
import { createPoolFiles } from './azure/files/pool-files'
import { poolLookup } from './azure/pools/find-pool'
import { poolHandlers } from './azure/pools/pool-handlers'
import type { PoolService } from './azure/pools/pool-service'
import type { PollerIntervals } from './azure/pools/poller'
import { sessionPoolService } from './azure/pools/session-pool-service'
import type { SecretStore } from './azure/ports'
import { subscriptionHandlers } from './azure/subscription-handlers'
import { poolAccountsHandlers } from './azure/team/pool-accounts-handlers'
import { teamHandlers } from './azure/team/team-handlers'
import { createTeamServices } from './azure/team/team-services'
import { connectHandlers } from './connect/connect-handlers'
import { createConnect } from './connect/connect-target'
import { ProcessLauncher, type Launcher } from './connect/launcher'
import { MountService } from './connect/mount/mount-service'
import { ProcessRunner, type CommandRunner } from './connect/mount/runner'
import { ConnectPreferencesFile } from './connect/preferences'
import { showInFolderWith } from './connect/show-in-folder'
import { LinkAllowList } from './desktop/link-allow-list'
import { linkHandlers } from './desktop/link-handlers'
import { linkOpener } from './desktop/link-opener'
import { sandboxHandlers } from './embedded-sandbox/sandbox-handlers'
import { SandboxRunner } from './embedded-sandbox/sandbox-runner'
import { createEventHub, type EventHub } from './ipc/events'
import { describeForLog } from './ipc/errors'
import type { Handlers } from './ipc/handlers'
import { createRouter, type Router } from './ipc/router'
import { settingsHandlers } from './settings/settings-handlers'
import { SettingsStore } from './settings/settings-store'
import { settingsUpdates } from './settings/settings-updates'

/*
 * The composition root both shells share (electron/main.ts and electron/web/web-main.ts). It
 * only composes, in this order: the stores (settings, the link allow-list), the embedded
 * sandbox, the session for the chosen cloud (azure/cloud-sessions.ts), each feature from its
 * factory beside its service (azure/pools/session-pool-service.ts, azure/cost/pool-spend.ts,
 * azure/team/team-services.ts, connect/connect-target.ts, azure/files/pool-files.ts,
 * azure/deploy/session-deploy.ts), the handler map (one module per section of shared/api.ts,
 * such as azure/pools/pool-handlers.ts) and the validating router. Nothing here imports
 * Electron, and no feature logic lives here.
 */

export type LogLevel = 'info' | 'warn' | 'error'
export type Log = (level: LogLevel, message: string) => void

export interface AppServicesOptions {
  shell: AppInfo['shell']
  version: string
  platform: NodeJS.Platform
  /** Where preferences live (Electron's userData, or the web host's data folder). */
  dataDir: string
  secretStore: SecretStore
  /**
   * Opens a URL in the system browser. Only called for URLs the allow-list accepts; rejects
   * when nothing opened (no opener, no screen), and the renderer then shows the address.
   */
  openExternal: (url: string) => Promise<void>
  /**
   * Whether programs this process starts (terminals) appear on the person's screen. The web
   * host may run where nobody sees its windows; then connect hands over the command instead.
   */
  screenReachable?: () => boolean
  /** Options for the embedded sandbox when it starts (default: the demo seed, to explore). */
  sandbox?: SandboxOptions
  /** A running sandbox to use instead of starting one (two apps on one "Azure" in tests). */
  sharedSandbox?: Sandbox
  /** Shown in app.info instead of the token cache's own warning (web mode says why). */
  secretStorageWarning?: string
  env?: NodeJS.ProcessEnv
  log?: Log
  /** Pool poller timing and the LRO poll interval of pool actions (tests use fast ones). */
  pools?: { intervals?: Partial<PollerIntervals>; updateIntervalInMs?: number }
  /** Folder of the ARM template and instance scripts (default: found next to the app). */
  resourcesDir?: string
  /** Where generated SSH keys go (default ~/.ssh). */
  sshDir?: string
  /** Starts terminals, VS Code and RDP clients (tests record instead). */
  launcher?: Launcher
  /** Where downloads from a pool's share are saved (default ~/Downloads). */
  downloadsDir?: string
  /** Runs the mount commands (tests record instead). */
  mountRunner?: CommandRunner
  /** Shows a saved download in the file manager (default: the platform's, through the launcher). */
  showInFolder?: (file: string) => Promise<void>
  /** How often deployments are read (tests against a fast sandbox read more often). */
  deploy?: { watchIntervalMs?: number; updateIntervalInMs?: number }
  /** Desktop notifications (the Electron shell); the web shell has none. */
  notify?: Notify
}

export type { CloudSession }

export interface AppServices {
  router: Router
  events: EventHub
  links: LinkAllowList
  settings: SettingsStore
  sandbox: SandboxRunner
  /** The session for the cloud chosen in Settings (starts the sandbox when that is the cloud). */
  session(): Promise<CloudSession>
  /** Opens a URL in the system browser if the allow-list accepts it; true once it opened. */
  openLink(url: string): Promise<boolean>
  /** Running pools (the one poller, actions, scale to zero) for the current cloud session. */
  pools(): Promise<PoolService>
  close(): Promise<void>
}

export type { OpenOutcome } from './desktop/link-opener'

export function createAppServices(options: AppServicesOptions): AppServices {
  const log: Log =
    options.log ?? ((level, message) => console[level === 'info' ? 'log' : level](message))
  const env = options.env ?? process.env
  const events = createEventHub({
    onInvalidPayload: (name, message) => log('error', `Event ${name} was not sent: ${message}`),
  })
  const settings = new SettingsStore(join(options.dataDir, 'settings.json'), {
    onWarning: (message) => log('warn', message),
  })
  const links = new LinkAllowList()
  const sandboxLinks: Array<() => void> = []
  const sandbox = new SandboxRunner(
    { seed: 'demo', ...options.sandbox },
    (started) => {
      // Its sign-in pages open in the system browser while it runs.
      sandboxLinks.push(links.allow(started.authorityHost), links.allow(started.armEndpoint))
      log('info', `Sandbox running at ${started.armEndpoint}`)
    },
    options.sharedSandbox,
  )

  const openUrl = linkOpener(links, options.openExternal, log)
  const openLink = async (url: string) => (await openUrl(url)) === 'opened'

  const session = cloudSessions({
    chosen: () => settings.get(),
    startSandbox: () => sandbox.start(),
    env,
    secretStore: options.secretStore,
    openUrl,
    events,
    log,
  })
  /** Azure's time now: the sandbox's clock when it is the cloud. */
  const azureNow = () =>
    (settings.get().cloud === 'Sandbox' ? sandbox.current?.clock.now() : undefined) ?? Date.now()

  // ---- cost: prices and spend follow the session; a pool's spend against its budget
  const costServices = sessionCostServices(session, options.dataDir)
  const spend = createPoolSpend({
    session,
    poolService,
    costServices,
    dataDir: options.dataDir,
    notify: options.notify,
    log,
  })

  // ---- run a pool: one poller per cloud session, shared by every window and the tray
  const pools = sessionPoolService({
    session,
    subscriptions: () => settings.get().chosenSubscriptionIds,
    sandboxNow: () => sandbox.current?.clock.now(),
    costServices,
    links,
    events,
    budgetWatch: spend.budgetWatch,
    removeSshConfig: (poolName) => connect.removeSshConfig(poolName),
    options: options.pools,
    log,
  })
  function poolService(): Promise<PoolService> {
    return pools.poolService()
  }
  const lookup = poolLookup(poolService)

  // ---- team and pool accounts (docs/team.md)
  const sshDir = options.sshDir ?? join(homedir(), '.ssh')
  const poolFiles = templateFiles(options.resourcesDir)
  const { team, poolAccounts, creatorBecomesManager } = createTeamServices({
    session,
    poolService,
    pool: lookup.pool,
    poolRecord: lookup.record,
    poolFiles,
    sshDir,
    dataDir: options.dataDir,
    log,
  })

  // ---- connect: JupyterHub, SSH, VS Code and RDP for a pool or one of its instances
  const connect = createConnect({
    session,
    poolService,
    poolAccounts,
    log,
    launcher: options.launcher ?? new ProcessLauncher(env, options.platform),
    openUrl,
    screenReachable: options.screenReachable ?? (() => true),
    preferences: new ConnectPreferencesFile(join(options.dataDir, 'connect.json')),
    platform: options.platform,
    env,
    home: homedir(),
    sshDir,
    tempDir: join(tmpdir(), 'dsvm-pool-manager'),
  })

  // ---- files: the pool's share over HTTPS (the key is read in main with listKeys)
  const files = createPoolFiles({
    session,
    poolRecord: lookup.record,
    downloadsDir: options.downloadsDir ?? join(homedir(), 'Downloads'),
    events,
    showInFolder:
      options.showInFolder ??
      showInFolderWith(options.launcher ?? new ProcessLauncher(), options.platform),
  })
  const mounts = new MountService({
    target: (poolId) => files.mountTarget(poolId),
    runner: options.mountRunner ?? new ProcessRunner(),
    platform: options.platform,
  })

  // ---- create a pool: the wizard's choices and the deployments, per cloud session
  const { close: closeDeploy, ...deployCalls } = sessionDeploy({
    session,
    poolFiles,
    dataDir: options.dataDir,
    events,
    chosenSubscriptionIds: () => settings.get().chosenSubscriptionIds,
    onPoolCreated: (ref) => {
      pools.refreshSoon()
      creatorBecomesManager(ref)
    },
    options: options.deploy,
    log,
  })

  const { updateSettings, switchCloud } = settingsUpdates({
    settings,
    events,
    accounts: async () => (await session()).auth.accounts(),
    onSubscriptionsChanged: () => pools.current()?.poller.touch(),
    log,
  })

  const handlers = {
    ...settingsHandlers({ options, session, sandbox, settings, updateSettings }),
    ...sandboxHandlers({ sandbox, switchCloud }),
    ...authHandlers({ session }),
    ...subscriptionHandlers({ session }),
    ...linkHandlers({ openLink }),
    ...costHandlers({ options, session, costServices, poolService, poolSpend: spend.poolSpend }),
    ...deployHandlers({ options, session, sandbox, ...deployCalls }),
    ...poolHandlers({ session, poolService, contextOfPool: lookup.record }),
    ...connectHandlers({ connect, mounts }),
    ...filesHandlers({ files }),
    ...teamHandlers({ team, session, poolService, events, poolFiles, poolAccounts, azureNow }),
    ...poolAccountsHandlers({ poolAccounts }),
  } satisfies Handlers

  const router = createRouter(handlers, {
    onFailure: (name, error, cause) => {
      if (error.code === 'Unknown') log('error', `${name} failed: ${describeForLog(cause)}`)
    },
  })

  return {
    router,
    events,
    links,
    settings,
    sandbox,
    session,
    openLink,
    pools: poolService,
    async close() {
      pools.close()
      closeDeploy()
      for (const remove of sandboxLinks.splice(0)) remove()
      await sandbox.close()
    },
  }
}
