import { useEffect, useState } from 'react'
import { api, apiAvailable, type ConnectionStatus } from './api'
import { AppShell } from './components/AppShell'
import { applyTheme } from './lib/theme'
import { currentView } from './stores/navigation'
import { stores, useNavigation, useSession, useSettings } from './stores'
import { PoolsHome } from './screens/PoolsHome'
import { SettingsScreen } from './screens/SettingsScreen'
import { SigningIn } from './screens/SigningIn'
import { NoKeyScreen, StartFailedScreen, StartingScreen } from './screens/StartupScreens'
import { SubscriptionPicker } from './screens/SubscriptionPicker'
import { WelcomeScreen } from './screens/WelcomeScreen'
import { WizardScreen } from './screens/wizard/WizardScreen'

export function App() {
  const phase = useSession((s) => s.phase)
  const loadError = useSession((s) => s.loadError)
  const accounts = useSession((s) => s.accounts)
  const signIn = useSession((s) => s.signIn)
  const settings = useSettings((s) => s.settings)
  const view = useNavigation((s) => s.view)
  const connection = useConnectionStatus()

  useEffect(() => {
    if (apiAvailable) void stores.session.getState().load()
  }, [])

  useEffect(() => {
    if (settings) applyTheme(settings.theme)
  }, [settings])

  // Another account set means other subscriptions: reload them (or forget them when the
  // last account signed out). Keyed on ids and sign-in state, not on every accounts event.
  const accountsKey = accounts.map((a) => `${a.id}:${a.signedIn}`).join(',')
  useEffect(() => {
    if (accountsKey === '') {
      stores.navigation.getState().reset()
      stores.subscriptions.getState().reset()
    } else {
      const subscriptions = stores.subscriptions.getState()
      if (subscriptions.status !== 'idle') void subscriptions.load()
    }
  }, [accountsKey])

  if (!apiAvailable) return <NoKeyScreen />
  if (phase === 'loading' && !settings) return <StartingScreen />
  if (phase === 'failed' && loadError)
    return (
      <StartFailedScreen error={loadError} onRetry={() => void stores.session.getState().load()} />
    )

  if (accounts.length === 0) {
    return signIn ? (
      <main className="center-page">
        <SigningIn progress={signIn} />
      </main>
    ) : (
      <WelcomeScreen />
    )
  }

  const shown = currentView(view, settings?.chosenSubscriptionIds ?? [])
  return (
    <AppShell view={shown} offline={connection === 'reconnecting'}>
      {signIn ? (
        <div className="page">
          <SigningIn progress={signIn} />
        </div>
      ) : shown === 'pools' ? (
        <PoolsHome />
      ) : shown === 'create' ? (
        <WizardScreen />
      ) : shown === 'subscriptions' ? (
        <SubscriptionPicker />
      ) : (
        <SettingsScreen />
      )}
    </AppShell>
  )
}

/** The transport's state; after a reconnect, data that events may have missed is reloaded. */
function useConnectionStatus(): ConnectionStatus {
  const [status, setStatus] = useState<ConnectionStatus>(api.status())
  useEffect(() => {
    let previous = api.status()
    return api.onStatus((next) => {
      if (previous === 'reconnecting' && next === 'open') void stores.session.getState().refresh()
      previous = next
      setStatus(next)
    })
  }, [])
  return status
}
