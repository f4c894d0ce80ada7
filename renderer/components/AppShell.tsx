import { useEffect, useRef, type ReactNode } from 'react'
import type { View } from '../stores/navigation'
import { stores, useSession, useSettings } from '../stores'
import { AccountMenu } from './AccountMenu'
import { Button } from './Button'
import { AlertIcon, BrandIcon, KeyIcon, PlusIcon, PoolIcon, SettingsIcon } from './icons'
import { productName } from '../lib/product'
import { DeploymentBanner } from '../screens/wizard/DeploymentBanner'
import { poolsStore } from '../screens/pools/use-pools'

interface NavEntry {
  view: View
  label: string
  icon: ReactNode
}

/** The main navigation. New areas (e.g. creating a pool) add one entry here. */
const navEntries: NavEntry[] = [
  { view: 'pools', label: 'Pools', icon: <PoolIcon /> },
  { view: 'create', label: 'Create pool', icon: <PlusIcon /> },
  { view: 'subscriptions', label: 'Subscriptions', icon: <KeyIcon /> },
  { view: 'settings', label: 'Settings', icon: <SettingsIcon /> },
]

/** Top bar (product, sandbox badge, accounts), side navigation and the current screen. */
export function AppShell({
  view,
  offline,
  children,
}: {
  view: View
  offline: boolean
  children: ReactNode
}) {
  const cloud = useSettings((s) => s.settings?.cloud)
  const accounts = useSession((s) => s.accounts)
  const expired = accounts.filter((a) => !a.signedIn)
  const session = stores.session.getState()
  const navigation = stores.navigation.getState()
  const title = navEntries.find((entry) => entry.view === view)?.label
  const content = useRef<HTMLDivElement>(null)

  useEffect(() => {
    document.title = title ? `${title} — ${productName}` : productName
  }, [title])

  return (
    <div className="shell">
      {/* The first stop of the keyboard: past the top bar and the navigation. Focus moves
          without touching the address (its fragment holds the web version's token). */}
      <a
        className="skip-link"
        href="#content"
        onClick={(event) => {
          event.preventDefault()
          content.current?.focus()
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand-mark small" aria-hidden="true">
          <BrandIcon />
        </span>
        <span className="topbar-title">{productName}</span>
        {(cloud === 'Sandbox' || accounts.some((a) => a.cloud === 'Sandbox')) && (
          <span className="badge sandbox" title="You are using the local sandbox, not real Azure">
            Sandbox
          </span>
        )}
        <span className="topbar-spacer" />
        <AccountMenu />
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {navEntries.map((entry) => (
            <li key={entry.view}>
              <button
                type="button"
                className="nav-item"
                aria-current={entry.view === view ? 'page' : undefined}
                onClick={() => {
                  // Pools always leads to the list, also from a pool's page.
                  if (entry.view === 'pools') poolsStore.getState().select(undefined)
                  navigation.go(entry.view)
                }}
              >
                {entry.icon}
                <span>{entry.label}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="content" id="content" ref={content} tabIndex={-1}>
        <DeploymentBanner view={view} />
        {offline && (
          <div className="banner" role="status">
            <span className="spinner" aria-hidden="true" />
            Lost the connection to the app. Reconnecting…
          </div>
        )}
        {expired.map((account) => (
          <div key={account.id} className="banner" role="alert">
            <AlertIcon />
            <span className="topbar-spacer">
              Your sign-in as {account.username} has expired. Sign in again to keep working with its
              subscriptions.
            </span>
            <Button
              size="small"
              variant="primary"
              onClick={() => void session.startSignIn('browser', account.cloud)}
            >
              Sign in again
            </Button>
          </div>
        ))}
        {children}
      </div>
    </div>
  )
}
