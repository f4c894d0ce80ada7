import { useEffect, useId, useState, type FormEvent } from 'react'
import type { Settings, SettingsUpdate } from '../../shared/api'
import type { CloudName } from '../../shared/clouds'
import { ErrorAlert, Notice } from '../components/Alerts'
import { Button } from '../components/Button'
import { Loading } from '../components/Spinner'
import { cloudDisplayName, publicCloudNames } from '../lib/cloud-names'
import { stores, useSession, useSettings } from '../stores'

const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export function SettingsScreen() {
  const settings = useSettings((s) => s.settings)
  const error = useSettings((s) => s.error)
  const appInfo = useSession((s) => s.appInfo)
  const [savedNote, setSavedNote] = useState('')

  useEffect(() => {
    if (!savedNote) return
    const timer = setTimeout(() => setSavedNote(''), 2_500)
    return () => clearTimeout(timer)
  }, [savedNote])

  if (!settings) return <Loading label="Loading settings…" />

  const update = async (patch: SettingsUpdate, what: string) => {
    if (await stores.settings.getState().update(patch)) setSavedNote(`${what} saved`)
  }

  return (
    <main className="page" aria-labelledby="settings-title">
      <div className="page-header">
        <div className="stack">
          <h1 id="settings-title">Settings</h1>
          <p className="muted">Changes are saved as you make them.</p>
        </div>
        <span className="saved-note" role="status">
          {savedNote}
        </span>
      </div>

      {error && (
        <ErrorAlert error={error} title="Couldn’t save the setting">
          <Button onClick={() => stores.settings.getState().dismissError()}>Dismiss</Button>
        </ErrorAlert>
      )}

      <div>
        <CloudSection
          cloud={settings.cloud}
          onChange={(cloud) => void update({ cloud }, 'Cloud')}
        />
        <ClientIdSection
          clientId={settings.clientId}
          onSave={(clientId) => update({ clientId }, 'Client ID')}
          onReset={() => update({ clientId: null }, 'Built-in app registration')}
        />
        <ThemeSection
          theme={settings.theme}
          onChange={(theme) => void update({ theme }, 'Theme')}
        />
        <section className="settings-section" aria-labelledby="window-title">
          <h2 id="window-title">Window</h2>
          <div className="settings-controls">
            <label className="choice">
              <input
                type="checkbox"
                checked={settings.closeToTray}
                onChange={(event) =>
                  void update({ closeToTray: event.target.checked }, 'Window setting')
                }
              />
              <span className="stack">
                <span>Keep running in the tray when the window is closed</span>
                <span className="help">
                  The tray icon shows running pools and scales them to zero with one click. Turn
                  this off to quit the app when you close its window.
                  {appInfo?.shell === 'web' && ' Applies to the desktop app, not this browser tab.'}
                </span>
              </span>
            </label>
          </div>
        </section>
        {appInfo?.secretStorageWarning && (
          <section className="settings-section" aria-labelledby="security-title">
            <h2 id="security-title">Security</h2>
            <div className="settings-controls">
              <Notice tone="warning" title="Sign-ins are not remembered on this computer">
                <p>{appInfo.secretStorageWarning}</p>
              </Notice>
            </div>
          </section>
        )}
        {appInfo && (
          <section className="settings-section" aria-labelledby="about-title">
            <h2 id="about-title">About</h2>
            <p className="muted">
              Version {appInfo.version} ·{' '}
              {appInfo.shell === 'web' ? 'browser through the local web host' : 'desktop app'}
            </p>
          </section>
        )}
      </div>
    </main>
  )
}

function CloudSection({
  cloud,
  onChange,
}: {
  cloud: CloudName
  onChange: (cloud: CloudName) => void
}) {
  const choices: CloudName[] =
    cloud === 'Sandbox' ? [...publicCloudNames, 'Sandbox'] : publicCloudNames
  return (
    <section className="settings-section" aria-labelledby="cloud-title">
      <h2 id="cloud-title">Azure cloud</h2>
      <fieldset className="settings-controls">
        <legend className="visually-hidden">Cloud</legend>
        {choices.map((name) => (
          <label key={name} className="choice">
            <input
              type="radio"
              name="cloud"
              value={name}
              checked={cloud === name}
              onChange={() => onChange(name)}
            />
            <span>{cloudDisplayName(name)}</span>
          </label>
        ))}
        <p className="help">
          The app works in one cloud at a time. Switching shows the accounts you signed in to there,
          or the welcome screen if there are none.
          {cloud === 'Sandbox' &&
            ' The sandbox is the local pretend Azure started by “Explore with a sandbox”.'}
        </p>
      </fieldset>
    </section>
  )
}

function ClientIdSection({
  clientId,
  onSave,
  onReset,
}: {
  clientId: string | undefined
  onSave: (clientId: string) => Promise<void>
  onReset: () => Promise<void>
}) {
  const [value, setValue] = useState(clientId ?? '')
  const [touched, setTouched] = useState(false)
  const inputId = useId()
  const helpId = useId()
  const errorId = useId()
  const trimmed = value.trim()
  const invalid = trimmed !== '' && !guidPattern.test(trimmed)
  const changed = trimmed !== '' && trimmed !== (clientId ?? '')

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTouched(true)
    if (invalid) return
    void onSave(trimmed)
  }

  return (
    <section className="settings-section" aria-labelledby="client-id-title">
      <h2 id="client-id-title">App registration</h2>
      <form className="settings-controls" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={inputId}>Client ID (optional)</label>
          <input
            id={inputId}
            className="input mono"
            value={value}
            placeholder="Built-in app registration"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={touched && invalid}
            aria-describedby={touched && invalid ? `${errorId} ${helpId}` : helpId}
            onChange={(event) => setValue(event.target.value)}
            onBlur={() => setTouched(true)}
          />
          {touched && invalid && (
            <span id={errorId} className="field-error">
              A client ID looks like 00000000-0000-0000-0000-000000000000.
            </span>
          )}
          <span id={helpId} className="help">
            The app signs in to Microsoft as a public client app registration; without an ID here it
            uses its built-in one. If your organisation only allows approved apps, ask your admin
            for the Application (client) ID of one registered for it and enter it here. It takes
            effect at your next sign-in.
          </span>
        </div>
        <div className="row">
          <Button type="submit" variant="primary" disabled={!changed}>
            Save client ID
          </Button>
          {clientId && (
            <Button
              onClick={() => {
                setValue('')
                setTouched(false)
                void onReset()
              }}
            >
              Use the built-in registration
            </Button>
          )}
        </div>
      </form>
    </section>
  )
}

function ThemeSection({
  theme,
  onChange,
}: {
  theme: Settings['theme']
  onChange: (theme: Settings['theme']) => void
}) {
  const options: Array<{ value: Settings['theme']; label: string }> = [
    { value: 'system', label: 'System' },
    { value: 'light', label: 'Light' },
    { value: 'dark', label: 'Dark' },
  ]
  return (
    <section className="settings-section" aria-labelledby="theme-title">
      <h2 id="theme-title">Appearance</h2>
      <fieldset className="settings-controls">
        <legend className="field-label">Theme</legend>
        <div className="segmented">
          {options.map((option) => (
            <label key={option.value}>
              <input
                type="radio"
                name="theme"
                value={option.value}
                checked={theme === option.value}
                onChange={() => onChange(option.value)}
              />
              {option.label}
            </label>
          ))}
        </div>
        <p className="help">System follows your operating system’s light or dark mode.</p>
      </fieldset>
    </section>
  )
}
