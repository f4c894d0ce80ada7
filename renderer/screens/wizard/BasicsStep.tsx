import { api } from '../../api'
import { ErrorAlert } from '../../components/Alerts'
import { checkPoolName } from '../../../shared/naming'
import { useSettings, useSubscriptions } from '../../stores'
import type { Draft } from './draft'
import { useLoad } from '../../lib/use-load'
import { Segmented, TextField } from './fields'
import { wizardStore } from './wizard-store'

const noIds: string[] = []

/** Subscription, resource group (new or existing), region and the pool's name. */
export function BasicsStep({
  draft,
  problem,
}: {
  draft: Draft
  problem: (path: string) => string | undefined
}) {
  const wizard = wizardStore.getState()
  const chosen = useSettings((s) => s.settings?.chosenSubscriptionIds ?? noIds)
  const tenants = useSubscriptions((s) => s.tenants)
  const nameOf = (id: string) =>
    tenants.flatMap((t) => t.subscriptions).find((s) => s.id === id)?.displayName ?? id
  const [regions, reloadRegions] = useLoad(draft.subscriptionId, () =>
    api.call('wizard.regions', { subscriptionId: draft.subscriptionId }),
  )
  const [groups, reloadGroups] = useLoad(draft.subscriptionId, () =>
    api.call('wizard.resourceGroups', { subscriptionId: draft.subscriptionId }),
  )
  // As the person types, not only after Next: Azure's naming rules are the first thing to get right.
  const poolNameProblem =
    draft.poolName === '' ? 'Name the pool.' : checkPoolName(draft.poolName, draft.osType)

  return (
    <div className="stack-l">
      <div className="field">
        <label htmlFor="wizard-subscription">Subscription</label>
        <select
          id="wizard-subscription"
          className="select"
          value={draft.subscriptionId}
          onChange={(event) => wizard.set('subscriptionId', event.target.value)}
        >
          {chosen.map((id) => (
            <option key={id} value={id}>
              {nameOf(id)}
            </option>
          ))}
        </select>
        <span className="help">One of the subscriptions you chose. The pool is billed to it.</span>
      </div>

      <TextField
        label="Pool name"
        value={draft.poolName}
        mono
        width="medium"
        onChange={(value) => wizard.rename(value)}
        problem={poolNameProblem ?? problem('poolName')}
        help="3–40 lowercase letters, digits and hyphens. It names the scale set and every resource of the pool."
      />

      <div className="stack">
        <Segmented
          label="Resource group"
          name="wizard-group-mode"
          value={draft.resourceGroup.mode}
          options={[
            { value: 'new', label: 'New' },
            { value: 'existing', label: 'Existing' },
          ]}
          onChange={(mode) =>
            wizard.set('resourceGroup', {
              mode,
              name:
                mode === 'new'
                  ? `${draft.poolName}-rg`
                  : groups.status === 'loaded'
                    ? (groups.value[0]?.name ?? '')
                    : '',
            })
          }
        />
        {draft.resourceGroup.mode === 'new' ? (
          <TextField
            label="New group name"
            value={draft.resourceGroup.name}
            mono
            width="medium"
            onChange={(value) => wizard.set('resourceGroup.name', value)}
            problem={problem('resourceGroup')}
          />
        ) : groups.status === 'failed' ? (
          <ErrorAlert
            error={groups.error}
            title="Couldn’t list the resource groups"
            onRetry={reloadGroups}
          />
        ) : (
          <div className="field">
            <label htmlFor="wizard-group">Existing group</label>
            <select
              id="wizard-group"
              className="select"
              value={draft.resourceGroup.name}
              disabled={groups.status === 'loading'}
              onChange={(event) => wizard.set('resourceGroup.name', event.target.value)}
            >
              {groups.status === 'loaded' && groups.value.length === 0 && (
                <option value="">No resource groups in this subscription</option>
              )}
              {groups.status === 'loaded' &&
                groups.value.map((g) => (
                  <option key={g.name} value={g.name}>
                    {g.name} ({g.location})
                  </option>
                ))}
            </select>
            {problem('resourceGroup') && (
              <span className="field-error">{problem('resourceGroup')}</span>
            )}
          </div>
        )}
      </div>

      {regions.status === 'failed' ? (
        <ErrorAlert
          error={regions.error}
          title="Couldn’t list the regions"
          onRetry={reloadRegions}
        />
      ) : (
        <div className="field">
          <label htmlFor="wizard-region">Region</label>
          <select
            id="wizard-region"
            className="select"
            value={draft.location}
            disabled={regions.status === 'loading'}
            onChange={(event) => wizard.set('location', event.target.value)}
          >
            {regions.status === 'loaded' &&
              !regions.value.some((r) => r.name === draft.location) && (
                <option value={draft.location}>{draft.location}</option>
              )}
            {regions.status === 'loaded' &&
              regions.value.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.displayName} ({r.name})
                </option>
              ))}
          </select>
          <span className="help">
            Pick one close to the team; sizes, prices and quota depend on it.
          </span>
        </div>
      )}
    </div>
  )
}
