import { useState } from 'react'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { Loading } from '../../components/Spinner'
import { RefreshIcon } from '../../components/icons'
import type { Draft } from './draft'
import { useLoad } from '../../lib/use-load'
import { Estimate } from './review/Estimate'
import { ParameterFile } from './review/ParameterFile'
import { CheckRow } from './review/PreflightChecks'
import { Summary } from './review/Summary'
import { WhatIf } from './review/WhatIf'
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
