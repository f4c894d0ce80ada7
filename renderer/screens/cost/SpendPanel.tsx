import { useState } from 'react'
import { formatMoney, formatRate } from '../../../shared/cost/format'
import type { PoolSummary } from '../../../shared/pools'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { Loading } from '../../components/Spinner'
import { AlertIcon, InfoIcon, RefreshIcon } from '../../components/icons'
import { budgetInputProblem, budgetWarning } from './budget-text'
import { SpendChart, SpendTable } from './SpendChart'
import { usePoolSpend, type PoolSpendView } from './use-pool-spend'
import './cost.css'

/**
 * The pool's actual spend this month (Cost Management: by day and service), the month-end
 * projection, and the monthly budget kept in a tag on the scale set, with warnings at 80 %
 * and 100 % of actual and projected spend.
 */
export function SpendPanel({ pool }: { pool: PoolSummary }) {
  const { load, refresh, reload } = usePoolSpend(pool.id, pool.budget)
  const spend = load.status === 'loaded' ? load.spend : undefined
  const currency = spend?.currency ?? pool.currency ?? 'USD'
  const money = (amount: number) => formatMoney(amount, currency)
  return (
    <section className="card stack spend-panel" aria-labelledby="spend-title">
      <div className="section-header">
        <div className="stack">
          <h2 id="spend-title">Spend this month</h2>
          <p className="muted">
            Actual cost of resource group {pool.resourceGroup} from Azure Cost Management, by day
            and service. Azure records usage with a delay of up to a day.
          </p>
        </div>
        <Button
          size="small"
          icon={<RefreshIcon />}
          busy={load.status === 'loading' || (load.status === 'loaded' && load.refreshing)}
          onClick={refresh}
        >
          Refresh
        </Button>
      </div>
      {load.status === 'loading' && <Loading label="Asking Cost Management…" />}
      {load.status === 'failed' && <SpendError error={load.error} onRetry={reload} />}
      {spend && (
        <>
          <FreshnessNote spend={spend} />
          <BudgetAlert spend={spend} money={money} />
          <dl className="pool-figures spend-figures">
            <div>
              <dt>Month to date</dt>
              <dd>{money(spend.monthToDate)}</dd>
            </div>
            <div>
              <dt>Projected for {monthName(spend.projection.month)}</dt>
              <dd>{money(spend.projection.projected)}</dd>
            </div>
            <div>
              <dt>{spend.projection.basis === 'burnRate' ? 'Cost now' : 'Daily rate used'}</dt>
              <dd title={rateBasis(spend)}>
                {spend.projection.basis === 'burnRate' && spend.projection.perHour !== undefined
                  ? `${formatRate(spend.projection.perHour, currency)}/h`
                  : money(spend.projection.dailyRate)}
              </dd>
            </div>
            {spend.budget && (
              <div>
                <dt>Budget used</dt>
                <dd>
                  {Math.round(spend.budget.actualRatio * 100)} % of {money(spend.budget.budget)}
                </dd>
              </div>
            )}
          </dl>
          <p className="muted projection-basis">{rateBasis(spend)}.</p>
          <SpendChart spend={spend} money={money} />
          <SpendTable spend={spend} money={money} />
        </>
      )}
      <BudgetForm pool={pool} currency={currency} />
    </section>
  )
}

function SpendError({ error, onRetry }: { error: ApiError; onRetry(): void }) {
  if (error.code === 'Forbidden') {
    return (
      <div className="alert warning" role="alert">
        <AlertIcon className="alert-icon" />
        <div className="alert-body">
          <p className="alert-title">No permission to read this pool’s costs</p>
          <p className="alert-text">{error.message}</p>
          <p className="alert-detail">
            You need the Cost Management Reader role (or Reader) on the pool’s resource group. The
            rest of the pool works without it.
          </p>
        </div>
      </div>
    )
  }
  return <ErrorAlert error={error} title="The pool’s spend could not be loaded" onRetry={onRetry} />
}

/** When the figures are from, and why they may be older than now. */
function FreshnessNote({ spend }: { spend: PoolSpendView }) {
  const asOf = timeText(spend.fetchedAt)
  if (spend.throttled) {
    return (
      <p className="alert info spend-note" role="status">
        <InfoIcon className="alert-icon" />
        <span>
          Cost Management is busy (too many requests). These are the figures as of {asOf}; the app
          asks again after {timeText(spend.throttled.retryAt)}.
        </span>
      </p>
    )
  }
  if (spend.offline) {
    return (
      <p className="alert info spend-note" role="status">
        <InfoIcon className="alert-icon" />
        <span>Azure cannot be reached. These are the saved figures as of {asOf}.</span>
      </p>
    )
  }
  return (
    <p className="help spend-note">
      Figures as of {asOf}
      {spend.fromCache ? ' (saved; Refresh asks Cost Management again)' : ''}.
    </p>
  )
}

function BudgetAlert({
  spend,
  money,
}: {
  spend: PoolSpendView
  money: (amount: number) => string
}) {
  if (!spend.budget) return null
  const warning = budgetWarning(
    spend.budget,
    { actual: spend.monthToDate, projected: spend.projection.projected },
    money,
  )
  if (!warning) return null
  return (
    <div className={`alert ${warning.level === 'over' ? '' : 'warning'}`} role="alert">
      <AlertIcon className="alert-icon" />
      <div className="alert-body">
        <p className="alert-title">{warning.title}</p>
        <p className="alert-text">{warning.text}</p>
      </div>
    </div>
  )
}

/** The monthly budget, kept in the dsvm-pool-budget tag so the whole team sees it. */
function BudgetForm({ pool, currency }: { pool: PoolSummary; currency: string }) {
  const [text, setText] = useState(pool.budget !== undefined ? String(pool.budget) : '')
  const [shown, setShown] = useState(pool.budget)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ApiError>()
  const [saved, setSaved] = useState<string>()
  // A teammate's budget (or ours, read back from Azure) replaces what the field shows.
  if (shown !== pool.budget) {
    setShown(pool.budget)
    setText(pool.budget !== undefined ? String(pool.budget) : '')
  }
  const amount = Number(text)
  const problem = budgetInputProblem(text)
  const valid = text.trim() !== '' && !problem

  async function save(budget: number | null) {
    setSaving(true)
    setError(undefined)
    setSaved(undefined)
    try {
      const result = await api.call('cost.setBudget', {
        poolId: pool.id,
        budget,
        ...(pool.etag ? { etag: pool.etag } : {}),
      })
      setSaved(
        result.budget !== undefined
          ? `Budget saved: ${formatMoney(result.budget, currency)} a month. Teammates see it too.`
          : 'Budget removed.',
      )
    } catch (failure) {
      setError(toApiError(failure))
    } finally {
      setSaving(false)
    }
  }

  return (
    <form
      className="stack budget-form"
      aria-labelledby="budget-title"
      onSubmit={(e) => {
        e.preventDefault()
        if (valid) void save(amount)
      }}
    >
      <h3 id="budget-title">Monthly budget</h3>
      <p className="help">
        The app warns here, on the pool’s card and with a notification at 80 % and 100 % of the
        budget, by spend so far and by the month-end projection. Kept in a tag on the scale set, so
        everyone on the team sees the same budget.
      </p>
      <div className="inline-form">
        <label htmlFor="budget-amount">Budget per month ({currency})</label>
        <input
          id="budget-amount"
          className="input narrow"
          type="number"
          inputMode="decimal"
          min={1}
          step="any"
          value={text}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'budget-problem' : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <Button type="submit" busy={saving} disabled={!valid || amount === pool.budget}>
          Save budget
        </Button>
        {pool.budget !== undefined && (
          <Button variant="ghost" disabled={saving} onClick={() => void save(null)}>
            Remove budget
          </Button>
        )}
      </div>
      {problem && (
        <p id="budget-problem" className="field-error">
          {problem}
        </p>
      )}
      {saved && (
        <p className="help" role="status">
          {saved}
        </p>
      )}
      {error && <ErrorAlert error={error} title="The budget was not saved" />}
    </form>
  )
}

function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-GB', {
    month: 'long',
    timeZone: 'UTC',
  })
}

function timeText(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })
}

function rateBasis(spend: PoolSpendView): string {
  const { basisDays, basis, perHour, dailyRate } = spend.projection
  if (basis === 'burnRate' && perHour !== undefined)
    return `Projected with the pool’s cost now: ${formatRate(perHour, spend.currency)} an hour while its instances run, ${formatMoney(dailyRate, spend.currency)} a day for the rest of the month`
  return basisDays > 0
    ? `The mean of the last ${basisDays} complete day${basisDays === 1 ? '' : 's'}, for each day left in the month`
    : 'Today so far, scaled to a whole day (no complete day this month yet)'
}
