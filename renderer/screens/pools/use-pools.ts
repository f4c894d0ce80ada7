import { useStore } from 'zustand'
import { api } from '../../api'
import { createPoolsStore, type PoolsState } from './pools-store'

/** The app's one pools store, wired to the API client. */
export const poolsStore = createPoolsStore(api)

export const usePools = <T>(selector: (state: PoolsState) => T): T => useStore(poolsStore, selector)
