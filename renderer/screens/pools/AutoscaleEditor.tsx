import { useCallback, useEffect, useState } from 'react'
import {
  autoscaleScheduleSchema,
  type AutoscaleSchedule,
  type AutoscaleView,
  type PoolSummary,
} from '../../../shared/pools'
import { weekdays } from '../../../shared/pool-spec'
import { knownWindowsTimeZones } from '../../../shared/time-zones'
import { api, toApiError } from '../../api'
import type { ApiError } from '../../api/api-error'
import { ErrorAlert, Notice } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { Loading } from '../../components/Spinner'
import { poolsStore } from './use-pools'

/**
 * The pool's autoscale setting as a form: capacity range, working hours with zero outside,
 * CPU rules and cooldown. Saved as a Microsoft.Insights autoscale setting and read back, with
 * the next scheduled change as Azure will apply it.
 */

const newSchedule: AutoscaleSchedule = {
  enabled: true,
  minimum: 1,
  default: 1,
  maximum: 3,
  workingHours: {
    days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
    start: '08:00',
    end: '18:00',
    timeZone: 'UTC',
  },
  scaleOut: { cpuAbovePercent: 75, minutes: 10, by: 1 },
  scaleIn: { cpuBelowPercent: 20, minutes: 10, by: 1 },
  cooldownMinutes: 10,
}

export function AutoscaleEditor({ pool }: { pool: PoolSummary }) {
  const [view, setView] = useState<AutoscaleView>()
  const [draft, setDraft] = useState<AutoscaleSchedule>()
  const [error, setError] = useState<ApiError>()
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)

  const show = useCallback((read: AutoscaleView) => {
    setView(read)
    setDraft(read.schedule ?? newSchedule)
  }, [])
  const load = useCallback(
    () =>
      api
        .call('pools.autoscale', { poolId: pool.id })
        .then(show, (e: unknown) => setError(toApiError(e))),
    [pool.id, show],
  )

  useEffect(() => {
    let current = true
    api.call('pools.autoscale', { poolId: pool.id }).then(
      (read) => current && show(read),
      (e: unknown) => current && setError(toApiError(e)),
    )
    return () => {
      current = false
    }
  }, [pool.id, show])

  if (!draft) {
    return (
      <section className="card stack" aria-labelledby="autoscale-title">
        <h2 id="autoscale-title">Autoscale</h2>
        {error ? (
          <ErrorAlert
            error={error}
            title="Couldn’t read the autoscale setting"
            onRetry={() => void load()}
          />
        ) : (
          <Loading label="Reading the autoscale setting…" />
        )}
      </section>
    )
  }

  const parsed = autoscaleScheduleSchema.safeParse(draft)
  const problem = parsed.success ? undefined : parsed.error.issues[0]?.message
  const update = (patch: Partial<AutoscaleSchedule>) => {
    setSaved(false)
    setDraft({ ...draft, ...patch })
  }
  const hours = draft.workingHours
  const number = (value: string) => (value === '' ? Number.NaN : Number(value))

  async function save() {
    if (!parsed.success) return
    setSaving(true)
    setError(undefined)
    try {
      const written = await api.call('pools.saveAutoscale', {
        poolId: pool.id,
        schedule: parsed.data,
        ...(view?.version ? { version: view.version } : {}),
      })
      setView(written)
      setDraft(written.schedule ?? parsed.data)
      setSaved(true)
    } catch (e) {
      const failure = toApiError(e)
      setError(failure)
      if (failure.code === 'Conflict') {
        const fresh = await api.call('pools.autoscale', { poolId: pool.id })
        setView(fresh)
        if (fresh.schedule) setDraft(fresh.schedule)
      }
    } finally {
      setSaving(false)
    }
  }

  return (
    <section className="card stack" aria-labelledby="autoscale-title">
      <div className="section-header">
        <h2 id="autoscale-title">Autoscale</h2>
        {view?.nextChange && (
          <span className="badge" aria-label="Next scheduled change">
            {view.nextChange}
          </span>
        )}
      </div>
      {!view?.schedule && (
        <p className="muted">No autoscale setting targets this pool yet; saving creates one.</p>
      )}
      {pool.view.override && (
        <div className="alert info" role="note" aria-label="Kept size">
          <div className="alert-body">
            <p>
              {pool.view.overrideLine}. Autoscale keeps this size until then; the schedule below
              applies again afterwards.
            </p>
          </div>
          <div className="alert-actions">
            <Button
              size="small"
              onClick={() =>
                void poolsStore
                  .getState()
                  .run(pool.id, () => api.call('pools.endOverride', { poolId: pool.id }))
              }
            >
              End now
            </Button>
          </div>
        </div>
      )}
      {view?.note && <Notice tone="warning">{view.note}</Notice>}
      {error && <ErrorAlert error={error} title="The schedule was not saved" />}

      <label className="choice">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(e) => update({ enabled: e.target.checked })}
        />
        <span>Autoscale is on</span>
      </label>

      <fieldset className="autoscale-grid">
        <legend>Instances</legend>
        {(['minimum', 'default', 'maximum'] as const).map((field) => (
          <div className="field" key={field}>
            <label htmlFor={`as-${field}`}>{field[0]!.toUpperCase() + field.slice(1)}</label>
            <input
              id={`as-${field}`}
              className="input narrow"
              type="number"
              min={0}
              max={1000}
              value={Number.isNaN(draft[field]) ? '' : draft[field]}
              onChange={(e) => update({ [field]: number(e.target.value) })}
            />
          </div>
        ))}
      </fieldset>

      <fieldset className="stack">
        <legend>Working hours</legend>
        <label className="choice">
          <input
            type="checkbox"
            checked={hours !== undefined}
            onChange={(e) => {
              if (e.target.checked) update({ workingHours: newSchedule.workingHours! })
              else {
                const { workingHours: _hours, ...allWeek } = draft
                setSaved(false)
                setDraft(allWeek)
              }
            }}
          />
          <span>Only in working hours, zero instances outside them</span>
        </label>
        {hours && (
          <>
            <div className="day-picker" role="group" aria-label="Working days">
              {weekdays.map((day) => (
                <label key={day} className="choice">
                  <input
                    type="checkbox"
                    checked={hours.days.includes(day)}
                    onChange={(e) =>
                      update({
                        workingHours: {
                          ...hours,
                          days: e.target.checked
                            ? weekdays.filter((d) => d === day || hours.days.includes(d))
                            : hours.days.filter((d) => d !== day),
                        },
                      })
                    }
                  />
                  <span>{day.slice(0, 3)}</span>
                </label>
              ))}
            </div>
            <div className="autoscale-grid">
              <div className="field">
                <label htmlFor="as-start">From</label>
                <input
                  id="as-start"
                  className="input"
                  type="time"
                  value={hours.start}
                  onChange={(e) => update({ workingHours: { ...hours, start: e.target.value } })}
                />
              </div>
              <div className="field">
                <label htmlFor="as-end">To</label>
                <input
                  id="as-end"
                  className="input"
                  type="time"
                  value={hours.end}
                  onChange={(e) => update({ workingHours: { ...hours, end: e.target.value } })}
                />
              </div>
              <div className="field">
                <label htmlFor="as-zone">Time zone</label>
                <select
                  id="as-zone"
                  className="select"
                  value={hours.timeZone}
                  onChange={(e) => update({ workingHours: { ...hours, timeZone: e.target.value } })}
                >
                  {[...new Set([hours.timeZone, ...knownWindowsTimeZones])].map((zone) => (
                    <option key={zone} value={zone}>
                      {zone}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          </>
        )}
      </fieldset>

      <fieldset className="autoscale-grid rules">
        <legend>CPU rules</legend>
        <RuleFields
          label="Add"
          verb="above"
          percent={draft.scaleOut.cpuAbovePercent}
          minutes={draft.scaleOut.minutes}
          by={draft.scaleOut.by}
          onChange={(p, m, b) => update({ scaleOut: { cpuAbovePercent: p, minutes: m, by: b } })}
        />
        <RuleFields
          label="Remove"
          verb="below"
          percent={draft.scaleIn.cpuBelowPercent}
          minutes={draft.scaleIn.minutes}
          by={draft.scaleIn.by}
          onChange={(p, m, b) => update({ scaleIn: { cpuBelowPercent: p, minutes: m, by: b } })}
        />
        <div className="field">
          <label htmlFor="as-cooldown">Cooldown (minutes)</label>
          <input
            id="as-cooldown"
            className="input narrow"
            type="number"
            min={1}
            value={Number.isNaN(draft.cooldownMinutes) ? '' : draft.cooldownMinutes}
            onChange={(e) => update({ cooldownMinutes: number(e.target.value) })}
          />
        </div>
      </fieldset>

      {problem && <p className="field-error">{problem}</p>}
      <div className="alert-actions">
        <Button
          variant="primary"
          disabled={!parsed.success}
          busy={saving}
          onClick={() => void save()}
        >
          Save schedule
        </Button>
        {saved && (
          <span className="muted" role="status">
            Saved and read back from Azure.
          </span>
        )}
      </div>
    </section>
  )
}

function RuleFields({
  label,
  verb,
  percent,
  minutes,
  by,
  onChange,
}: {
  label: string
  verb: string
  percent: number
  minutes: number
  by: number
  onChange(percent: number, minutes: number, by: number): void
}) {
  const id = label.toLowerCase()
  const value = (n: number) => (Number.isNaN(n) ? '' : n)
  const read = (v: string) => (v === '' ? Number.NaN : Number(v))
  return (
    <div className="rule-fields" role="group" aria-label={`${label} instances`}>
      <span>{label}</span>
      <input
        aria-label={`${label}: instances`}
        className="input narrow"
        type="number"
        min={1}
        value={value(by)}
        onChange={(e) => onChange(percent, minutes, read(e.target.value))}
      />
      <span>when CPU is {verb}</span>
      <input
        id={`as-${id}-percent`}
        aria-label={`${label}: CPU percent`}
        className="input narrow"
        type="number"
        min={0}
        max={100}
        value={value(percent)}
        onChange={(e) => onChange(read(e.target.value), minutes, by)}
      />
      <span>% for</span>
      <input
        aria-label={`${label}: minutes`}
        className="input narrow"
        type="number"
        min={5}
        value={value(minutes)}
        onChange={(e) => onChange(percent, read(e.target.value), by)}
      />
      <span>minutes</span>
    </div>
  )
}
