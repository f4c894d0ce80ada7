import { Button } from '../components/Button'
import { CopyButton } from '../components/CopyButton'
import { ExternalLink } from '../components/ExternalLink'
import type { SignInProgress } from '../stores/session'
import { stores, useSettings } from '../stores'
import { cloudDisplayName } from '../lib/cloud-names'

/** While a sign-in runs: waiting for the system browser, or showing the device code. */
export function SigningIn({ progress }: { progress: SignInProgress }) {
  const cloud = useSettings((s) => s.settings?.cloud)
  const session = stores.session.getState()
  const where = !cloud ? 'Azure' : cloud === 'Sandbox' ? 'the sandbox' : cloudDisplayName(cloud)

  if (progress.method === 'browser') {
    const page = progress.page
    return (
      <section className="card sign-in stack-l" aria-labelledby="signing-in-title">
        <div className="stack">
          <h1 id="signing-in-title">
            {page && !page.opened ? 'Open the sign-in page' : 'Continue in your browser'}
          </h1>
          <p className="muted">
            {!page
              ? `Opening a sign-in page for ${where}…`
              : page.opened
                ? `A sign-in page for ${where} opened in your web browser. Choose your account there; this window carries on by itself when you’re done.`
                : `Your web browser could not be opened from here. Open the sign-in page for ${where} with the link below, in a browser on this computer; this window carries on by itself when you’re done.`}
          </p>
        </div>
        {page && (
          <div className="stack sign-in-page">
            <p>
              {page.opened ? 'Didn’t see it? ' : ''}
              <ExternalLink href={page.url}>Open the sign-in page</ExternalLink>
            </p>
            <div className="row">
              <CopyButton text={page.url} label="Copy the address" />
            </div>
          </div>
        )}
        <div className="waiting" role="status">
          <span className="spinner" aria-hidden="true" />
          {page && !page.opened ? 'Waiting for you to sign in…' : 'Waiting for the browser…'}
        </div>
        <div className="row">
          <Button onClick={() => void session.switchToDeviceCode()}>
            Use a device code instead
          </Button>
          <Button variant="ghost" onClick={() => void session.cancelSignIn()}>
            Cancel
          </Button>
        </div>
        <p className="fine-print">
          Signing in on another device? A device code works from any browser, even on your phone.
        </p>
      </section>
    )
  }

  const code = progress.deviceCode
  return (
    <section className="card sign-in stack-l" aria-labelledby="signing-in-title">
      <div className="stack">
        <h1 id="signing-in-title">Sign in with a code</h1>
        <p className="muted">Use any browser, on this computer or another device.</p>
      </div>
      {code ? (
        <>
          <ol className="steps">
            <li>
              Open <ExternalLink href={code.verificationUri}>{code.verificationUri}</ExternalLink>
            </li>
            <li>
              <p>Enter this code:</p>
              <div className="device-code">
                <input
                  className="device-code-value"
                  aria-label="Device code"
                  readOnly
                  value={code.userCode}
                  onFocus={(event) => event.currentTarget.select()}
                />
                <CopyButton text={code.userCode} label="Copy code" />
              </div>
            </li>
            <li>Choose your account and confirm.</li>
          </ol>
          <div className="waiting" role="status">
            <span className="spinner" aria-hidden="true" />
            Waiting for you to enter the code… (it expires at {formatTime(code.expiresOn)})
          </div>
        </>
      ) : (
        <div className="waiting" role="status">
          <span className="spinner" aria-hidden="true" />
          Getting a code…
        </div>
      )}
      <div className="row">
        <Button variant="ghost" onClick={() => void session.cancelSignIn()}>
          Cancel
        </Button>
      </div>
    </section>
  )
}

function formatTime(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}
