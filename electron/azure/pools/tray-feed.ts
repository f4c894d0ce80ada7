import type { EventName, EventPayload } from '../../../shared/api'
import type { PoolSummary } from '../../../shared/pools'
import { productName, trayModel, type TrayAction, type TrayModel } from '../../../shared/tray-menu'
import type { EventHub } from '../../ipc/events'
import type { PoolService } from './pool-service'

/**
 * What the tray shows and does, without Electron: it listens to the same events the windows
 * get (from the one poller), keeps the pools, and runs the tray's scale-to-zero toggle
 * through the pool service. A toggle stays "waiting for Azure" until Azure confirms it (or
 * fails), and then a notification says which.
 */

export interface TrayFeedOptions {
  events: EventHub
  pools(): Promise<PoolService>
  notify(notification: { title: string; body: string }): void
  openLink(url: string): Promise<boolean>
  onChange(model: TrayModel): void
}

const key = (id: string) => id.toLowerCase()
const toggles = new Set(['scaleToZero', 'restoreFromZero'])

export class TrayFeed {
  private readonly pools = new Map<string, PoolSummary>()
  private readonly pending = new Set<string>()
  /** The scheduled moment each pool's snooze was offered for. */
  private readonly snoozeOffered = new Map<string, string>()
  private problem: string | undefined
  private loading = true
  private unsubscribe: (() => void) | undefined

  constructor(private readonly options: TrayFeedOptions) {}

  /** Listens for pool events and reads the pools once (which starts the poller). */
  async start(): Promise<void> {
    this.unsubscribe ??= this.options.events.subscribe((name, payload) =>
      this.onEvent(name, payload as never),
    )
    this.changed()
    try {
      const { pools, status } = await (await this.options.pools()).list()
      for (const pool of pools) this.pools.set(key(pool.id), pool)
      this.problem = status.problem
    } catch (error) {
      this.problem = (error as Error).message
    } finally {
      this.loading = false
      this.changed()
    }
  }

  stop(): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
  }

  model(): TrayModel {
    return trayModel({
      pools: [...this.pools.values()],
      pending: this.pending,
      ...(this.problem ? { problem: this.problem } : {}),
      loading: this.loading,
    })
  }

  /** Runs a tray menu action; openApp and quit belong to the Electron adapter. */
  async run(action: TrayAction): Promise<void> {
    if (action.kind === 'openJupyterHub') {
      await this.options.openLink(action.url)
      return
    }
    if (action.kind === 'keepUntil') {
      try {
        await (await this.options.pools()).keepUntil(action.poolId, action.until)
      } catch (error) {
        this.options.notify({
          title: `${action.poolName}: not kept running`,
          body: (error as Error).message,
        })
      }
      return
    }
    if (action.kind !== 'setScaledToZero') return
    const id = key(action.poolId)
    if (this.pending.has(id)) return
    this.pending.add(id)
    this.changed()
    try {
      await (await this.options.pools()).setScaledToZero(action.poolId, action.on)
    } catch (error) {
      this.pending.delete(id)
      this.changed()
      this.options.notify({
        title: `${action.poolName}: ${action.on ? 'scale to zero' : 'bringing back'} failed`,
        body: (error as Error).message,
      })
    }
  }

  private onEvent<N extends EventName>(name: N, payload: EventPayload<N>): void {
    if (name === 'pools.changed') {
      const { pools, removed } = payload as EventPayload<'pools.changed'>
      for (const pool of pools) {
        this.pools.set(key(pool.id), pool)
        this.offerSnooze(pool)
      }
      for (const id of removed) this.pools.delete(key(id))
      this.loading = false
    } else if (name === 'pools.pollerStatus') {
      this.problem = (payload as EventPayload<'pools.pollerStatus'>).problem
    } else if (name === 'pools.activity') {
      // Autoscale (or someone outside the app) changed a pool's size: nobody should wonder why
      // their machine went away.
      const { poolName, entries } = payload as EventPayload<'pools.activity'>
      for (const entry of entries) this.options.notify({ title: poolName, body: entry.text })
      return
    } else if (name === 'pools.actionDone') {
      const done = payload as EventPayload<'pools.actionDone'>
      if (!toggles.has(done.action) || !this.pending.delete(key(done.poolId))) return this.changed()
      this.options.notify({
        title: done.ok ? productName : `${done.poolName}: not done`,
        body: done.message,
      })
    } else return
    this.changed()
  }

  /** Ten minutes before its schedule takes a pool down: once per scheduled moment. */
  private offerSnooze(pool: PoolSummary): void {
    const soon = pool.view.goesDownSoon
    if (!soon || this.snoozeOffered.get(key(pool.id)) === soon.at) return
    this.snoozeOffered.set(key(pool.id), soon.at)
    this.options.notify({
      title: pool.name,
      body: `${pool.name} ${soon.text} (from the tray or the pool's page).`,
    })
  }

  private changed(): void {
    this.options.onChange(this.model())
  }
}
