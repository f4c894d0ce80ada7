import { toAppError } from '../../ipc/errors'
import type { VirtualMachineScaleSet } from '@azure/arm-compute'
import type { AutoscaleSettingResource } from '@azure/arm-monitor'
import { poolView } from '../../../shared/pool-state'
import { autoscaleFacts } from './autoscale-override'
import type { LoadBalancer } from '@azure/arm-network'
import type { PollerStatus, PoolActivity, PoolInstance, PoolSummary } from '../../../shared/pools'
import {
  activityOf,
  autoscaleText,
  readPoolEvents,
  evictionGroups,
  evictionText,
  type AutoscaleAction,
  type SpotEviction,
  type ObservedChange,
} from './activity'
import { budgetFromTags } from '../cost/pool-budget'
import { poolTags } from '../../../shared/pool-tags'
import { collect, type ArmResponseInfo, type PoolClients } from './arm-clients'
import { costPerHourNow, costSpecOf, type RatesCache } from './cost-now'
import { discoverPools, groupAndName, type PoolRecord } from './discovery'
import {
  countsOf,
  diffInstances,
  instanceOf,
  isChanging,
  natPortsByInstance,
  osOf,
  restoreCapacityOf,
  summaryChanged,
} from './model'

/**
 * The one poller in main (DESIGN.md decision 6), shared by every window and the tray.
 * Per pool and poll: one VM list with $expand=instanceView (never one call per instance), and
 * a load balancer read only when the set of instances changed (NAT ports follow instances).
 * The scale set, its public IP and autoscale setting are read when the pool is found and
 * again while it changes. Pools are discovered by tag every few minutes.
 *
 * Interval: fast while something changes (or right after an action), steady otherwise,
 * slower with no window open; a 429's Retry-After is waited out in full, and the interval
 * stretches as x-ms-ratelimit-remaining-subscription-reads falls. State survives errors: a
 * failed poll keeps the last known pools and says why in the status.
 */

export interface PoolEvents {
  poolsChanged(pools: PoolSummary[], removed: string[]): void
  /** New entries of who changed a pool's size that its user did not make here. */
  activity?(poolId: string, poolName: string, entries: PoolActivity[]): void
  instancesChanged(poolId: string, upserts: PoolInstance[], removed: string[]): void
  status(status: PollerStatus): void
}

export interface PollerTimers {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface PollerIntervals {
  fastMs: number
  steadyMs: number
  idleMs: number
  discoveryMs: number
  /** How long after an action the poller stays fast. */
  actionWindowMs: number
}

export const defaultIntervals: PollerIntervals = {
  fastMs: 3_000,
  steadyMs: 20_000,
  idleMs: 120_000,
  discoveryMs: 300_000,
  actionWindowMs: 180_000,
}

export interface PoolPollerOptions {
  clientsFor(subscriptionId: string): Promise<PoolClients>
  subscriptions(): readonly string[]
  events: PoolEvents
  rates?: RatesCache
  timers?: PollerTimers
  intervals?: Partial<PollerIntervals>
  /** Azure's time (the sandbox's clock when it is the cloud); defaults to timers.now. */
  now?: () => number
  log?: (message: string) => void
}

interface Entry {
  record: PoolRecord
  scaleSet?: VirtualMachineScaleSet
  loadBalancer?: LoadBalancer
  fqdn?: string
  autoscale?: AutoscaleSettingResource
  instances: PoolInstance[]
  instanceKey?: string
  summary?: PoolSummary
  detailsStale: boolean
  /** Counts touch() calls: a read that began before the latest one does not make it fresh. */
  touches?: number
  fastUntil: number
  problem?: string
  /** Autoscale's scale actions read from the Activity Log, by event id. */
  autoscaleActions?: Map<string, AutoscaleAction>
  evictions?: Map<string, SpotEviction>
  activityReadAt?: number
  /** Capacity changes this poller saw (to name those nobody recorded). */
  observed?: ObservedChange[]
}

const activityWindowMs = 24 * 3_600_000
const activityReadGapMs = 30_000

export class ThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Azure asked to wait ${Math.ceil(retryAfterMs / 1000)} s (429 Too Many Requests)`)
  }
}

const realTimers: PollerTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export class PoolPoller {
  private readonly entries = new Map<string, Entry>()
  private readonly intervals: PollerIntervals
  private readonly timers: PollerTimers
  private timer: unknown
  private running: Promise<void> | undefined
  private started = false
  /** Counts stop() calls: a poll that was in flight at a stop neither logs nor reports. */
  private stops = 0
  private windowsOpen = 1
  private discoveredAt: number | undefined
  private discoveredFor = ''
  private throttledUntil = 0
  private remainingReads: number | undefined
  private lastPollAt: number | undefined
  private problem: string | undefined
  private lastStatus = ''
  /** Requests the last poll sent (for the benchmark). */
  requestsLastPoll = 0
  private requestsThisPoll = 0

  constructor(private readonly options: PoolPollerOptions) {
    this.intervals = { ...defaultIntervals, ...options.intervals }
    this.timers = options.timers ?? realTimers
  }

  /** Call from the clients' response meter: sees every request's throttling headers. */
  readonly onResponse = (info: ArmResponseInfo): void => {
    this.requestsThisPoll += 1
    if (info.remainingReads !== undefined)
      this.remainingReads = Math.min(this.remainingReads ?? Infinity, info.remainingReads)
    if (info.status === 429) {
      const waitMs = (info.retryAfterSeconds ?? 10) * 1000
      this.throttledUntil = Math.max(this.throttledUntil, this.timers.now() + waitMs)
    }
  }

  start(): void {
    if (this.started) return
    this.started = true
    this.schedule(0)
  }

  stop(): void {
    this.started = false
    this.stops++
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = undefined
  }

  setWindowsOpen(count: number): void {
    const wasIdle = this.windowsOpen === 0
    this.windowsOpen = count
    if (wasIdle && count > 0 && this.started) this.schedule(0)
  }

  pools(): PoolSummary[] {
    return [...this.entries.values()]
      .map((e) => e.summary)
      .filter((s): s is PoolSummary => s !== undefined)
  }

  instances(poolId: string): PoolInstance[] | undefined {
    return this.entry(poolId)?.instances
  }

  record(poolId: string): PoolRecord | undefined {
    return this.entry(poolId)?.record
  }

  scaleSet(poolId: string): VirtualMachineScaleSet | undefined {
    return this.entry(poolId)?.scaleSet
  }

  autoscaleSetting(poolId: string): AutoscaleSettingResource | undefined {
    return this.entry(poolId)?.autoscale
  }

  /** The largest default capacity of the pool's autoscale profiles (its working size). */
  workingSize(poolId: string): number | undefined {
    const defaults = (this.entry(poolId)?.autoscale?.profiles ?? [])
      .filter((p) => !p.fixedDate)
      .map((p) => Number(p.capacity.default))
      .filter((n) => Number.isInteger(n) && n > 0)
    return defaults.length ? Math.max(...defaults) : undefined
  }

  status(): PollerStatus {
    return {
      intervalMs: this.nextInterval(),
      ...(this.throttledUntil > this.timers.now()
        ? { throttledUntil: new Date(this.throttledUntil).toISOString() }
        : {}),
      ...(this.remainingReads !== undefined ? { remainingReads: this.remainingReads } : {}),
      ...(this.lastPollAt !== undefined
        ? { lastPollAt: new Date(this.lastPollAt).toISOString() }
        : {}),
      ...(this.problem ? { problem: this.problem } : {}),
    }
  }

  /** After an action on a pool: read it again now and stay fast for a while. */
  touch(poolId?: string): void {
    const until = this.timers.now() + this.intervals.actionWindowMs
    for (const entry of this.entries.values()) {
      if (poolId && entry.record.id.toLowerCase() !== poolId.toLowerCase()) continue
      entry.detailsStale = true
      entry.touches = (entry.touches ?? 0) + 1
      entry.fastUntil = until
    }
    if (!poolId) this.discoveredAt = undefined
    if (this.started) this.schedule(0)
  }

  /** Polls now (or joins the poll in flight); resolves when it is done. */
  pollNow(): Promise<void> {
    this.running ??= this.poll().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  // ---- one poll ------------------------------------------------------------------------

  private async poll(): Promise<void> {
    const now = this.timers.now()
    if (now < this.throttledUntil) return
    const stopsBefore = this.stops
    this.requestsThisPoll = 0
    this.remainingReads = undefined
    try {
      const subscriptions = [...this.options.subscriptions()].sort()
      const key = subscriptions.join(',')
      if (
        this.discoveredAt === undefined ||
        key !== this.discoveredFor ||
        now - this.discoveredAt >= this.intervals.discoveryMs
      ) {
        await this.discover(subscriptions)
        this.discoveredFor = key
        this.discoveredAt = this.timers.now()
      }
      for (const entry of [...this.entries.values()]) await this.pollPool(entry)
      this.problem = undefined
    } catch (error) {
      // A poll that was in flight when the app closed fails on a closed connection: nobody
      // is left to tell, and the log may be gone.
      if (this.stops !== stopsBefore) return
      this.problem = describeFailure(error)
      if (isThrottled(error)) {
        const retryAfterMs = retryAfterOf(error) ?? 10_000
        this.throttledUntil = Math.max(this.throttledUntil, this.timers.now() + retryAfterMs)
      }
      this.options.log?.(`Pool poll failed: ${this.problem}`)
    } finally {
      this.requestsLastPoll = this.requestsThisPoll
      this.lastPollAt = this.timers.now()
      if (this.stops === stopsBefore) this.emitStatus()
    }
  }

  private async discover(subscriptions: string[]): Promise<void> {
    const found: PoolRecord[] = []
    for (const subscriptionId of subscriptions) {
      const clients = await this.options.clientsFor(subscriptionId)
      found.push(...(await discoverPools(clients)))
    }
    const ids = new Set(found.map((r) => r.id.toLowerCase()))
    const removed: string[] = []
    for (const [key, entry] of this.entries) {
      if (!ids.has(key)) {
        this.entries.delete(key)
        removed.push(entry.record.id)
      }
    }
    for (const record of found) {
      const existing = this.entries.get(record.id.toLowerCase())
      if (existing) {
        existing.record = record
        existing.detailsStale = true
      } else {
        this.entries.set(record.id.toLowerCase(), {
          record,
          instances: [],
          detailsStale: true,
          fastUntil: 0,
        })
      }
    }
    if (removed.length) this.options.events.poolsChanged([], removed)
  }

  private async pollPool(entry: Entry): Promise<void> {
    const { record } = entry
    const clients = await this.options.clientsFor(record.subscriptionId)
    try {
      if (entry.detailsStale || !entry.scaleSet) await this.readDetails(entry, clients)
      const vms = await collect(
        clients.compute.virtualMachineScaleSetVMs.list(record.resourceGroup, record.scaleSetName, {
          expand: 'instanceView',
        }),
      )
      const instanceKey = vms
        .map((vm) => vm.instanceId ?? '')
        .sort()
        .join(',')
      if (record.loadBalancerId && (instanceKey !== entry.instanceKey || !entry.loadBalancer)) {
        const lb = groupAndName(record.loadBalancerId)
        entry.loadBalancer = await clients.network.loadBalancers.get(lb.resourceGroup, lb.name)
      }
      entry.instanceKey = instanceKey
      const ports = natPortsByInstance(entry.loadBalancer, record.id)
      const instances = vms
        .map((vm) => instanceOf(vm, ports))
        .sort((a, b) => Number(a.instanceId) - Number(b.instanceId))
      const diff = diffInstances(entry.instances, instances)
      entry.instances = instances
      if (diff.upserts.length || diff.removed.length)
        this.options.events.instancesChanged(record.id, diff.upserts, diff.removed)
      entry.problem = undefined
      await this.publish(entry)
      // While instances move or the count differs from the capacity, read the scale set again.
      const capacity = entry.scaleSet?.sku?.capacity ?? 0
      if (instances.some(isChanging) || countsOf(instances).total !== capacity)
        entry.detailsStale = true
    } catch (error) {
      if (statusOf(error) === 404) {
        // The scale set is gone (deleted by someone): find pools again on the next poll.
        this.discoveredAt = undefined
        return
      }
      throw error
    }
  }

  private async readDetails(entry: Entry, clients: PoolClients): Promise<void> {
    const { record, touches } = entry
    const before = entry.scaleSet?.sku?.capacity
    entry.scaleSet = await clients.compute.virtualMachineScaleSets.get(
      record.resourceGroup,
      record.scaleSetName,
    )
    const after = entry.scaleSet.sku?.capacity ?? 0
    if (before !== undefined && before !== after)
      entry.observed = [
        ...(entry.observed ?? []).slice(-9),
        { at: this.azureNow(), from: before, to: after },
      ]
    if (record.publicIpId && entry.fqdn === undefined) {
      const ip = groupAndName(record.publicIpId)
      const address = await clients.network.publicIPAddresses.get(ip.resourceGroup, ip.name)
      entry.fqdn = address.dnsSettings?.fqdn ?? address.ipAddress ?? ''
    }
    if (record.autoscaleId) {
      const setting = groupAndName(record.autoscaleId)
      const found = await clients.monitor.autoscaleSettings.get(setting.resourceGroup, setting.name)
      entry.autoscale = found
    }
    if (record.autoscaleId || isSpot(entry.scaleSet)) await this.readActivity(entry, clients)
    // A change touched in while these reads were in flight may not be in them: read again.
    entry.detailsStale = entry.touches !== touches
  }

  /**
   * Autoscale's scale actions and Spot evictions since the last read (the last day at first).
   * Those new since this poller started are told (notifications); a failed read keeps what
   * was known.
   */
  private async readActivity(entry: Entry, clients: PoolClients): Promise<void> {
    const now = this.azureNow()
    // The Activity Log is not read on every fast poll: at most twice a minute per pool.
    if (entry.activityReadAt !== undefined && now - entry.activityReadAt < activityReadGapMs) return
    const since = Math.max(now - activityWindowMs, (entry.activityReadAt ?? 0) - 10 * 60_000)
    let events: Awaited<ReturnType<typeof readPoolEvents>>
    try {
      events = await readPoolEvents(clients, entry.record, since)
    } catch (error) {
      this.options.log?.(
        `The activity log of ${entry.record.name} could not be read: ${describeFailure(error)}`,
      )
      return
    }
    const first = entry.activityReadAt === undefined
    const freshActions = remember((entry.autoscaleActions ??= new Map()), events.autoscale, now)
    const freshEvictions = remember((entry.evictions ??= new Map()), events.evictions, now)
    entry.activityReadAt = now
    if (first) return
    const name = entry.record.name
    const told: PoolActivity[] = [
      ...freshActions.map((a) => ({
        at: new Date(a.at).toISOString(),
        who: 'autoscale' as const,
        text: `${name}: ${autoscaleText(a, entry.autoscale, now)}`,
      })),
      ...evictionGroups(freshEvictions).map((group) => ({
        at: new Date(group[0]!.at).toISOString(),
        who: 'eviction' as const,
        text: `${name}: ${evictionText(group, evictionPolicyOf(entry.scaleSet), now)}`,
      })),
    ]
    if (told.length) this.options.events.activity?.(entry.record.id, name, told)
  }

  private azureNow(): number {
    return (this.options.now ?? this.timers.now)()
  }

  private async publish(entry: Entry): Promise<void> {
    const summary = await this.summaryOf(entry)
    if (!summary) return
    if (summaryChanged(entry.summary, summary)) {
      entry.summary = summary
      this.options.events.poolsChanged([summary], [])
    }
  }

  private async summaryOf(entry: Entry): Promise<PoolSummary | undefined> {
    const { record, scaleSet } = entry
    if (!scaleSet) return undefined
    const counts = countsOf(entry.instances)
    const capacity = scaleSet.sku?.capacity ?? 0
    const restoreCapacity = restoreCapacityOf(scaleSet.tags)
    let cost: { perHour: number; currency: string } | undefined
    let instancePerHour: number | undefined
    if (this.options.rates) {
      const spec = costSpecOf(scaleSet, entry.loadBalancer, undefined)
      const rates = await this.options.rates.get(spec)
      if (rates) {
        cost = costPerHourNow(spec, rates, counts)
        instancePerHour =
          costPerHourNow(spec, rates, { running: 1, deallocated: 0 }).perHour -
          costPerHourNow(spec, rates, { running: 0, deallocated: 0 }).perHour
      }
    }
    const now = (this.options.now ?? this.timers.now)()
    const view = poolView({
      provisioningState: scaleSet.provisioningState,
      capacity,
      instances: entry.instances,
      ...(restoreCapacity !== undefined ? { restoreCapacity } : {}),
      ...(entry.autoscale ? { autoscale: autoscaleFacts(entry.autoscale, now) } : {}),
      ...(instancePerHour !== undefined
        ? { instancePerHour: round(instancePerHour), currency: cost!.currency }
        : {}),
      now,
    })
    const state = view.state
    const activity = activityOf({
      poolName: record.name,
      scaleSetTags: scaleSet.tags,
      setting: entry.autoscale,
      autoscale: [...(entry.autoscaleActions?.values() ?? [])],
      evictions: [...(entry.evictions?.values() ?? [])],
      evictionPolicy: evictionPolicyOf(scaleSet),
      observed: entry.observed ?? [],
      now,
    })
    const failed = entry.instances.find((i) => i.provisioningState === 'Failed')
    return {
      id: record.id,
      name: record.name,
      subscriptionId: record.subscriptionId,
      resourceGroup: record.resourceGroup,
      region: scaleSet.location,
      os: osOf(scaleSet),
      vmSize: scaleSet.sku?.name ?? '',
      total: counts.total,
      running: counts.running,
      capacity,
      state,
      view,
      ...(activity.length ? { activity } : {}),
      ...(state === 'Failed'
        ? {
            problem: failed
              ? `Instance ${failed.name} failed to provision.`
              : 'The scale set failed to provision.',
          }
        : {}),
      ...(restoreCapacity !== undefined ? { restoreCapacity } : {}),
      autoscaleEnabled: entry.autoscale ? entry.autoscale.enabled !== false : false,
      hasAutoscale: entry.autoscale !== undefined,
      ...(entry.fqdn ? { jupyterHubUrl: `https://${entry.fqdn}:8000/` } : {}),
      ...(cost ? { costPerHour: round(cost.perHour), currency: cost.currency } : {}),
      ...(scaleSet.tags?.[poolTags.owner] ? { owner: scaleSet.tags[poolTags.owner] } : {}),
      ...(budgetFromTags(scaleSet.tags) !== undefined
        ? { budget: budgetFromTags(scaleSet.tags)! }
        : {}),
      ...(scaleSet.etag ? { etag: scaleSet.etag } : {}),
      ownsResourceGroup: record.ownsResourceGroup,
    }
  }

  // ---- timing --------------------------------------------------------------------------

  /** The wait before the next poll, from what the pools are doing and what Azure said. */
  nextInterval(): number {
    const now = this.timers.now()
    const changing = [...this.entries.values()].some(
      (e) =>
        e.fastUntil > now ||
        e.summary?.state === 'Scaling' ||
        e.summary?.state === 'Deploying' ||
        e.detailsStale,
    )
    let interval =
      this.windowsOpen === 0
        ? this.intervals.idleMs
        : changing
          ? this.intervals.fastMs
          : this.intervals.steadyMs
    const remaining = this.remainingReads
    if (remaining !== undefined) {
      if (remaining < 25) interval *= 8
      else if (remaining < 100) interval *= 3
      else if (remaining < 200) interval *= 1.5
    }
    return Math.max(interval, this.throttledUntil - now)
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined
      void this.pollNow().finally(() => {
        if (this.started) this.schedule(this.nextInterval())
      })
    }, delayMs)
  }

  private emitStatus(): void {
    const status = this.status()
    const { lastPollAt: _at, ...compared } = status
    const key = JSON.stringify(compared)
    if (key === this.lastStatus) return
    this.lastStatus = key
    this.options.events.status(status)
  }

  private entry(poolId: string): Entry | undefined {
    return this.entries.get(poolId.toLowerCase())
  }
}

const round = (n: number) => Math.round(n * 10_000) / 10_000

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode
  return typeof status === 'number' ? status : undefined
}

function isThrottled(error: unknown): boolean {
  return statusOf(error) === 429 || error instanceof ThrottledError
}

function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof ThrottledError) return error.retryAfterMs
  const headers = (error as { response?: { headers?: { get(name: string): string | undefined } } })
    ?.response?.headers
  const value = Number(headers?.get('retry-after'))
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined
}

/** What the person reads about a failed poll: words, never the SDK's own text. */
function describeFailure(error: unknown): string {
  if (error instanceof ThrottledError)
    return `Azure asked the app to wait ${Math.ceil(error.retryAfterMs / 1000)} s before reading again; the pools refresh after that.`
  return toAppError(error).message
}

/** Keeps the events of the last day in `known`; returns those it did not know. */
function remember<T extends { id: string; at: number }>(
  known: Map<string, T>,
  events: readonly T[],
  now: number,
): T[] {
  const fresh = events.filter((e) => !known.has(e.id))
  for (const event of events) known.set(event.id, event)
  for (const [id, event] of known) if (now - event.at > activityWindowMs) known.delete(id)
  return fresh
}

const isSpot = (scaleSet: VirtualMachineScaleSet | undefined) =>
  scaleSet?.virtualMachineProfile?.priority?.toLowerCase() === 'spot'

const evictionPolicyOf = (scaleSet: VirtualMachineScaleSet | undefined) =>
  isSpot(scaleSet) ? (scaleSet?.virtualMachineProfile?.evictionPolicy ?? 'Deallocate') : undefined
