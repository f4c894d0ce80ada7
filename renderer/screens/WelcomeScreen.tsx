import { useId, useState } from 'react'
import { Button } from '../components/Button'
import { ErrorAlert } from '../components/Alerts'
import { BrandIcon } from '../components/icons'
import { cloudDisplayName, publicCloudNames, type PublicCloudName } from '../lib/cloud-names'
import { productName } from '../lib/product'
import { stores, useSession, useSettings } from '../stores'

/** First screen without an account: sign in to Azure, or try the app on the sandbox. */
export function WelcomeScreen() {
  const settingsCloud = useSettings((s) => s.settings?.cloud)
  const signInError = useSession((s) => s.signInError)
  const startingSandbox = useSession((s) => s.startingSandbox)
  const [cloud, setCloud] = useState<PublicCloudName>(
    settingsCloud && settingsCloud !== 'Sandbox' ? settingsCloud : 'AzureCloud',
  )
  const cloudId = useId()
  const session = stores.session.getState()

  return (
    <main className="center-page">
      <div className="welcome">
        <div className="brand">
          <span className="brand-mark">
            <BrandIcon />
          </span>
          <h1>{productName}</h1>
        </div>
        <p className="pitch">
          Create a shared pool of Azure Data Science VMs for your team, with JupyterHub, a shared
          notebook drive and scale-to-zero, without being a cloud expert.
        </p>

        <section className="card stack-l" aria-label="Sign in">
          {signInError && (
            <ErrorAlert
              error={signInError}
              title="Sign-in didn’t finish"
              onRetry={() => void session.startSignIn('browser', cloud)}
              onSignIn={() => void session.startSignIn('browser', cloud)}
            />
          )}
          <div className="welcome-actions">
            <div className="field">
              <label htmlFor={cloudId}>Cloud</label>
              <select
                id={cloudId}
                className="select"
                value={cloud}
                onChange={(event) => setCloud(event.target.value as PublicCloudName)}
              >
                {publicCloudNames.map((name) => (
                  <option key={name} value={name}>
                    {cloudDisplayName(name)}
                  </option>
                ))}
              </select>
              <span className="help">
                Most organisations use Azure. Choose another only if your admin told you to.
              </span>
            </div>
            <Button
              variant="primary"
              size="large"
              onClick={() => void session.startSignIn('browser', cloud)}
            >
              Sign in with Microsoft
            </Button>
            <div className="divider">or</div>
            <Button
              size="large"
              busy={startingSandbox}
              onClick={() => void session.exploreSandbox()}
            >
              Explore with a sandbox
            </Button>
            <p className="fine-print">
              The sandbox is a pretend Azure that runs on this computer: no subscription, no cost.
              Sign in as one of its example users and try everything.
            </p>
          </div>
        </section>
      </div>
    </main>
  )
}
