import { useEffect, useRef, useState } from 'react'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert, Notice } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { Loading } from '../../components/Spinner'
import { terminalStates } from '../../../shared/deploy'
import type { PoolSpecDraft } from '../../../shared/pool-spec'
import { useSettings } from '../../stores'
import { AccessStep } from './AccessStep'
import { BasicsStep } from './BasicsStep'
import { DeployProgress } from './DeployProgress'
import { problemAt, problemsOf, stepProblems, steps, visibleProblems, type StepId } from './draft'
import { MachinesStep } from './MachinesStep'
import { ReviewStep } from './ReviewStep'
import { ScalingStep } from './ScalingStep'
import { StorageStep } from './StorageStep'
import { useWizard, wizardStore } from './wizard-store'
import '../../styles/wizard.css'

const maxParameterFileBytes = 262_144
const noIds: string[] = []

/** Create a pool: six steps of answers, then the deployment's progress. */
export function WizardScreen() {
  const chosen = useSettings((s) => s.settings?.chosenSubscriptionIds ?? noIds)
  const draft = useWizard((s) => s.draft)
  const step = useWizard((s) => s.step)
  const checked = useWizard((s) => s.checked)
  const touched = useWizard((s) => s.touched)
  const found = useWizard((s) => s.found)
  const deployment = useWizard((s) => s.deployment)
  const [resumeChecked, setResumeChecked] = useState(false)

  useEffect(() => {
    if (chosen[0] && !draft) wizardStore.getState().start(chosen[0])
  }, [chosen, draft])

  // After a restart: a pool deployment still running is shown instead of empty answers.
  useEffect(() => {
    let current = true
    api.call('deploy.list').then(
      (list) => {
        const running = list.find((d) => !terminalStates.includes(d.state))
        if (current && running && !wizardStore.getState().deployment)
          wizardStore.getState().watch(running.ref)
        if (current) setResumeChecked(true)
      },
      () => current && setResumeChecked(true),
    )
    return () => {
      current = false
    }
  }, [])

  if (deployment) {
    return (
      <main className="page wizard" aria-labelledby="wizard-title">
        <DeployProgress deployment={deployment} />
      </main>
    )
  }
  if (!draft || !resumeChecked) {
    return (
      <main className="page wizard" aria-labelledby="wizard-title">
        <h1 id="wizard-title">Create a pool</h1>
        {chosen.length === 0 ? (
          <p>Choose a subscription first (Subscriptions).</p>
        ) : (
          <Loading label="Preparing the wizard…" />
        )}
      </main>
    )
  }

  const problems = problemsOf(draft)
  const index = steps.findIndex((s) => s.id === step)
  const current = stepProblems({ ...problems, ...found }, step)
  const shown = stepProblems(
    visibleProblems(draft, problems, { checked: checked.includes(step), touched, found }),
    step,
  )
  const problem = (path: string) => problemAt(shown, path)
  const next = () => {
    wizardStore.getState().check(step)
    if (Object.keys(current).length === 0) wizardStore.getState().go(steps[index + 1]!.id)
  }
  const body =
    step === 'basics' ? (
      <BasicsStep draft={draft} problem={problem} />
    ) : step === 'machines' ? (
      <MachinesStep draft={draft} problem={problem} />
    ) : step === 'scaling' ? (
      <ScalingStep draft={draft} problem={problem} />
    ) : step === 'access' ? (
      <AccessStep draft={draft} problem={problem} />
    ) : step === 'storage' ? (
      <StorageStep draft={draft} problem={problem} />
    ) : Object.keys(problems).length > 0 ? (
      <Unfinished problems={problems} />
    ) : (
      <ReviewStep draft={draft} />
    )

  return (
    <main className="page wizard" aria-labelledby="wizard-title">
      <div className="page-header">
        <div className="stack">
          <h1 id="wizard-title">Create a pool</h1>
          <p className="muted">
            A shared pool of Data Science VMs with JupyterHub, SSH and a shared folder.
          </p>
        </div>
        <ImportButton />
      </div>
      <ImportSummary />
      <nav aria-label="Wizard steps">
        <ol className="wizard-steps">
          {steps.map((s, i) => {
            const bad =
              checked.includes(s.id) &&
              s.id !== 'review' &&
              Object.keys(stepProblems(problems, s.id)).length > 0
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`wizard-step${bad ? ' has-problem' : ''}`}
                  aria-current={s.id === step ? 'step' : undefined}
                  onClick={() => wizardStore.getState().go(s.id)}
                >
                  <span className="wizard-step-number" aria-hidden="true">
                    {i + 1}
                  </span>
                  {s.label}
                </button>
              </li>
            )
          })}
        </ol>
      </nav>
      <section className="card wizard-body" aria-label={steps[index]!.label}>
        {body}
      </section>
      {step !== 'review' && (
        <div className="wizard-footer">
          <Button
            disabled={index === 0}
            onClick={() => wizardStore.getState().go(steps[index - 1]!.id)}
          >
            Back
          </Button>
          {Object.keys(shown).length > 0 && (
            <span className="field-error">Correct the answers marked above to go on.</span>
          )}
          <Button variant="primary" onClick={next}>
            Next: {steps[index + 1]!.label}
          </Button>
        </div>
      )}
    </main>
  )
}

const stepOf = (path: string): StepId =>
  steps.find(
    (s) => s.id !== 'review' && Object.keys(stepProblems({ [path]: 'x' }, s.id)).length > 0,
  )?.id ?? 'basics'

function Unfinished({ problems }: { problems: Record<string, string> }) {
  return (
    <div className="stack">
      <h2>Some answers are missing or not valid yet</h2>
      <ul className="stack">
        {Object.entries(problems).map(([path, message]) => {
          const step = stepOf(path)
          return (
            <li key={path} className="row">
              <span>{message}</span>
              <Button size="small" onClick={() => wizardStore.getState().go(step)}>
                Go to {steps.find((s) => s.id === step)!.label}
              </Button>
            </li>
          )
        })}
      </ul>
    </div>
  )
}

function ImportButton() {
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | undefined>()
  const pick = async (file: File | undefined) => {
    if (!file) return
    setError(undefined)
    try {
      if (file.size > maxParameterFileBytes)
        throw new Error(
          `${file.name} is ${Math.round(file.size / 1024)} KB; a parameter file is far smaller.`,
        )
      setBusy(true)
      const result = await api.call('wizard.importParameters', { text: await file.text() })
      const spec = result.spec as PoolSpecDraft
      wizardStore.getState().importAnswers(spec, {
        fileName: file.name,
        format: result.format,
        taken: Object.keys(spec).length,
        notUnderstood: result.notUnderstood,
      })
      wizardStore.getState().go('basics')
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
      if (input.current) input.current.value = ''
    }
  }
  return (
    <div className="stack-tight import-box">
      <Button busy={busy} onClick={() => input.current?.click()}>
        Import parameter file…
      </Button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        aria-label="Parameter file to import"
        tabIndex={-1}
        onChange={(event) => void pick(event.target.files?.[0])}
      />
      {error && <ErrorAlert error={error} title="That file was not imported; nothing changed" />}
    </div>
  )
}

function ImportSummary() {
  const imported = useWizard((s) => s.imported)
  if (!imported) return null
  return (
    <Notice title={`Answers imported from ${imported.fileName}`}>
      <p>
        {imported.format === 'dsvm-vmss-cluster'
          ? 'Microsoft’s dsvm-vmss-cluster parameter file'
          : 'A DSVM Pool Manager parameter file'}
        : {imported.taken} answers taken. Check every step before deploying.
      </p>
      {imported.notUnderstood.length > 0 && (
        <ul className="import-notes">
          {imported.notUnderstood.map((note) => (
            <li key={`${note.parameter}:${note.message}`}>
              <span className="mono">{note.parameter}</span>: {note.message}
            </li>
          ))}
        </ul>
      )}
    </Notice>
  )
}
