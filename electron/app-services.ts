import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppInfo, Settings, SettingsUpdate } from '../shared/api'
import type { CloudName } from '../shared/clouds'
import { AppError } from '../shared/errors'
import { createAuthServices, resolveClientId, resolveCloud } from './azure/auth/index'
import { ArmContexts } from './azure/arm-context'
import { ConnectService } from './connect/connect-service'
import { FilesService } from './azure/files/files-service'
import { ProcessLauncher, type Launcher } from './connect/launcher'
import { ConnectPreferencesFile } from './connect/preferences'
import { MountService } from './connect/mount/mount-service'
import { ProcessRunner, type CommandRunner } from './connect/mount/runner'
import { showInFolderWith } from './connect/show-in-folder'
import { createCostServices, type CostServices } from './azure/cost/cost-services'
import { BudgetAlerts, type Notify } from './azure/cost/budget-alerts'
import { BudgetWatch } from './azure/cost/budget-watch'
import { projectWithBurnRate } from '../shared/cost/projection'
import { PoolService } from './azure/pools/pool-service'
import { findPool, findPoolRecord } from './azure/pools/find-pool'
import type { PollerIntervals } from './azure/pools/poller'
import { DeployService, templateFiles, WizardService } from './azure/deploy/index'
import type { SecretStore } from './azure/ports'
import { LinkAllowList } from './desktop/link-allow-list'
import { RetailPricesClient } from './azure/prices/retail-prices-client'
import { createEventHub, type EventHub } from './ipc/events'
import type { Handlers } from './ipc/handlers'
import { createRouter, type Router } from './ipc/router'
import { authHandlers } from './azure/auth/auth-handlers'
import type { CloudSession } from './azure/cloud-session'
import { connectHandlers } from './connect/connect-handlers'
import { costHandlers } from './azure/cost/cost-handlers'
import { deployHandlers } from './azure/deploy/deploy-handlers'
import { filesHandlers } from './azure/files/files-handlers'
import { linkHandlers } from './desktop/link-handlers'
import { poolAccountsHandlers } from './azure/team/pool-accounts-handlers'
import { poolHandlers } from './azure/pools/pool-handlers'
import { sandboxHandlers } from './embedded-sandbox/sandbox-handlers'
import { settingsHandlers } from './settings/settings-handlers'
import { subscriptionHandlers } from './azure/subscription-handlers'
import { teamHandlers } from './azure/team/team-handlers'
import type { Sandbox, SandboxOptions } from '../sandbox/index'
import { SandboxRunner } from './embedded-sandbox/sandbox-runner'
import { SettingsStore } from './settings/settings-store'
import { openShareService, pickShare } from './azure/files/share-client'
import { PoolAccountsService } from './azure/team/pool-accounts-service'
import { TeamService } from './azure/team/team-service'
import { SshCertificates } from './azure/ssh-cert/certificates'
import {
  mayLogInToPool,
  usesEntraSshLogin,
  usesEntraWindowsLogin,
} from './azure/ssh-cert/entra-login'
import { MyPoolAccountsFile } from './azure/team/my-pool-accounts'
import { chooseSshIdentity } from './connect/ssh-identity'

/*
 * The composition both shells share (electron/main.ts and electron/web/web-main.ts): settings,
 * the embedded sandbox, sign-in for the chosen cloud, the link allow-list, and a handler for
 * every call in shared/api.ts behind the validating router. Nothing here imports Electron.
 * It only composes: each feature's handlers are in a module beside its service
 * (azure/pools/pool-handlers.ts, connect/connect-handlers.ts, ...), one per section of the API.
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

/** What became of a request to open an address in the system browser. */
export type OpenOutcome = 'opened' | 'refused' | 'failed'

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

  async function openUrl(url: string): Promise<OpenOutcome> {
    if (!links.isAllowed(url)) return 'refused'
    try {
      await options.openExternal(url)
      return 'opened'
    } catch (error) {
      log('warn', `The system browser did not open: ${(error as Error).message}`)
      return 'failed'
    }
  }
  const openLink = async (url: string) => (await openUrl(url)) === 'opened'

  let current: { key: string; session: CloudSession } | undefined
  async function session(): Promise<CloudSession> {
    const { cloud: cloudName, clientId: settingsClientId } = settings.get()
    const running = cloudName === 'Sandbox' ? await sandbox.start() : undefined
    const cloud = resolveCloud(cloudName, running)
    const clientId = resolveClientId(cloudName, { settings: settingsClientId, env })
    const key = `${cloudName}|${clientId}|${cloud.authorityHost}`
    if (current?.key === key) return current.session
    const services = createAuthServices({
      cloud,
      clientId,
      secretStore: options.secretStore,
      openBrowser: async (url) => {
        const outcome = await openUrl(url)
        if (outcome === 'refused') {
          throw new AppError(
            'Forbidden',
            'The sign-in page is not on the list of addresses the app opens.',
          )
        }
        // Opened or not, the page is shown as an address to click or copy; MSAL keeps
        // waiting for the redirect either way.
        events.emit('auth.signInPage', { url, opened: outcome === 'opened' })
      },
      onDeviceCode: (code) => events.emit('auth.deviceCode', code),
      onAccountsChanged: (accounts) => events.emit('auth.accountsChanged', accounts),
      ...(running ? { tlsCa: running.caCert } : {}),
      log: (message) => log('warn', message),
    })
    const tlsCa = running?.caCert
    const arm = new ArmContexts({
      cloud,
      ...(tlsCa ? { tlsCa } : {}),
      listTenants: () => services.subscriptions.list(),
      credential: (accountId, tenantId) => services.auth.credential(accountId, tenantId),
    })
    current = {
      key,
      session: { ...services, cloud, arm, ...(tlsCa ? { tlsCa } : {}) },
    }
    return current.session
  }

  // ---- cost: prices and spend follow the session (cloud, sign-in, the sandbox's CA)
  let cost: { session: CloudSession; services: CostServices } | undefined
  async function costServices(): Promise<CostServices> {
    const current = await session()
    if (cost?.session !== current) {
      cost = {
        session: current,
        services: createCostServices({
          cloud: current.cloud,
          tokens: current.auth,
          tlsCa: current.tlsCa,
          dataDir: options.dataDir,
        }),
      }
    }
    return cost.services
  }

  // ---- connect: JupyterHub, SSH, VS Code and RDP for a pool or one of its instances
  const sshDir = options.sshDir ?? join(homedir(), '.ssh')
  const sshCertificates = new SshCertificates({
    sshDir,
    request: async (accountId, tenantId, key, forceRefresh) =>
      (await session()).auth.sshCertificate(accountId, key, tenantId, forceRefresh),
  })
  const connect = new ConnectService({
    target: async (poolId) => {
      const service = await poolService()
      const pool = await findPool(service, poolId)
      const scaleSet = service.poller.scaleSet(pool.id)
      const osProfile = scaleSet?.virtualMachineProfile?.osProfile
      const adminUsername = osProfile?.adminUsername
      const authorizedKeys = osProfile?.linuxConfiguration?.ssh?.publicKeys?.flatMap((key) =>
        key.keyData ? [key.keyData] : [],
      )
      // The member's Entra certificate, or their own pool account, or the admin (ssh-identity.ts).
      const { entra, poolAccount } =
        pool.os === 'Linux'
          ? await chooseSshIdentity({
              entraLogin: !!scaleSet && usesEntraSshLogin(scaleSet),
              poolAccount: () =>
                poolAccounts.login(pool.id).catch((error: unknown) => {
                  log('warn', `Your pool account could not be checked: ${String(error)}`)
                  return undefined
                }),
              mayUseEntraLogin: async () =>
                mayLogInToPool(
                  await (await session()).arm.for(pool.subscriptionId),
                  pool.resourceGroup,
                ),
              entraCertificate: async () => {
                const context = await (await session()).arm.for(pool.subscriptionId)
                return sshCertificates.for(context.accountId, context.tenantId)
              },
            })
          : {}
      // Entra ID login on Windows instances: the RDP file signs in with the member's account.
      let entraRdpUser: string | undefined
      if (pool.os === 'Windows' && scaleSet && usesEntraWindowsLogin(scaleSet)) {
        const current = await session()
        const context = await current.arm.for(pool.subscriptionId)
        entraRdpUser = (await current.auth.accounts()).find(
          (a) => a.id === context.accountId,
        )?.username
      }
      return {
        pool,
        instances: await service.instances(pool.id),
        ...(adminUsername ? { adminUsername } : {}),
        ...(authorizedKeys?.length ? { authorizedKeys } : {}),
        ...(entra ? { entra } : {}),
        ...(poolAccount ? { poolAccount } : {}),
        ...(entraRdpUser ? { entraRdpUser } : {}),
      }
    },
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

  // ---- cost: a pool's spend against its budget (tag), notified once per month and threshold
  const budgetAlerts = new BudgetAlerts(
    join(options.dataDir, 'budget-alerts.json'),
    options.notify,
    (message) => log('warn', message),
  )
  async function poolSpend(poolId: string, refresh: boolean) {
    const pool = await findPool(await poolService(), poolId)
    const context = await (await session()).arm.for(pool.subscriptionId)
    const spend = await (
      await costServices()
    ).spend.monthToDate(
      {
        accountId: context.accountId,
        tenantId: context.tenantId,
        subscriptionId: pool.subscriptionId,
        resourceGroup: pool.resourceGroup,
      },
      { refresh },
    )
    // While instances run, the rest of the month is projected at the pool's cost now.
    const running =
      pool.running > 0 &&
      pool.costPerHour !== undefined &&
      (pool.currency ?? 'USD') === spend.currency
    const projected = running
      ? { ...spend, projection: projectWithBurnRate(spend.projection, pool.costPerHour!) }
      : spend
    if (pool.budget === undefined) return projected
    const budget = budgetAlerts.check({
      poolId: pool.id,
      poolName: pool.name,
      budget: pool.budget,
      currency: spend.currency,
      month: spend.projection.month,
      actual: projected.monthToDate,
      projected: projected.projection.projected,
    })
    return { ...projected, budget }
  }
  const budgetWatch = new BudgetWatch((poolId) => poolSpend(poolId, false), {
    onError: (_poolId, error) =>
      log('warn', `A pool's budget could not be checked: ${(error as Error).name}`),
  })

  // ---- files: the pool's share over HTTPS (the key is read in main with listKeys)
  async function contextOfPool(poolId: string) {
    return findPoolRecord(await poolService(), poolId)
  }
  const files = new FilesService({
    shareOf: async (poolId) => {
      const record = await contextOfPool(poolId)
      const accountId = record.taggedIds.find((id) =>
        /\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(id),
      )
      if (!accountId)
        throw new AppError(
          'NotFound',
          'This pool has no storage account with its tag, so no share.',
        )
      const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(accountId)![1]!
      return {
        subscriptionId: record.subscriptionId,
        resourceGroup,
        account: accountId.slice(accountId.lastIndexOf('/') + 1),
      }
    },
    context: async (subscriptionId) => (await session()).arm.for(subscriptionId),
    userName: async (poolId) => {
      const current = await session()
      const context = await current.arm.for((await contextOfPool(poolId)).subscriptionId)
      const account = (await current.auth.accounts()).find((a) => a.id === context.accountId)
      return account?.username ?? 'me'
    },
    downloadsDir: options.downloadsDir ?? join(homedir(), 'Downloads'),
    onProgress: (progress) => events.emit('files.progress', progress),
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
  const poolFiles = templateFiles(options.resourcesDir)
  let deploy:
    | {
        session: CloudSession
        wizard: WizardService
        service: DeployService
      }
    | undefined
  async function deployServices(): Promise<NonNullable<typeof deploy>> {
    const current = await session()
    if (deploy?.session !== current) {
      deploy?.service.close()
      const contextFor = (subscriptionId: string) => current.arm.for(subscriptionId)
      let prices: RetailPricesClient | undefined
      deploy = {
        session: current,
        wizard: new WizardService({
          contextFor,
          files: poolFiles,
          prices: async () =>
            (prices ??= new RetailPricesClient({
              endpoint: current.cloud.pricesEndpoint,
              cacheDir: join(options.dataDir, 'prices-cache'),
              ca: current.tlsCa,
            })),
        }),
        service: new DeployService({
          contextFor,
          files: poolFiles,
          onProgress: (status) => {
            events.emit('deploy.progress', status)
            // A new pool: the pools list and the tray find it now, not at their next discovery.
            if (status.state === 'Succeeded') void pools?.service.refresh().catch(() => undefined)
            if (status.state === 'Succeeded') creatorBecomesManager(status.ref)
          },
          ownerOf: async (context) =>
            (await current.auth.accounts()).find((a) => a.id === context.accountId)?.username,
          ...options.deploy,
          log: (message) => log('warn', message),
        }),
      }
    }
    return deploy
  }

  /**
   * Lists deployments, finding pool deployments still running from before the app started in
   * every chosen subscription not looked up yet (one signed in since is looked up now).
   */
  async function watchedDeployments() {
    const services = await deployServices()
    await services.service.resume(settings.get().chosenSubscriptionIds).catch((error: unknown) => {
      log('warn', `Running deployments could not be looked up: ${(error as Error).name}`)
    })
    return services.service.list()
  }

  // ---- team: members from role assignments on the pool's group (docs/team.md)
  const team = new TeamService({
    context: async (subscriptionId) => (await session()).arm.for(subscriptionId),
    pool: async (poolId) => findPool(await poolService(), poolId),
  })
  /** Azure's time now: the sandbox's clock when it is the cloud. */
  const azureNow = () =>
    (settings.get().cloud === 'Sandbox' ? sandbox.current?.clock.now() : undefined) ?? Date.now()

  // ---- pool accounts: the fallback without Entra sign-in (docs/team.md)
  const poolAccounts = new PoolAccountsService({
    context: async (subscriptionId) => (await session()).arm.for(subscriptionId),
    files: templateFiles(options.resourcesDir),
    sshDir,
    mine: new MyPoolAccountsFile(join(options.dataDir, 'my-pool-accounts.json')),
    pool: async (poolId) => {
      const service = await poolService()
      const pool = await findPool(service, poolId)
      const record = await contextOfPool(poolId)
      const accountId = record.taggedIds.find((id) =>
        /\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(id),
      )
      if (!accountId)
        throw new AppError(
          'NotFound',
          'This pool has no storage account with its tag, so no share.',
        )
      const storageGroup = /\/resourceGroups\/([^/]+)/i.exec(accountId)![1]!
      const account = accountId.slice(accountId.lastIndexOf('/') + 1)
      const context = await (await session()).arm.for(pool.subscriptionId)
      const shareService = await openShareService(context, {
        subscriptionId: pool.subscriptionId,
        resourceGroup: storageGroup,
        account,
      })
      const adminUsername = service.poller.scaleSet(pool.id)?.virtualMachineProfile?.osProfile
        ?.adminUsername
      return {
        id: pool.id,
        name: pool.name,
        subscriptionId: pool.subscriptionId,
        resourceGroup: pool.resourceGroup,
        os: pool.os,
        ...(adminUsername ? { adminUsername } : {}),
        storage: { resourceGroup: storageGroup, account, share: await pickShare(shareService) },
      }
    },
  })
  const managersMade = new Set<string>()
  /** A new pool's creator is its first Manager (when they may assign roles on its group). */
  function creatorBecomesManager(ref: { subscriptionId: string; resourceGroup: string }): void {
    const key = `${ref.subscriptionId}/${ref.resourceGroup}`.toLowerCase()
    if (managersMade.has(key)) return
    managersMade.add(key)
    void team
      .makeCreatorManager(ref.subscriptionId, ref.resourceGroup)
      .then((made) => {
        if (!made) log('info', 'The new pool has no Manager yet: its creator may not assign roles.')
      })
      .catch((error: unknown) => {
        managersMade.delete(key)
        log('warn', `The pool's creator was not made its Manager: ${(error as Error).name}`)
      })
  }

  // ---- run a pool: one poller per cloud session, shared by every window and the tray
  let pools: { session: CloudSession; service: PoolService } | undefined
  const poolLinks = new Map<string, () => void>()
  async function poolService(): Promise<PoolService> {
    const current = await session()
    if (pools?.session !== current) {
      pools?.service.close()
      const service = new PoolService({
        context: (subscriptionId) => current.arm.for(subscriptionId),
        usernameOf: async (context) =>
          (await current.auth.accounts()).find((a) => a.id === context.accountId)?.username,
        subscriptions: () => settings.get().chosenSubscriptionIds,
        // Azure's time: the sandbox's own clock (tests move it forward) when it is the cloud.
        now: () =>
          (current.cloud.name === 'Sandbox' ? sandbox.current?.clock.now() : undefined) ??
          Date.now(),
        ratesFor: async (spec) => (await (await costServices()).prices.ratesFor(spec)).rates,
        events: {
          poolsChanged: (changed, removed) => {
            // A pool's JupyterHub address may be opened in the system browser.
            for (const pool of changed) {
              const key = pool.id.toLowerCase()
              if (pool.jupyterHubUrl && !poolLinks.has(key))
                poolLinks.set(key, links.allow(new URL(pool.jupyterHubUrl).origin))
            }
            for (const id of removed) {
              poolLinks.get(id.toLowerCase())?.()
              poolLinks.delete(id.toLowerCase())
            }
            events.emit('pools.changed', { pools: changed, removed })
            for (const pool of changed) budgetWatch.consider(pool)
            for (const id of removed) budgetWatch.forget(id)
          },
          activity: (poolId, poolName, entries) =>
            events.emit('pools.activity', { poolId, poolName, entries }),
          instancesChanged: (poolId, upserts, removed) =>
            events.emit('pools.instancesChanged', { poolId, upserts, removed }),
          status: (status) => events.emit('pools.pollerStatus', status),
          actionDone: (result) => {
            events.emit('pools.actionDone', result)
            // A deleted pool's hosts leave ~/.ssh/config with it.
            if (result.action === 'deletePool' && result.ok)
              void connect
                .removeSshConfig(result.poolName)
                .catch((error: unknown) =>
                  log(
                    'warn',
                    `The pool's ssh config entries were not removed: ${(error as Error).name}`,
                  ),
                )
          },
        },
        ...(options.pools?.intervals ? { intervals: options.pools.intervals } : {}),
        ...(options.pools?.updateIntervalInMs !== undefined
          ? { updateIntervalInMs: options.pools.updateIntervalInMs }
          : {}),
        log: (message) => log('warn', message),
      })
      pools = { session: current, service }
    }
    return pools.service
  }

  /** After the cloud or client id changed: tell the renderer whose accounts it now sees. */
  async function announceAccounts(): Promise<void> {
    try {
      events.emit('auth.accountsChanged', await (await session()).auth.accounts())
    } catch (error) {
      log('warn', `Accounts could not be listed after a settings change: ${(error as Error).name}`)
    }
  }

  function updateSettings(patch: SettingsUpdate): Settings {
    const before = settings.get()
    const after = settings.update(patch)
    events.emit('settings.changed', after)
    if (before.chosenSubscriptionIds.join() !== after.chosenSubscriptionIds.join())
      pools?.service.poller.touch()
    if (before.cloud !== after.cloud || before.clientId !== after.clientId) void announceAccounts()
    return after
  }

  async function switchCloud(cloud: CloudName): Promise<void> {
    if (settings.get().cloud !== cloud) updateSettings({ cloud })
  }

  const handlers = {
    ...settingsHandlers({ options, session, sandbox, settings, updateSettings }),
    ...sandboxHandlers({ sandbox, switchCloud }),
    ...authHandlers({ session }),
    ...subscriptionHandlers({ session }),
    ...linkHandlers({ openLink }),
    ...costHandlers({ options, session, costServices, poolService, poolSpend }),
    ...deployHandlers({ options, session, sandbox, deployServices, watchedDeployments }),
    ...poolHandlers({ session, poolService, contextOfPool }),
    ...connectHandlers({ connect, mounts }),
    ...filesHandlers({ files }),
    ...teamHandlers({ team, session, poolService, events, poolFiles, poolAccounts, azureNow }),
    ...poolAccountsHandlers({ poolAccounts }),
  } satisfies Handlers

  const router = createRouter(handlers, {
    onFailure: (name, error, cause) => {
      if (error.code === 'Unknown') log('error', `${name} failed: ${describe(cause)}`)
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
      pools?.service.close()
      for (const remove of poolLinks.values()) remove()
      deploy?.service.close()
      for (const remove of sandboxLinks.splice(0)) remove()
      await sandbox.close()
    },
  }
}

/** For the local log: the error's kind and message, which stays on this machine. */
function describe(cause: unknown): string {
  if (cause instanceof Error)
    return `${cause.name}: ${cause.message.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]').slice(0, 300)}`
  return typeof cause
}
