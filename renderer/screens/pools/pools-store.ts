import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EventPayload } from '../../../shared/api'
import type { PollerStatus, PoolInstance, PoolSummary } from '../../../shared/pools'
import { toApiError, type ApiError } from '../../api/api-error'
import type { ApiClient } from '../../api/client'

/**
 * The renderer's copy of what main's poller knows: pools, the instances of pools that are
 * open, the poller's status, and actions in flight. Filled by one `pools.list` and then only
 * by events (the renderer never polls Azure).
 */

export interface RunningAction {
  message: string
  /** Set when Azure reported the end of the action. */
  result?: { ok: boolean; message: string }
}

export interface GoneInstance {
  name: string
  /** The latest size change of the pool when it went: who and why. */
  why: string
}

export interface PoolsState {
  status: 'idle' | 'loading' | 'loaded' | 'failed'
  error?: ApiError
  pools: Record<string, PoolSummary>
  pollerStatus?: PollerStatus
  /** Instances by pool id, then by instance id (only for pools that were opened). */
  instances: Record<string, Record<string, PoolInstance>>
  selectedPoolId?: string
  actions: Record<string, RunningAction>
  /** Instances that went away while the pool was open, and why (newest first, by pool). */
  gone: Record<string, GoneInstance[]>
  load(): Promise<void>
  refresh(): Promise<void>
  select(poolId: string | undefined): void
  loadInstances(poolId: string): Promise<void>
  /** Runs an action; its message shows until Azure reports the end. */
  run(poolId: string, start: () => Promise<{ message: string }>): Promise<void>
  dismissAction(poolId: string): void
  applyPoolsChanged(payload: EventPayload<'pools.changed'>): void
  applyInstancesChanged(payload: EventPayload<'pools.instancesChanged'>): void
}

export type PoolsStore = StoreApi<PoolsState>

const key = (id: string) => id.toLowerCase()

export function createPoolsStore(client: ApiClient): PoolsStore {
  const store = createStore<PoolsState>()((set, get) => ({
    status: 'idle',
    pools: {},
    instances: {},
    actions: {},
    gone: {},

    async load() {
      set({ status: 'loading' })
      try {
        const { pools, status } = await client.call('pools.list')
        set({
          status: 'loaded',
          pools: Object.fromEntries(pools.map((p) => [key(p.id), p])),
          pollerStatus: status,
        })
        delete get().error
      } catch (error) {
        set({ status: 'failed', error: toApiError(error) })
      }
    },

    async refresh() {
      try {
        await client.call('pools.refresh')
        await get().load()
      } catch (error) {
        set({ error: toApiError(error) })
      }
    },

    select(poolId) {
      set({ selectedPoolId: poolId })
      if (poolId) void get().loadInstances(poolId)
    },

    async loadInstances(poolId) {
      const list = await client.call('pools.instances', { poolId })
      set({
        instances: {
          ...get().instances,
          [key(poolId)]: Object.fromEntries(list.map((i) => [i.instanceId, i])),
        },
      })
    },

    async run(poolId, start) {
      const id = key(poolId)
      try {
        const started = await start()
        set({ actions: { ...get().actions, [id]: { message: started.message } } })
      } catch (error) {
        const failure = toApiError(error)
        set({
          actions: {
            ...get().actions,
            [id]: { message: '', result: { ok: false, message: failure.message } },
          },
        })
        if (failure.code === 'Conflict') await get().load()
      }
    },

    dismissAction(poolId) {
      const { [key(poolId)]: _gone, ...rest } = get().actions
      set({ actions: rest })
    },

    applyPoolsChanged({ pools, removed }) {
      const next = { ...get().pools }
      for (const pool of pools) next[key(pool.id)] = pool
      for (const id of removed) delete next[key(id)]
      const selected = get().selectedPoolId
      set({
        pools: next,
        ...(selected && removed.some((id) => key(id) === key(selected))
          ? { selectedPoolId: undefined }
          : {}),
      })
    },

    applyInstancesChanged({ poolId, upserts, removed }) {
      const id = key(poolId)
      const current = get().instances[id]
      if (!current) return
      const next = { ...current }
      for (const instance of upserts) next[instance.instanceId] = instance
      const why =
        get().pools[id]?.activity?.[0]?.text ?? 'Azure deleted it; no change was recorded yet.'
      const went = removed
        .filter((gone) => current[gone])
        .map((gone) => ({ name: current[gone]!.name, why }))
      for (const gone of removed) delete next[gone]
      set({
        instances: { ...get().instances, [id]: next },
        ...(went.length
          ? { gone: { ...get().gone, [id]: [...went, ...(get().gone[id] ?? [])].slice(0, 5) } }
          : {}),
      })
    },
  }))

  client.on('pools.changed', (payload) => store.getState().applyPoolsChanged(payload))
  client.on('pools.instancesChanged', (payload) => store.getState().applyInstancesChanged(payload))
  client.on('pools.pollerStatus', (status) => store.setState({ pollerStatus: status }))
  client.on('pools.actionDone', (done) => {
    const id = key(done.poolId)
    const state = store.getState()
    store.setState({
      actions: {
        ...state.actions,
        [id]: {
          message: state.actions[id]?.message ?? '',
          result: { ok: done.ok, message: done.message },
        },
      },
    })
  })
  return store
}
