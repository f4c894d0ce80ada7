import { useState } from 'react'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert, Notice } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { CopyButton } from '../../components/CopyButton'
import { ExternalLink } from '../../components/ExternalLink'
import { Loading } from '../../components/Spinner'
import { AlertIcon, CheckIcon, InfoIcon, RefreshIcon } from '../../components/icons'
import { costInputsOf, estimateExclusions } from '../../../shared/cost'
import { formatMoney } from '../../../shared/cost/format'
import type { PreflightCheck, PreflightFix } from '../../../shared/deploy'
import type { Draft } from './draft'
import { useLoad } from './fields'
import { wizardStore } from './wizard-store'

/**
 * Everything before Deploy: a plain summary, the estimate (schedule vs always on), pre-flight
 * checks with their fixes, ARM's what-if, the parameter file with secrets masked, the az
 * commands, Export, and Deploy.
 */
export function ReviewStep({ draft }: { draft: Draft }) {
  const key = JSON.stringify(draft)
  const [preflight, rerunPreflight] = useLoad(key, () =>
    api.call('deploy.preflight', { spec: draft }),
  )
  const [deploying, setDeploying] = useState(false)
  const [deployError, setDeployError] = useState<ApiError | undefined>()

  const deploy = async () => {
    setDeploying(true)
    setDeployError(undefined)
    try {
      const status = await api.call('deploy.start', { spec: draft })
      wizardStore.getState().watch(status.ref)
    } catch (error) {
      setDeployError(toApiError(error))
    } finally {
      setDeploying(false)
    }
  }
  const ready = preflight.status === 'loaded' && preflight.value.ready

  return (
    <div className="stack-l">
      <Summary draft={draft} />
      <Estimate draft={draft} />
      <section className="stack" aria-labelledby="preflight-title">
        <div className="section-header">
          <h2 id="preflight-title">Pre-flight checks</h2>
          <Button
            size="small"
            icon={<RefreshIcon />}
            onClick={rerunPreflight}
            busy={preflight.status === 'loading'}
          >
            Check again
          </Button>
        </div>
        {preflight.status === 'loading' && (
          <Loading label="Checking permissions, quota, size and names…" />
        )}
        {preflight.status === 'failed' && (
          <ErrorAlert
            error={preflight.error}
            title="The checks could not run"
            onRetry={rerunPreflight}
          />
        )}
        {preflight.status === 'loaded' && (
          <ul className="check-list" aria-label="Pre-flight results">
            {preflight.value.checks.map((check) => (
              <CheckRow
                key={check.id}
                check={check}
                subscriptionId={draft.subscriptionId}
                onFixed={rerunPreflight}
              />
            ))}
          </ul>
        )}
      </section>
      <WhatIf draft={draft} />
      <ParameterFile draft={draft} />
      <div className="sticky-footer">
        <span className="muted">
          {preflight.status === 'loading'
            ? 'Waiting for the pre-flight checks…'
            : ready
              ? 'Ready to deploy. It takes a few minutes; you can close the app meanwhile.'
              : 'Solve the pre-flight problems above to deploy.'}
        </span>
        <Button
          variant="primary"
          size="large"
          disabled={!ready}
          busy={deploying}
          onClick={() => void deploy()}
        >
          Deploy pool
        </Button>
      </div>
      {deployError && <ErrorAlert error={deployError} title="The deployment did not start" />}
    </div>
  )
}

function Summary({ draft }: { draft: Draft }) {
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

function Estimate({ draft }: { draft: Draft }) {
  const inputs = costInputsOf(draft)
  const [estimate, reload] = useLoad(JSON.stringify(inputs), () =>
    api.call('cost.estimate', {
      spec: inputs.spec,
      ...(inputs.schedule ? { schedule: inputs.schedule } : {}),
    }),
  )
  return (
    <section className="stack" aria-labelledby="estimate-title">
      <h2 id="estimate-title">Estimated cost</h2>
      {estimate.status === 'loading' && <Loading label="Pricing the pool…" />}
      {estimate.status === 'failed' && (
        <ErrorAlert error={estimate.error} title="No estimate for these answers" onRetry={reload} />
      )}
      {estimate.status === 'loaded' && (
        <>
          <div className="figures">
            <Figure
              label="Per hour, all instances running"
              value={formatMoney(
                estimate.value.estimate.perHourRunning,
                estimate.value.estimate.currency,
                { precise: true },
              )}
            />
            <Figure
              label={inputs.schedule ? 'Per month on your schedule' : 'Per month'}
              value={formatMoney(
                estimate.value.estimate.perMonthOnSchedule,
                estimate.value.estimate.currency,
              )}
              strong
            />
            {inputs.schedule && (
              <Figure
                label="Per month if always on"
                value={formatMoney(
                  estimate.value.estimate.perMonthAlwaysOn,
                  estimate.value.estimate.currency,
                )}
              />
            )}
            {inputs.schedule && estimate.value.estimate.savingsPerMonth > 0 && (
              <Figure
                label="Saved by the schedule"
                value={formatMoney(
                  estimate.value.estimate.savingsPerMonth,
                  estimate.value.estimate.currency,
                )}
              />
            )}
          </div>
          <p className="help">
            Retail prices{estimate.value.note ? ` (${estimate.value.note})` : ''}, without discounts
            or taxes; not included: {estimateExclusions.join(', ')}.
          </p>
        </>
      )}
    </section>
  )
}

function Figure({
  label,
  value,
  strong = false,
}: {
  label: string
  value: string
  strong?: boolean
}) {
  return (
    <div className={`figure${strong ? ' strong' : ''}`}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </div>
  )
}

function CheckRow({
  check,
  subscriptionId,
  onFixed,
}: {
  check: PreflightCheck
  subscriptionId: string
  onFixed: () => void
}) {
  const icon =
    check.status === 'ok' ? (
      <CheckIcon />
    ) : check.status === 'skipped' ? (
      <InfoIcon />
    ) : (
      <AlertIcon />
    )
  return (
    <li className={`check ${check.status}`}>
      <span className="check-icon" aria-hidden="true">
        {icon}
      </span>
      <div className="stack-tight check-body">
        <span className="check-title">
          {check.title}
          <span className="visually-hidden">: {check.status}</span>
        </span>
        <span className="check-message">{check.message}</span>
        {check.fixes.length > 0 && (
          <div className="row">
            {check.fixes.map((fix) => (
              <FixButton
                key={fix.label}
                fix={fix}
                subscriptionId={subscriptionId}
                onFixed={onFixed}
              />
            ))}
          </div>
        )}
      </div>
    </li>
  )
}

function FixButton({
  fix,
  subscriptionId,
  onFixed,
}: {
  fix: PreflightFix
  subscriptionId: string
  onFixed: () => void
}) {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | undefined>()
  if (fix.kind === 'link') return <ExternalLink href={fix.url}>{fix.label}</ExternalLink>
  if (fix.kind === 'change') {
    return (
      <Button
        size="small"
        onClick={() => {
          const wizard = wizardStore.getState()
          wizard.set(fix.field, fix.value)
          const draft = wizard.draft
          if (fix.field === 'instanceCount' && draft && typeof fix.value === 'number') {
            if (draft.autoscale.default > fix.value) wizard.set('autoscale.default', fix.value)
          }
        }}
      >
        {fix.label}
      </Button>
    )
  }
  const accept = async () => {
    setBusy(true)
    setError(undefined)
    try {
      await api.call('deploy.acceptTerms', {
        subscriptionId,
        publisher: fix.publisher,
        offer: fix.offer,
        plan: fix.plan,
      })
      onFixed()
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }
  return confirming ? (
    <div className="stack-tight">
      <span>
        Accept the terms of {fix.publisher} / {fix.offer} / {fix.plan} for every deployment in this
        subscription?
      </span>
      <div className="row">
        <Button size="small" variant="primary" busy={busy} onClick={() => void accept()}>
          Accept terms
        </Button>
        <Button size="small" variant="ghost" onClick={() => setConfirming(false)}>
          Not now
        </Button>
      </div>
      {error && <ErrorAlert error={error} title="The terms were not accepted" />}
    </div>
  ) : (
    <Button size="small" onClick={() => setConfirming(true)}>
      {fix.label}
    </Button>
  )
}

function WhatIf({ draft }: { draft: Draft }) {
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

/** The parameter file shown with its long mount script folded to one line. */
function shownFile(file: Record<string, unknown>): string {
  const parameters = { ...(file.parameters as Record<string, { value: unknown }>) }
  const script = parameters.mountScript?.value
  if (typeof script === 'string')
    parameters.mountScript = {
      value: `(resources/scripts mount script, ${script.split('\n').length} lines)`,
    }
  return JSON.stringify({ ...file, parameters }, null, 2)
}

function ParameterFile({ draft }: { draft: Draft }) {
  const [review, reload] = useLoad(JSON.stringify(draft), () =>
    api.call('wizard.review', { spec: draft }),
  )
  if (review.status === 'failed') return <ErrorAlert error={review.error} onRetry={reload} />
  if (review.status === 'loading') return <Loading label="Writing the parameter file…" />
  const { parameterFile, exportFile, azCommands, deploymentName } = review.value
  const commands = azCommands.join('\n\n')
  const exportIt = () => {
    const blob = new Blob([`${JSON.stringify(exportFile, null, 2)}\n`], {
      type: 'application/json',
    })
    const url = URL.createObjectURL(blob)
    const link = document.createElement('a')
    link.href = url
    link.download = `${draft.poolName}.parameters.json`
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 1_000)
  }
  return (
    <section className="stack" aria-labelledby="files-title">
      <div className="section-header">
        <h2 id="files-title">Parameter file and commands</h2>
        <Button size="small" onClick={exportIt}>
          Export parameter file
        </Button>
      </div>
      <Notice>
        <p>
          The deployment is named <span className="mono">{deploymentName}</span>. Secure values are
          masked here and left out of the export.
        </p>
      </Notice>
      <details className="code-details">
        <summary>Parameter file (dsvm-pool.parameters.json)</summary>
        <pre className="code-block" aria-label="Parameter file">
          {shownFile(parameterFile)}
        </pre>
      </details>
      <details className="code-details">
        <summary>The same with the Azure CLI</summary>
        <pre className="code-block" aria-label="Azure CLI commands">
          {commands}
        </pre>
        <CopyButton text={commands} label="Copy commands" />
      </details>
    </section>
  )
}
