import { knownWindowsTimeZones } from '../../../shared/time-zones'
import { weekdays } from '../../../shared/pool-spec'
import type { Draft } from './draft'
import { NumberField, TextField } from './fields'
import { wizardStore } from './wizard-store'

const defaultSchedule = {
  days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as Array<
    (typeof weekdays)[number]
  >,
  start: '08:00',
  end: '18:00',
  timeZone: 'UTC',
}

/** Autoscale limits and the working hours outside which the pool scales to zero. */
export function ScalingStep({
  draft,
  problem,
}: {
  draft: Draft
  problem: (path: string) => string | undefined
}) {
  const wizard = wizardStore.getState()
  const autoscale = draft.autoscale
  const schedule = autoscale.schedule
  const zones = knownWindowsTimeZones.includes(schedule?.timeZone ?? 'UTC')
    ? knownWindowsTimeZones
    : [schedule?.timeZone ?? 'UTC', ...knownWindowsTimeZones]

  return (
    <div className="stack-l">
      <label className="choice">
        <input
          type="checkbox"
          checked={autoscale.enabled}
          onChange={(event) => wizard.set('autoscale.enabled', event.target.checked)}
        />
        <span className="stack-tight">
          <span>Scale automatically</span>
          <span className="help">
            Adds instances when they are busy and removes idle ones, between the limits below.
          </span>
        </span>
      </label>

      {autoscale.enabled && (
        <>
          <div className="row wide-gap align-start">
            <NumberField
              label="Minimum"
              value={autoscale.minimum}
              min={0}
              max={100}
              onChange={(n) => wizard.set('autoscale.minimum', n)}
              problem={problem('autoscale.minimum')}
            />
            <NumberField
              label="Default"
              value={autoscale.default}
              min={0}
              max={100}
              onChange={(n) => wizard.set('autoscale.default', n)}
              problem={problem('autoscale.default')}
            />
            <NumberField
              label="Maximum"
              value={autoscale.maximum}
              min={1}
              max={100}
              onChange={(n) => wizard.set('autoscale.maximum', n)}
              problem={problem('autoscale.maximum')}
            />
          </div>
          {problem('instanceCount') && (
            <span className="field-error">{problem('instanceCount')}</span>
          )}

          <label className="choice">
            <input
              type="checkbox"
              checked={schedule !== null}
              onChange={(event) =>
                wizard.set(
                  'autoscale.schedule',
                  event.target.checked ? { ...defaultSchedule } : null,
                )
              }
            />
            <span className="stack-tight">
              <span>Only during working hours</span>
              <span className="help">
                Outside these hours the pool scales to zero and costs only its disks and storage.
              </span>
            </span>
          </label>

          {schedule && (
            <div className="stack indent">
              <fieldset className="field plain-fieldset">
                <legend className="field-label">Working days</legend>
                <div className="row">
                  {weekdays.map((day) => (
                    <label key={day} className="chip">
                      <input
                        type="checkbox"
                        checked={schedule.days.includes(day)}
                        onChange={(event) =>
                          wizard.set(
                            'autoscale.schedule.days',
                            event.target.checked
                              ? weekdays.filter((d) => d === day || schedule.days.includes(d))
                              : schedule.days.filter((d) => d !== day),
                          )
                        }
                      />
                      {day.slice(0, 3)}
                    </label>
                  ))}
                </div>
                {problem('autoscale.schedule.days') && (
                  <span className="field-error">{problem('autoscale.schedule.days')}</span>
                )}
              </fieldset>
              <div className="row wide-gap align-start">
                <TextField
                  label="From"
                  type="time"
                  width="short"
                  value={schedule.start}
                  onChange={(value) => wizard.set('autoscale.schedule.start', value)}
                  problem={problem('autoscale.schedule.start')}
                />
                <TextField
                  label="Until"
                  type="time"
                  width="short"
                  value={schedule.end}
                  onChange={(value) => wizard.set('autoscale.schedule.end', value)}
                  problem={problem('autoscale.schedule.end')}
                />
                <div className="field">
                  <label htmlFor="wizard-time-zone">Time zone</label>
                  <select
                    id="wizard-time-zone"
                    className="select"
                    value={schedule.timeZone}
                    onChange={(event) =>
                      wizard.set('autoscale.schedule.timeZone', event.target.value)
                    }
                  >
                    {zones.map((zone) => (
                      <option key={zone} value={zone}>
                        {zone}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            </div>
          )}
        </>
      )}
    </div>
  )
}
