import type { ApiError } from '../api/api-error'
import { ErrorAlert } from '../components/Alerts'
import { Loading } from '../components/Spinner'
import { productName } from '../lib/product'

export function StartingScreen() {
  return (
    <main className="center-page">
      <Loading large label={`Starting ${productName}…`} />
    </main>
  )
}

export function StartFailedScreen({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  return (
    <main className="center-page">
      <div className="welcome">
        <h1>{productName}</h1>
        <ErrorAlert error={error} title="The app couldn’t start" onRetry={onRetry} />
      </div>
    </main>
  )
}

/** The page was opened in a browser without the web host's key. */
export function NoKeyScreen() {
  return (
    <main className="center-page">
      <div className="welcome">
        <h1>{productName}</h1>
        <div className="alert" role="alert">
          <div className="alert-body">
            <p className="alert-title">This page needs the app’s address with its key</p>
            <p>
              Open the full address that <code>npm run start:web</code> printed in the terminal. It
              ends with a one-time key (<code>#token=…</code>) that lets this page talk to the app.
            </p>
          </div>
        </div>
      </div>
    </main>
  )
}
