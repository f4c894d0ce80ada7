import type { DeploymentOperation } from '@azure/arm-resourcesdeployments'
import {
  terminalStates,
  type DeploymentRef,
  type DeploymentStatus,
  type PreflightResult,
  type WhatIfResult,
} from '../../../shared/deploy'
import { AppError } from '../../../shared/errors'
import { poolTags } from '../../../shared/pool-tags'
import { poolDeploymentName, type PoolSpec } from '../../../shared/pool-spec'
import type { ArmContext } from '../arm-context'
import { failuresOf } from './azure-errors'
import { armClients, type ArmClients } from './clients'
import { deploymentBody } from './deployment-body'
import {
  abandonJupyterHubApp,
  planJupyterHubSignIn,
  pointJupyterHubApp,
  type JupyterHubPlan,
} from './jupyterhub-sign-in'
import { acceptTerms, errorBody, preflight, type ImagePlan } from './preflight'
import { statusOf } from './progress'
import type { TemplateFiles } from './template-files'
import { whatIf } from './what-if'

export interface DeployServiceOptions {
  /** The ArmContext that reaches a subscription (session.arm.for). */
  contextFor(subscriptionId: string): Promise<ArmContext>
  files: TemplateFiles
  /** Called with every change of a watched deployment. */
  onProgress(status: DeploymentStatus): void
  /** The user principal name for the pool's owner tag. */
  ownerOf?(context: ArmContext): Promise<string | undefined>
  /** How often a running deployment is read; default 3 s. */
  watchIntervalMs?: number
  /** Poll interval of the SDK's long-running operations (validate, what-if); default 2 s. */
  updateIntervalInMs?: number
  now?(): number
  log?(message: string): void
}

const key = (ref: DeploymentRef) =>
  `${ref.subscriptionId}/${ref.resourceGroup}/${ref.deploymentName}`.toLowerCase()

/** Deployment names the app gives pools (poolDeploymentName). */
const poolDeploymentPrefix = poolDeploymentName('')

interface Watch {
  ref: DeploymentRef
  startedAt?: number
  last?: DeploymentStatus
  timer?: ReturnType<typeof setTimeout>
  stopped: boolean
}

/**
 * Deploys pools and watches their deployments: pre-flight, what-if, start (creating the group
 * when it is new), progress from the deployment operations pushed through `onProgress`,
 * cancel, and resuming the watch of running pool deployments after the app restarts.
 */
export class DeployService {
  private readonly watches = new Map<string, Watch>()
  private readonly clients = new Map<string, ArmClients>()
  /** Starts still waiting for Azure to accept them: a second start of the same pool joins. */
  private readonly starting = new Map<string, Promise<DeploymentStatus>>()
  /** Subscriptions whose running pool deployments were looked up (resume). */
  private readonly lookedUp = new Set<string>()
  /** How the JupyterHub of each pool this app deployed signs members in. */
  private readonly jupyterHub = new Map<string, JupyterHubPlan>()
  private resuming: Promise<DeploymentStatus[]> | undefined
  private readonly now: () => number
  private closed = false

  constructor(private readonly options: DeployServiceOptions) {
    this.now = options.now ?? Date.now
  }

  private async clientsFor(subscriptionId: string): Promise<ArmClients> {
    const context = await this.options.contextFor(subscriptionId)
    const cached = this.clients.get(subscriptionId.toLowerCase())
    if (cached && cached.context.credential === context.credential) return cached
    const clients = armClients(context)
    this.clients.set(subscriptionId.toLowerCase(), clients)
    return clients
  }

  private get lroInterval(): number {
    return this.options.updateIntervalInMs ?? 2000
  }

  async preflight(spec: PoolSpec, plan?: ImagePlan): Promise<PreflightResult> {
    const clients = await this.clientsFor(spec.subscriptionId)
    return preflight(spec, clients, this.options.files, {
      ...(plan ? { plan } : {}),
      updateIntervalInMs: this.lroInterval,
    })
  }

  async whatIf(spec: PoolSpec): Promise<WhatIfResult> {
    const clients = await this.clientsFor(spec.subscriptionId)
    return whatIf(spec, clients, this.options.files, this.lroInterval)
  }

  async acceptTerms(subscriptionId: string, plan: ImagePlan): Promise<boolean> {
    return acceptTerms(await this.clientsFor(subscriptionId), plan)
  }

  /**
   * Starts the pool's deployment and watches it; returns the first status. A start of a pool
   * whose deployment is being started already (a double click, a second window) joins it.
   */
  async start(spec: PoolSpec): Promise<DeploymentStatus> {
    const startKey = key({
      subscriptionId: spec.subscriptionId,
      resourceGroup: spec.resourceGroup.name,
      deploymentName: poolDeploymentName(spec.poolName),
    })
    const inFlight = this.starting.get(startKey)
    if (inFlight) return inFlight
    const started = this.startOnce(spec).finally(() => this.starting.delete(startKey))
    this.starting.set(startKey, started)
    return started
  }

  private async startOnce(spec: PoolSpec): Promise<DeploymentStatus> {
    const clients = await this.clientsFor(spec.subscriptionId)
    const ref: DeploymentRef = {
      subscriptionId: clients.context.subscriptionId,
      resourceGroup: spec.resourceGroup.name,
      deploymentName: poolDeploymentName(spec.poolName),
    }
    const existing = this.watches.get(key(ref))
    if (
      existing &&
      !existing.stopped &&
      existing.last &&
      !terminalStates.includes(existing.last.state)
    )
      throw new AppError('Conflict', `The pool '${spec.poolName}' is already being deployed.`)
    const startedAt = this.now()
    const first: DeploymentStatus = {
      ref,
      poolName: spec.poolName,
      location: spec.location,
      state: spec.resourceGroup.mode === 'new' ? 'Creating group' : 'Accepted',
      startedAt: new Date(startedAt).toISOString(),
      elapsedSeconds: 0,
      resources: [],
      failures: [],
    }
    this.options.onProgress(first)
    const owner = await this.options.ownerOf?.(clients.context)
    let hub: JupyterHubPlan | undefined
    try {
      if (spec.resourceGroup.mode === 'new') {
        await clients.resources.resourceGroups.createOrUpdate(spec.resourceGroup.name, {
          location: spec.location,
          tags: { ...spec.tags, [poolTags.pool]: spec.poolName },
        })
      }
      hub = await planJupyterHubSignIn(spec, clients)
      const body = await deploymentBody(spec, clients, this.options.files, owner, hub?.signIn)
      const poller = clients.deployments.deployments.createOrUpdate(
        ref.resourceGroup,
        ref.deploymentName,
        body,
        { updateIntervalInMs: this.lroInterval },
      )
      // Only the request that starts it: progress comes from the watch, not from this poller.
      await poller.submitted()
      if (hub) this.jupyterHub.set(key(ref), hub)
    } catch (error) {
      await abandonJupyterHubApp(clients.context, hub).catch((cause: unknown) =>
        this.options.log?.(`The pool's JupyterHub app was not removed: ${(cause as Error).name}`),
      )
      // Azure is running this deployment already (started from another window or computer):
      // that is not a failure of this pool, so watch the one that runs.
      if (errorBody(error)?.code === 'DeploymentActive') return this.watch(ref, startedAt)
      const failed = this.failedToStart(first, error)
      this.options.onProgress(failed)
      return failed
    }
    return this.watch(ref, startedAt)
  }

  private failedToStart(first: DeploymentStatus, error: unknown): DeploymentStatus {
    if (error instanceof AppError) throw error
    const body = errorBody(error)
    if (!body) throw error
    return {
      ...first,
      state: 'Failed',
      elapsedSeconds: Math.round((this.now() - Date.parse(first.startedAt)) / 1000),
      failures: failuresOf(body),
    }
  }

  /** Reads a deployment now (and keeps watching it while it runs). */
  async status(ref: DeploymentRef): Promise<DeploymentStatus> {
    const watch = this.watches.get(key(ref))
    if (watch?.last && !watch.stopped) return watch.last
    return this.read(ref, watch?.startedAt)
  }

  /** The deployments watched since the app started (running ones first). */
  list(): DeploymentStatus[] {
    return [...this.watches.values()]
      .flatMap((w) => (w.last ? [w.last] : []))
      .sort(
        (a, b) =>
          Number(terminalStates.includes(a.state)) - Number(terminalStates.includes(b.state)) ||
          b.startedAt.localeCompare(a.startedAt),
      )
  }

  async cancel(ref: DeploymentRef): Promise<DeploymentStatus> {
    const clients = await this.clientsFor(ref.subscriptionId)
    try {
      await clients.deployments.deployments.cancel(ref.resourceGroup, ref.deploymentName)
    } catch (error) {
      const body = errorBody(error)
      // Already finished: nothing to cancel, the current status says how it ended.
      if (
        !body ||
        !/DeploymentCannotBeCancelled|cannot be cancel/i.test(`${body.code} ${body.message}`)
      )
        throw error
    }
    return this.refresh(ref)
  }

  /**
   * Finds running pool deployments in the subscriptions (after a restart) and watches them.
   * Each subscription is looked up once it can be reached: one whose account is not signed in
   * yet, or whose lookup failed, is looked up again on the next call. Concurrent calls share
   * one lookup. Returns the statuses found.
   */
  async resume(subscriptionIds: string[]): Promise<DeploymentStatus[]> {
    while (this.resuming) await this.resuming.catch(() => undefined)
    const pending = subscriptionIds.filter((id) => !this.lookedUp.has(id.toLowerCase()))
    if (pending.length === 0) return []
    this.resuming = this.lookUp(pending).finally(() => (this.resuming = undefined))
    return this.resuming
  }

  private async lookUp(subscriptionIds: string[]): Promise<DeploymentStatus[]> {
    const found: DeploymentStatus[] = []
    for (const subscriptionId of subscriptionIds) {
      try {
        found.push(...(await this.lookUpSubscription(subscriptionId)))
        this.lookedUp.add(subscriptionId.toLowerCase())
      } catch (error) {
        this.options.log?.(`Deployments of ${subscriptionId} not checked: ${(error as Error).name}`)
      }
    }
    return found
  }

  private async lookUpSubscription(subscriptionId: string): Promise<DeploymentStatus[]> {
    const found: DeploymentStatus[] = []
    const clients = await this.clientsFor(subscriptionId)
    let missed: unknown
    for await (const group of clients.resources.resourceGroups.list()) {
      if (!group.name) continue
      // One group that cannot be read (being deleted, say) does not hide the others' running
      // deployments; the subscription is looked up again on the next list.
      try {
        found.push(...(await this.lookUpGroup(clients, group.name)))
      } catch (error) {
        missed = error
      }
    }
    if (missed) throw missed
    return found
  }

  private async lookUpGroup(clients: ArmClients, group: string): Promise<DeploymentStatus[]> {
    const found: DeploymentStatus[] = []
    for await (const deployment of clients.deployments.deployments.listByResourceGroup(group)) {
      const name = deployment.name ?? ''
      if (!name.startsWith(poolDeploymentPrefix)) continue
      const state = deployment.properties?.provisioningState ?? ''
      if (/^(Succeeded|Failed|Canceled)$/i.test(state)) continue
      const ref = {
        subscriptionId: clients.context.subscriptionId,
        resourceGroup: group,
        deploymentName: name,
      }
      if (this.watches.has(key(ref))) continue
      found.push(await this.watch(ref))
    }
    return found
  }

  private async watch(ref: DeploymentRef, startedAt?: number): Promise<DeploymentStatus> {
    const watch: Watch = { ref, ...(startedAt ? { startedAt } : {}), stopped: false }
    const previous = this.watches.get(key(ref))
    if (previous) this.stop(previous)
    this.watches.set(key(ref), watch)
    const status = await this.tick(watch)
    return status ?? (await this.read(ref, startedAt))
  }

  private async refresh(ref: DeploymentRef): Promise<DeploymentStatus> {
    const watch = this.watches.get(key(ref))
    if (watch && !watch.stopped) {
      if (watch.timer) clearTimeout(watch.timer)
      const status = await this.tick(watch)
      if (status) return status
    }
    return this.read(ref, watch?.startedAt)
  }

  private async read(ref: DeploymentRef, startedAt?: number): Promise<DeploymentStatus> {
    const clients = await this.clientsFor(ref.subscriptionId)
    const deployment = await clients.deployments.deployments.get(
      ref.resourceGroup,
      ref.deploymentName,
    )
    const operations: DeploymentOperation[] = []
    for await (const operation of clients.deployments.deploymentOperations.list(
      ref.resourceGroup,
      ref.deploymentName,
    ))
      operations.push(operation)
    const status = statusOf(ref, deployment, operations, this.now(), startedAt)
    const hub = this.jupyterHub.get(key(ref))
    return hub ? { ...status, signIn: hub.words } : status
  }

  /** Reads the deployment once, reports a change, and plans the next read while it runs. */
  private async tick(watch: Watch): Promise<DeploymentStatus | undefined> {
    if (watch.stopped || this.closed) return watch.last
    let status: DeploymentStatus | undefined
    try {
      status = await this.read(watch.ref, watch.startedAt)
    } catch (error) {
      this.options.log?.(
        `Reading deployment ${watch.ref.deploymentName} failed: ${(error as Error).name}`,
      )
    }
    if (watch.stopped || this.closed) return status
    if (status) {
      const changed =
        JSON.stringify({ ...status, elapsedSeconds: 0 }) !==
        JSON.stringify(watch.last ? { ...watch.last, elapsedSeconds: 0 } : undefined)
      watch.last = status
      if (changed) this.options.onProgress(status)
      if (terminalStates.includes(status.state)) {
        watch.stopped = true
        if (status.state === 'Succeeded') await this.pointJupyterHub(watch.ref, status)
        return status
      }
    }
    watch.timer = setTimeout(() => void this.tick(watch), this.options.watchIntervalMs ?? 3000)
    return status
  }

  /** An Internal pool's JupyterHub app learns the pool's address once the pool exists. */
  private async pointJupyterHub(ref: DeploymentRef, status: DeploymentStatus): Promise<void> {
    const hub = this.jupyterHub.get(key(ref))
    const url = status.outputs?.jupyterHubUrl
    if (!hub?.redirectAfterDeploy || !url) return
    try {
      await pointJupyterHubApp((await this.clientsFor(ref.subscriptionId)).context, hub, url)
    } catch (error) {
      this.options.log?.(
        `The JupyterHub app of ${ref.deploymentName} does not know the pool's address: ${(error as Error).name}`,
      )
    }
  }

  private stop(watch: Watch): void {
    watch.stopped = true
    if (watch.timer) clearTimeout(watch.timer)
  }

  /** Stops every watch (the deployments go on in Azure). */
  close(): void {
    this.closed = true
    for (const watch of this.watches.values()) this.stop(watch)
  }
}
