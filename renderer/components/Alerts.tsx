import type { ReactNode } from 'react'
import type { ApiError } from '../api/api-error'
import { describeError } from '../lib/error-text'
import { Button } from './Button'
import { AlertIcon, InfoIcon } from './icons'

export interface ErrorAlertProps {
  error: ApiError
  /** What was being done, e.g. "Couldn’t load your subscriptions". Defaults to the error's title. */
  title?: string
  onRetry?: () => void
  /** Offered for AuthRequired: the fix is a fresh sign-in, not a retry. */
  onSignIn?: () => void
  retrying?: boolean
  /** Extra actions specific to the screen. */
  children?: ReactNode
}

/**
 * A failure as a person should see it: what happened, what to do, and the button that does
 * it. AuthRequired becomes a "Sign in again" prompt rather than an error.
 */
export function ErrorAlert({
  error,
  title,
  onRetry,
  onSignIn,
  retrying,
  children,
}: ErrorAlertProps) {
  const text = describeError(error)
  if (text.signIn) {
    return (
      <div className="alert warning" role="alert">
        <AlertIcon className="alert-icon" />
        <div className="alert-body">
          <p className="alert-title">{text.title}</p>
          <p className="alert-text">{error.message}</p>
          <p className="alert-detail">{text.whatToDo}</p>
          {onSignIn && (
            <div className="alert-actions">
              <Button variant="primary" onClick={onSignIn}>
                Sign in again
              </Button>
              {children}
            </div>
          )}
        </div>
      </div>
    )
  }
  return (
    <div className="alert" role="alert">
      <AlertIcon className="alert-icon" />
      <div className="alert-body">
        <p className="alert-title">{title ?? text.title}</p>
        <p>{error.message}</p>
        <p className="alert-detail">{text.whatToDo}</p>
        {((onRetry && text.retry) || children) && (
          <div className="alert-actions">
            {onRetry && text.retry && (
              <Button onClick={onRetry} busy={retrying}>
                Retry
              </Button>
            )}
            {children}
          </div>
        )}
      </div>
    </div>
  )
}

/** Information or a warning that is not a failure of what the user just did. */
export function Notice({
  tone = 'info',
  title,
  children,
}: {
  tone?: 'info' | 'warning'
  title?: string
  children: ReactNode
}) {
  return (
    <div className={`alert ${tone}`} role="note">
      {tone === 'info' ? <InfoIcon className="alert-icon" /> : <AlertIcon className="alert-icon" />}
      <div className="alert-body">
        {title && <p className="alert-title">{title}</p>}
        <div className="alert-text stack">{children}</div>
      </div>
    </div>
  )
}
