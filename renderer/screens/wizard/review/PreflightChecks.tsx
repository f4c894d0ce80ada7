import { useState } from 'react'
import { api, toApiError, type ApiError } from '../../../api'
import { ErrorAlert } from '../../../components/Alerts'
import { Button } from '../../../components/Button'
import { ExternalLink } from '../../../components/ExternalLink'
import { AlertIcon, CheckIcon, InfoIcon } from '../../../components/icons'
import type { PreflightCheck, PreflightFix } from '../../../../shared/deploy'
import { wizardStore } from '../wizard-store'

/** One pre-flight result with its fix buttons (a changed answer, a page, accepting terms). */
export function CheckRow({
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
