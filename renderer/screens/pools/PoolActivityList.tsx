import type { PoolSummary } from '../../../shared/pools'

/** Who changed the pool's size lately: a person, autoscale, a Spot eviction, or someone outside the app. */

const whoLabel = {
  person: 'Person',
  autoscale: 'Autoscale',
  eviction: 'Spot eviction',
  outside: 'Outside the app',
} as const

export function PoolActivityList({ pool }: { pool: PoolSummary }) {
  const entries = pool.activity ?? []
  return (
    <section className="card stack" aria-labelledby="activity-title">
      <h2 id="activity-title">Recent size changes</h2>
      {entries.length === 0 ? (
        <p className="muted">No change to its size was recorded in the last day.</p>
      ) : (
        <ol className="pool-activity" aria-label="Recent size changes">
          {entries.map((entry) => (
            <li key={`${entry.at}-${entry.text}`}>
              <span
                className={`badge ${entry.who === 'outside' || entry.who === 'eviction' ? 'warning' : 'neutral'}`}
              >
                {whoLabel[entry.who]}
              </span>{' '}
              <span>{entry.text}</span>{' '}
              <time className="muted" dateTime={entry.at}>
                {new Date(entry.at).toLocaleString('en-GB', {
                  weekday: 'short',
                  hour: '2-digit',
                  minute: '2-digit',
                })}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
