import { useEffect, useState } from 'react'
import { toApiError, type ApiError } from '../api'

export type Loaded<T> =
  { status: 'loading' } | { status: 'loaded'; value: T } | { status: 'failed'; error: ApiError }

/**
 * Loads something from main whenever `key` changes; `reload` asks again, and `replace` shows
 * a newer value main already answered (an action's result) without asking again. An answer
 * for a key or round that is no longer current is dropped. With `keepWhileReloading`, a
 * reload of the same key keeps showing what is there until the new answer comes (a card that
 * refreshes after an action does not flash back to "loading").
 */
export function useLoad<T>(
  key: string | undefined,
  load: () => Promise<T>,
  options: { keepWhileReloading?: boolean } = {},
): [Loaded<T>, () => void, (value: T) => void] {
  const [round, setRound] = useState(0)
  const [result, setResult] = useState<{ key: string; round: number; loaded: Loaded<T> }>()
  useEffect(() => {
    if (key === undefined) return
    let current = true
    load().then(
      (value) => current && setResult({ key, round, loaded: { status: 'loaded', value } }),
      (error: unknown) =>
        current &&
        setResult({ key, round, loaded: { status: 'failed', error: toApiError(error) } }),
    )
    return () => {
      current = false
    }
    // `load` closes over what `key` names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round])
  const loaded: Loaded<T> =
    result && result.key === key && (result.round === round || options.keepWhileReloading)
      ? result.loaded
      : { status: 'loading' }
  const reload = () => setRound((r) => r + 1)
  const replace = (value: T) => {
    if (key !== undefined) setResult({ key, round, loaded: { status: 'loaded', value } })
  }
  return [loaded, reload, replace]
}
