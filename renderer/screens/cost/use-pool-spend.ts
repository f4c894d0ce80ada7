import { useEffect, useState } from 'react'
import type { CallOutput } from '../../../shared/api'
import { api, toApiError, type ApiError } from '../../api'

export type PoolSpendView = CallOutput<'cost.poolSpend'>

export type SpendLoad =
  | { status: 'loading' }
  | { status: 'loaded'; spend: PoolSpendView; refreshing: boolean }
  | { status: 'failed'; error: ApiError }

type Outcome = { ok: true; spend: PoolSpendView } | { ok: false; error: ApiError }

/**
 * A pool's spend and budget status from main (which caches Cost Management's answer and
 * honours its throttling). Loads again when the pool or its budget changes; `refresh` asks
 * Cost Management again, showing the figures it has meanwhile.
 */
export function usePoolSpend(poolId: string, budget: number | undefined) {
  const key = `${poolId}|${budget ?? ''}`
  const [request, setRequest] = useState({ round: 0, refresh: false })
  const [result, setResult] = useState<{ key: string; round: number; outcome: Outcome }>()

  useEffect(() => {
    let current = true
    api
      .call('cost.poolSpend', { poolId, ...(request.refresh ? { refresh: true } : {}) })
      .then(
        (spend): Outcome => ({ ok: true, spend }),
        (error: unknown): Outcome => ({ ok: false, error: toApiError(error) }),
      )
      .then((outcome) => {
        if (current) setResult({ key, round: request.round, outcome })
      })
    return () => {
      current = false
    }
    // `key` names the pool and its budget; `request` a refresh.
  }, [key, poolId, request])

  let load: SpendLoad = { status: 'loading' }
  if (result && result.key === key) {
    const settled = result.round === request.round
    if (result.outcome.ok)
      load = { status: 'loaded', spend: result.outcome.spend, refreshing: !settled }
    else if (settled) load = { status: 'failed', error: result.outcome.error }
  }
  return {
    load,
    refresh: () => setRequest((r) => ({ round: r.round + 1, refresh: true })),
    reload: () => setRequest((r) => ({ round: r.round + 1, refresh: false })),
  }
}
