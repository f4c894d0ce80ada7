import { api } from '../../../api'
import { ErrorAlert } from '../../../components/Alerts'
import { Loading } from '../../../components/Spinner'
import { costInputsOf, estimateExclusions } from '../../../../shared/cost'
import { formatMoney } from '../../../../shared/cost/format'
import type { Draft } from '../draft'
import { useLoad } from '../../../lib/use-load'

/** The estimate on the working-hours schedule next to always on, from retail prices. */
export function Estimate({ draft }: { draft: Draft }) {
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
