import type { Draft } from '../draft'

/** The answers in plain words. */
export function Summary({ draft }: { draft: Draft }) {
  const schedule = draft.autoscale.enabled ? draft.autoscale.schedule : null
  const rows: Array<[string, string]> = [
    ['Pool', `${draft.poolName} in ${draft.location}`],
    [
      'Resource group',
      `${draft.resourceGroup.name} (${draft.resourceGroup.mode === 'new' ? 'new' : 'existing'})`,
    ],
    [
      'Machines',
      `${draft.instanceCount} × ${draft.vmSku}, ${draft.osType === 'Linux' ? 'Ubuntu 22.04' : 'Windows Server 2022'} Data Science VM, ${draft.priority === 'Spot' ? `Spot (${draft.evictionPolicy.toLowerCase()} on eviction)` : 'regular priority'}`,
    ],
    [
      'Scaling',
      draft.autoscale.enabled
        ? `${draft.autoscale.minimum}–${draft.autoscale.maximum} instances${schedule ? `, ${schedule.days.map((d) => d.slice(0, 3)).join(' ')} ${schedule.start}–${schedule.end} (${schedule.timeZone}), zero outside` : ', at all times'}`
        : 'Fixed size, no autoscale',
    ],
    [
      'Sign-in',
      `${draft.adminUsername} with ${draft.osType === 'Linux' ? 'an SSH key' : 'a password'}; from ${draft.allowedSourceRanges.join(', ')}`,
    ],
    [
      'Teammates sign in',
      draft.osType === 'Linux' && draft.teamAccess === 'poolAccounts'
        ? 'with pool accounts: each makes a user name and JupyterHub password on the pool’s page'
        : 'with their own Microsoft accounts',
    ],
    [
      'Members',
      draft.osType === 'Linux' && draft.teamAccess === 'poolAccounts'
        ? 'No pool accounts yet: teammates add their own once the pool exists'
        : 'You, as the first Manager (when you may assign roles on its group); add teammates under Team on the pool’s page',
    ],
    [
      'Reached at',
      draft.network.access === 'Public'
        ? `https://${draft.network.dnsLabel}.${draft.location}.cloudapp.azure.com:8000 (JupyterHub)`
        : 'an internal address of the pool’s network',
    ],
    [
      'Share',
      `${draft.storage.accountName}/${draft.storage.shareName} (${draft.storage.mode === 'new' ? 'new' : 'existing'}) at ${draft.storage.mountpointPath}`,
    ],
  ]
  return (
    <section className="card stack" aria-labelledby="summary-title">
      <h2 id="summary-title">Summary</h2>
      <dl className="summary-list">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
