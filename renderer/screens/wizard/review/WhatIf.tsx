import { api } from '../../../api'
import { ErrorAlert } from '../../../components/Alerts'
import { Loading } from '../../../components/Spinner'
import type { Draft } from '../draft'
import { useLoad } from '../../../lib/use-load'

/** ARM's what-if of the deployment (or, for a new group, what the template creates). */
export function WhatIf({ draft }: { draft: Draft }) {
  const [result, reload] = useLoad(JSON.stringify(draft), () =>
    api.call('deploy.whatIf', { spec: draft }),
  )
  return (
    <section className="stack" aria-labelledby="what-if-title">
      <h2 id="what-if-title">What will change in Azure</h2>
      {result.status === 'loading' && (
        <Loading label="Asking Azure what the deployment would change…" />
      )}
      {result.status === 'failed' && (
        <ErrorAlert error={result.error} title="No what-if" onRetry={reload} />
      )}
      {result.status === 'loaded' && (
        <>
          {result.value.source === 'newGroup' && (
            <p className="help">The group is new, so everything below is created.</p>
          )}
          <table className="data-table" aria-label="What-if">
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Resource</th>
                <th scope="col">Type</th>
              </tr>
            </thead>
            <tbody>
              {result.value.changes.map((change) => (
                <tr key={`${change.resourceType}/${change.name}`}>
                  <td>
                    <span className={`change-badge ${change.changeType.toLowerCase()}`}>
                      {change.changeType}
                    </span>
                  </td>
                  <td className="mono">
                    {change.name}
                    {change.changes.length > 0 && (
                      <ul className="delta-list">
                        {change.changes.map((c) => (
                          <li key={c}>{c}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="muted">{change.resourceType.replace(/^Microsoft\./, '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
