import { AppError } from '../../../shared/errors'
import type {
  AutoscaleSchedule,
  AutoscaleView,
  PollerStatus,
  PoolInstance,
  PoolSummary,
} from '../../../shared/pools'
import type { ArmContext } from '../arm-context'
import { poolClients, type PoolClients } from './arm-clients'
import { poolNotFound } from './pool-not-found'
import { readAutoscaleView, saveAutoscale } from './autoscale-service'
import type { Author } from './change-record'
import { RatesCache, type RatesFor } from './cost-now'
import type { PoolRecord } from './discovery'
import * as actions from './pool-actions'
import { PoolPoller, type PollerIntervals, type PollerTimers, type PoolEvents } from './poller'
import { restoreFromZero, scaleToZero } from './scale-to-zero'
import { checkUntil, endOverride, setOverride } from './overrides'
import { clockText } from '../../../shared/pool-state'
import { poolTags } from '../../../shared/pool-tags'
import { removePoolJupyterHubApp } from '../team/jupyterhub-setup'

/**
 * Everything the app does with running pools, for the IPC handlers and the tray: the list and
 * instances (from the one poller), actions, scale to zero and the autoscale schedule. An
 * action returns when Azure accepted it; `actionDone` reports when Azure finished it (or why
 * it failed), so the tray can notify and the UI can stop its progress indicator.
 */

export type PoolActionName =
  | 'scale'
  | 'startAll'
  | 'stopAll'
  | 'restartInstance'
  | 'deleteInstance'
  | 'protectInstance'
  | 'deletePool'
  | 'scaleToZero'
  | 'restoreFromZero'
  | 'keepUntil'
  | 'endOverride'
  | 'startInstance'
  | 'stopInstance'

export interface ActionDone {
  poolId: string
  poolName: string
  action: PoolActionName
  ok: boolean
  message: string
}

export interface PoolServiceEvents extends PoolEvents {
  actionDone(result: ActionDone): void
}

export interface PoolServiceOptions {
  context(subscriptionId: string): Promise<ArmContext>
  /**
   * The signed-in account's user principal name, recorded with every change the app makes
   * (dsvm-pool-last-change) so a teammate's conflict can name who changed what.
   */
  usernameOf?(context: ArmContext): Promise<string | undefined>
  subscriptions(): readonly string[]
  events: PoolServiceEvents
  ratesFor?: RatesFor
  timers?: PollerTimers
  intervals?: Partial<PollerIntervals>
  /** Sees each action request leave (the benchmark times tray toggles with it). */
  onActionRequest?: (request: { method: string; url: string }) => void
  /** Azure's time now (the sandbox's clock when it is the cloud); defaults to timers.now. */
  now?: () => number
  /** LRO poll interval for actions (tests use 10 ms). */
  updateIntervalInMs?: number
  log?: (message: string) => void
}

export interface ActionStarted {
  accepted: true
  message: string
}

export class PoolService {
  readonly poller: PoolPoller
  private readonly pollClients = new Map<string, Promise<PoolClients>>()
  private readonly actionClients = new Map<string, Promise<PoolClients>>()
  private readonly now: () => number

  constructor(private readonly options: PoolServiceOptions) {
    this.poller = new PoolPoller({
      clientsFor: (subscriptionId) => this.clients(subscriptionId, 'poll'),
      subscriptions: options.subscriptions,
      events: options.events,
      ...(options.ratesFor ? { rates: new RatesCache(options.ratesFor) } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.intervals ? { intervals: options.intervals } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
    this.now = options.now ?? (() => (options.timers ?? { now: Date.now }).now())
  }

  /** The pools as last polled; the first call polls (and starts the poller). */
  async list(): Promise<{ pools: PoolSummary[]; status: PollerStatus }> {
    if (!this.poller.status().lastPollAt) await this.poller.pollNow()
    this.poller.start()
    return { pools: this.poller.pools(), status: this.poller.status() }
  }

  async instances(poolId: string): Promise<PoolInstance[]> {
    await this.recordOf(poolId)
    return this.poller.instances(poolId) ?? []
  }

  refresh(): Promise<void> {
    this.poller.touch()
    return this.poller.pollNow()
  }

  /**
   * Scales to `capacity`. On a pool whose autoscale is on, the size becomes an override that
   * autoscale keeps until `until` (default: the end of today's working hours, or two hours
   * from now), written right after Azure accepted the capacity.
   */
  async scale(poolId: string, capacity: number, etag?: string, until?: string) {
    const keep = await this.overrideUntil(poolId, until)
    return this.act(
      poolId,
      'scale',
      keep ? `Scaling to ${capacity}, kept until ${this.clock(keep)}` : `Scaling to ${capacity}`,
      async (clients, record) => {
        const author = await this.author(record)
        // The capacity write goes first: if a teammate changed the pool since (412), nothing
        // is written. Autoscale evaluates once a minute; the override follows at once.
        const started = await actions.scaleTo(
          clients,
          record,
          capacity,
          etag,
          this.poller.scaleSet(poolId),
          author,
          this.lro(),
        )
        if (keep) await setOverride(clients, record, capacity, keep, author)
        return started
      },
      keep ? `at ${capacity}, kept until ${this.clock(keep)}.` : undefined,
    )
  }

  /** Starts every instance; on a pool with autoscale, keeps them until `until` as a manual size. */
  async startAll(poolId: string, until?: string) {
    const keep = await this.overrideUntil(poolId, until)
    const capacity = this.poller.scaleSet(poolId)?.sku?.capacity ?? 0
    return this.act(
      poolId,
      'startAll',
      keep ? `Starting every instance, kept until ${this.clock(keep)}` : 'Starting every instance',
      async (clients, record) => {
        if (keep && capacity > 0)
          await setOverride(clients, record, capacity, keep, await this.author(record))
        return actions.startAll(clients, record, this.lro())
      },
    )
  }

  /**
   * Keeps the pool at `capacity` (default: what it has now, or its schedule's working size
   * when it is at zero) until `until`: "Start now until …" and "Keep running until …".
   */
  async keepUntil(poolId: string, until: string, capacity?: number) {
    const record = await this.recordOf(poolId)
    if (!record.autoscaleId)
      throw new AppError('Validation', `${record.name} has no autoscale setting to keep it.`)
    const keep = Date.parse(until)
    const size = capacity ?? this.keepSize(poolId)
    return this.act(
      poolId,
      'keepUntil',
      `Keeping ${record.name} at ${size} until ${this.clock(keep)}`,
      async (clients, r) => {
        const author = await this.author(r)
        await setOverride(clients, r, size, keep, author)
        // Autoscale would apply it at its next evaluation; the capacity changes now.
        const seen = this.poller.scaleSet(poolId)
        if ((seen?.sku?.capacity ?? 0) === size) return { done: Promise.resolve() }
        return actions.scaleTo(clients, r, size, undefined, seen, author, this.lro())
      },
      `kept at ${size} until ${this.clock(keep)}.`,
    )
  }

  /** Ends a manual size early: the pool follows its autoscale schedule again. */
  endOverride(poolId: string) {
    return this.act(poolId, 'endOverride', 'Handing the pool back to autoscale', async (c, r) => {
      await endOverride(c, r, await this.author(r))
      return { done: Promise.resolve() }
    })
  }

  /**
   * Deallocates every instance. On a pool with autoscale on, the count is kept until `until`:
   * idle deallocated instances would otherwise look like a reason to scale in, and vanish.
   */
  async stopAll(poolId: string, until?: string) {
    const keep = await this.overrideUntil(poolId, until)
    const capacity = this.poller.scaleSet(poolId)?.sku?.capacity ?? 0
    return this.act(
      poolId,
      'stopAll',
      'Stopping (deallocating) every instance; their disks still cost money',
      async (clients, record) => {
        if (keep && capacity > 0)
          await setOverride(clients, record, capacity, keep, await this.author(record))
        return actions.stopAll(clients, record, this.lro())
      },
    )
  }

  restartInstance(poolId: string, instanceId: string) {
    return this.act(poolId, 'restartInstance', `Restarting instance ${instanceId}`, (c, r) =>
      actions.restartInstance(c, r, instanceId, this.lro()),
    )
  }

  startStopInstance(poolId: string, instanceId: string, start: boolean) {
    return this.act(
      poolId,
      start ? 'startInstance' : 'stopInstance',
      start
        ? `Starting instance ${instanceId}`
        : `Stopping (deallocating) instance ${instanceId}; its disk still costs money`,
      (c, r) => actions.startStopInstance(c, r, instanceId, start, this.lro()),
    )
  }

  deleteInstance(poolId: string, instanceId: string) {
    return this.act(poolId, 'deleteInstance', `Deleting instance ${instanceId}`, (c, r) =>
      actions.deleteInstance(c, r, instanceId, this.lro()),
    )
  }

  protectInstance(poolId: string, instanceId: string, protect: boolean) {
    return this.act(
      poolId,
      'protectInstance',
      protect
        ? `Protecting instance ${instanceId} from scale-in`
        : `Removing scale-in protection from instance ${instanceId}`,
      (c, r) => actions.protectInstance(c, r, instanceId, protect, this.lro()),
    )
  }

  async deletePool(poolId: string, confirmName: string) {
    const record = await this.recordOf(poolId)
    if (confirmName !== record.name)
      throw new AppError('Validation', `Type the pool's name, ${record.name}, to delete it.`)
    // The pool's JupyterHub app registration (docs/team.md) goes after the pool, in Graph.
    const appId = this.poller.scaleSet(poolId)?.tags?.[poolTags.jupyterHubApp]
    let remains: string | undefined
    return this.act(
      poolId,
      'deletePool',
      record.ownsResourceGroup
        ? `Deleting resource group ${record.resourceGroup} with everything in it`
        : `Deleting the resources tagged with ${record.name}`,
      async (c, r) => {
        const started = await actions.deletePool(c, r, this.lro())
        if (!appId) return started
        return {
          done: started.done.then(async () => {
            const context = await this.options.context(r.subscriptionId)
            remains = await removePoolJupyterHubApp(context, appId)
          }),
        }
      },
      () => (remains ? `${doneText.deletePool} ${remains}` : doneText.deletePool),
    )
  }

  /**
   * The scale-to-zero switch. On: protected instances are kept unless the person chose to
   * include them (a scale-in skips protected instances, so they would stay anyway); the
   * result says what still runs. Off: exactly the recorded capacity comes back, kept by an
   * override until `until` when the schedule in force would take it away at once.
   */
  async setScaledToZero(
    poolId: string,
    on: boolean,
    choice: {
      until?: string | undefined
      protectedInstances?: 'include' | 'keep' | undefined
    } = {},
  ) {
    if (on) {
      const kept =
        choice.protectedInstances === 'include'
          ? 0
          : (this.poller.instances(poolId) ?? []).filter(
              (i) => i.protectedFromScaleIn && i.provisioningState !== 'Deleting',
            ).length
      return this.act(
        poolId,
        'scaleToZero',
        kept
          ? `Scaling to zero, keeping ${kept === 1 ? 'the protected instance' : `${kept} protected instances`}`
          : 'Scaling to zero',
        async (c, r) =>
          scaleToZero(c, r, await this.author(r), {
            ...this.lro(),
            ...(choice.protectedInstances ? { protectedInstances: choice.protectedInstances } : {}),
          }),
        kept
          ? `scaled to zero except ${kept === 1 ? '1 protected instance, which is' : `${kept} protected instances, which are`} still running and costing money.`
          : undefined,
      )
    }
    const until = choice.until ? Date.parse(choice.until) : undefined
    let keptUntil: number | undefined
    let capacity: number | undefined
    return this.act(
      poolId,
      'restoreFromZero',
      'Bringing the pool back',
      async (c, r) => {
        const restored = await restoreFromZero(c, r, await this.author(r), {
          ...this.lro(),
          ...(until !== undefined ? { until } : {}),
        })
        keptUntil = restored.keptUntil
        capacity = restored.capacity
        return restored
      },
      () =>
        `the pool is back with ${capacity} instance${capacity === 1 ? '' : 's'}${
          keptUntil !== undefined
            ? `, kept until ${this.clock(keptUntil)} (outside working hours autoscale would take them away)`
            : ''
        }.`,
    )
  }

  async autoscale(poolId: string): Promise<AutoscaleView> {
    const record = await this.recordOf(poolId)
    return readAutoscaleView(await this.clients(record.subscriptionId, 'act'), record, this.now())
  }

  async saveAutoscale(
    poolId: string,
    schedule: AutoscaleSchedule,
    version: string | undefined,
  ): Promise<AutoscaleView> {
    const record = await this.recordOf(poolId)
    const saved = await this.conflictsRefresh(
      poolId,
      saveAutoscale(
        await this.clients(record.subscriptionId, 'act'),
        record,
        schedule,
        version,
        await this.author(record),
      ),
    )
    if (!record.autoscaleId) {
      record.autoscaleId = saved.autoscaleId
      record.taggedIds.push(saved.autoscaleId)
    }
    this.poller.touch(poolId)
    return saved.heldOff
      ? {
          ...saved.view,
          note: 'Saved switched off: the pool is scaled to zero. Autoscale comes back on when you switch scale to zero off.',
        }
      : saved.view
  }

  close(): void {
    this.poller.stop()
  }

  // ---- plumbing --------------------------------------------------------------------------

  /**
   * When a manual size must be kept by autoscale (its setting is on), until when: the time
   * the person picked, else the suggestion of the pool's derived view. Undefined otherwise.
   */
  private async overrideUntil(poolId: string, until: string | undefined) {
    const record = await this.recordOf(poolId)
    const summary = this.poller.pools().find((p) => p.id.toLowerCase() === poolId.toLowerCase())
    if (!record.autoscaleId || !summary?.autoscaleEnabled) return undefined
    const now = this.now()
    const picked = until ? Date.parse(until) : Date.parse(summary.view.suggestedUntil)
    if (!until && !(picked > now + 60_000)) return now + 2 * 3_600_000
    checkUntil(picked, now)
    return picked
  }

  /** The size "keep running" holds: what runs now, or at zero the schedule's working size. */
  private keepSize(poolId: string): number {
    const capacity = this.poller.scaleSet(poolId)?.sku?.capacity ?? 0
    if (capacity > 0) return capacity
    const summary = this.poller.pools().find((p) => p.id.toLowerCase() === poolId.toLowerCase())
    return Math.max(1, summary?.restoreCapacity ?? this.poller.workingSize(poolId) ?? 1)
  }

  /** "20:00", or "Mon 08:00" another day (this computer's time zone). */
  private clock(at: number): string {
    return clockText(new Date(at).toISOString(), this.now())
  }

  private lro(): actions.LroOptions {
    return this.options.updateIntervalInMs !== undefined
      ? { updateIntervalInMs: this.options.updateIntervalInMs }
      : {}
  }

  /** Runs an action's first request; its end is reported through actionDone. */
  private async act(
    poolId: string,
    action: PoolActionName,
    message: string,
    run: (clients: PoolClients, record: PoolRecord) => Promise<actions.Started>,
    doneMessage?: string | (() => string),
  ): Promise<ActionStarted & { done: Promise<ActionDone> }> {
    const record = await this.recordOf(poolId)
    const clients = await this.clients(record.subscriptionId, 'act')
    const started = await this.conflictsRefresh(poolId, run(clients, record))
    this.poller.touch(poolId)
    const report = (ok: boolean, text: string): ActionDone => {
      const result = { poolId: record.id, poolName: record.name, action, ok, message: text }
      this.options.events.actionDone(result)
      this.poller.touch(action === 'deletePool' ? undefined : poolId)
      return result
    }
    const done = started.done.then(
      () =>
        report(
          true,
          `${record.name}: ${
            typeof doneMessage === 'function' ? doneMessage() : (doneMessage ?? doneText[action])
          }`,
        ),
      (error: unknown) =>
        report(
          false,
          `${record.name}: ${message.toLowerCase()} failed: ${(error as Error).message ?? 'unknown error'}`,
        ),
    )
    return { accepted: true, message: `${message}…`, done }
  }

  /** Who is changing a pool now: the account that reaches its subscription. */
  private async author(record: PoolRecord): Promise<Author> {
    const { usernameOf, context } = this.options
    const by = usernameOf
      ? await usernameOf(await context(record.subscriptionId)).catch(() => undefined)
      : undefined
    return { by, now: this.now }
  }

  /** After a Conflict the poller reads Azure at once, so the list shows the fresh state. */
  private async conflictsRefresh<T>(poolId: string, work: Promise<T>): Promise<T> {
    try {
      return await work
    } catch (error) {
      if (error instanceof AppError && error.code === 'Conflict') {
        this.poller.touch(poolId)
        await this.poller.pollNow().catch(() => undefined)
      }
      throw error
    }
  }

  private async recordOf(poolId: string): Promise<PoolRecord> {
    let record = this.poller.record(poolId)
    if (!record) {
      await this.poller.pollNow()
      record = this.poller.record(poolId)
    }
    if (!record) throw poolNotFound()
    return record
  }

  private clients(subscriptionId: string, use: 'poll' | 'act'): Promise<PoolClients> {
    const cache = use === 'poll' ? this.pollClients : this.actionClients
    const key = subscriptionId.toLowerCase()
    let found = cache.get(key)
    if (!found) {
      found = this.options.context(subscriptionId).then((context) =>
        poolClients(context, {
          onResponse: this.poller.onResponse,
          ...(use === 'poll' ? { maxRetries: 0 } : {}),
          ...(use === 'act' && this.options.onActionRequest
            ? { onRequest: this.options.onActionRequest }
            : {}),
        }),
      )
      found.catch(() => cache.delete(key))
      cache.set(key, found)
    }
    return found
  }
}

const doneText: Record<PoolActionName, string> = {
  scale: 'Azure finished scaling.',
  startAll: 'every instance is running.',
  stopAll: 'every instance is deallocated. Their disks still cost money.',
  restartInstance: 'the instance restarted.',
  deleteInstance: 'the instance is deleted.',
  protectInstance: 'scale-in protection changed.',
  deletePool: 'the pool is deleted.',
  scaleToZero:
    'scaled to zero. Only the share, the public IP and the load balancer cost money now.',
  restoreFromZero: 'the pool is back.',
  keepUntil: 'kept.',
  startInstance: 'the instance is running.',
  stopInstance: 'the instance is deallocated. Its disk still costs money.',
  endOverride: 'autoscale follows its schedule again.',
}
