import { api } from '../../../api'
import { ErrorAlert, Notice } from '../../../components/Alerts'
import { Button } from '../../../components/Button'
import { CopyButton } from '../../../components/CopyButton'
import { Loading } from '../../../components/Spinner'
import type { Draft } from '../draft'
import { useLoad } from '../../../lib/use-load'

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

export function ParameterFile({ draft }: { draft: Draft }) {
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
        {/* Focusable: it scrolls, and keyboard users must be able to scroll it too. */}
        <pre className="code-block" aria-label="Parameter file" tabIndex={0}>
          {shownFile(parameterFile)}
        </pre>
      </details>
      <details className="code-details">
        <summary>The same with the Azure CLI</summary>
        <pre className="code-block" aria-label="Azure CLI commands" tabIndex={0}>
          {commands}
        </pre>
        <CopyButton text={commands} label="Copy commands" />
      </details>
    </section>
  )
}
