import { useEffect, useId, useRef, useState } from 'react'
import type { Account } from '../../shared/api'
import { cloudDisplayName } from '../lib/cloud-names'
import { stores, useSession } from '../stores'
import { ErrorAlert } from './Alerts'
import { Button } from './Button'
import { ChevronDownIcon, PlusIcon } from './icons'
import { initials } from './initials'

/**
 * The signed-in accounts, in a popover from the top bar: sign out of each, sign in again
 * where renewal failed, add another account. Escape or a click outside closes it and focus
 * returns to the button.
 */
export function AccountMenu() {
  const accounts = useSession((s) => s.accounts)
  const signingOut = useSession((s) => s.signingOut)
  const signOutError = useSession((s) => s.signOutError)
  const [open, setOpen] = useState(false)
  const trigger = useRef<HTMLButtonElement>(null)
  const popover = useRef<HTMLDivElement>(null)
  const popoverId = useId()
  const session = stores.session.getState()

  const first = accounts[0]
  const needsSignIn = accounts.some((a) => !a.signedIn)

  useEffect(() => {
    if (!open) return
    popover.current?.querySelector<HTMLElement>('button, a[href]')?.focus()
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node
      if (!popover.current?.contains(target) && !trigger.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const close = () => {
    setOpen(false)
    trigger.current?.focus()
  }
  const signInAgain = (account: Account) => {
    setOpen(false)
    void session.startSignIn('browser', account.cloud)
  }
  const addAccount = () => {
    setOpen(false)
    void session.startSignIn('browser')
  }

  if (!first) return null
  const label = accounts.length > 1 ? `${first.name} and ${accounts.length - 1} more` : first.name

  return (
    <div className="account-menu">
      <button
        ref={trigger}
        type="button"
        className="account-trigger"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? popoverId : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        {/* The name is the visible label with words around it for screen readers, so a
            person who says what they see ("click Ada Lovelace") reaches the button. */}
        <span className={needsSignIn ? 'avatar expired' : 'avatar'} aria-hidden="true">
          {initials(first.name)}
        </span>
        <span className="visually-hidden">Accounts: </span>
        <span>{label}</span>
        {needsSignIn && <span className="visually-hidden"> (sign-in needed)</span>}
        <ChevronDownIcon />
      </button>
      {open && (
        <div
          ref={popover}
          id={popoverId}
          className="popover"
          role="dialog"
          aria-label="Accounts"
          onBlur={(event) => {
            // Tabbing out of the popover closes it, as clicking outside does.
            const next = event.relatedTarget as Node | null
            if (next && !popover.current?.contains(next) && !trigger.current?.contains(next))
              setOpen(false)
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation()
              close()
            }
          }}
        >
          <p className="popover-title" aria-hidden="true">
            Accounts
          </p>
          {signOutError && <ErrorAlert error={signOutError} title="Couldn’t sign out" />}
          <ul className="account-list" aria-label="Signed-in accounts">
            {accounts.map((account) => (
              <li key={account.id} className="account-item">
                <span className={account.signedIn ? 'avatar' : 'avatar expired'} aria-hidden="true">
                  {initials(account.name)}
                </span>
                <div className="account-text">
                  <span className="account-name">{account.name}</span>
                  <span className="account-username">{account.username}</span>
                  <span className="row">
                    <span className={account.cloud === 'Sandbox' ? 'badge sandbox' : 'badge'}>
                      {cloudDisplayName(account.cloud)}
                    </span>
                    {!account.signedIn && <span className="badge warning">Sign-in expired</span>}
                  </span>
                  <div className="account-actions">
                    {!account.signedIn && (
                      <Button
                        size="small"
                        variant="primary"
                        aria-label={`Sign in again as ${account.username}`}
                        onClick={() => signInAgain(account)}
                      >
                        Sign in again
                      </Button>
                    )}
                    <Button
                      size="small"
                      aria-label={`Sign out ${account.username}`}
                      busy={signingOut.includes(account.id)}
                      onClick={() => void session.signOut(account.id)}
                    >
                      Sign out
                    </Button>
                  </div>
                </div>
              </li>
            ))}
          </ul>
          <div className="popover-footer">
            <Button variant="ghost" icon={<PlusIcon />} onClick={addAccount}>
              Add another account
            </Button>
          </div>
        </div>
      )}
    </div>
  )
}
