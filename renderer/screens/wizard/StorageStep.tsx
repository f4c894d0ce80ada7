import { api } from '../../api'
import { ErrorAlert } from '../../components/Alerts'
import { suggestStorageAccountName } from '../../../shared/pool-spec'
import { checkMountPoint, checkShareName, checkStorageAccountName } from '../../../shared/naming'
import type { Draft } from './draft'
import { useLoad } from '../../lib/use-load'
import { Segmented, TextField } from './fields'
import { wizardStore } from './wizard-store'

/** The Azure Files share every instance mounts: a new account or an existing one. */
export function StorageStep({
  draft,
  problem,
}: {
  draft: Draft
  problem: (path: string) => string | undefined
}) {
  const wizard = wizardStore.getState()
  const storage = draft.storage
  const [accounts, reload] = useLoad(
    storage.mode === 'existing' ? draft.subscriptionId : undefined,
    () => api.call('wizard.storageAccounts', { subscriptionId: draft.subscriptionId }),
  )
  return (
    <div className="stack-l">
      <Segmented
        label="Storage account"
        name="wizard-storage-mode"
        value={storage.mode}
        options={[
          { value: 'new', label: 'New account' },
          { value: 'existing', label: 'Existing account' },
        ]}
        onChange={(mode) =>
          wizard.set('storage', {
            ...storage,
            mode,
            accountName: mode === 'new' ? suggestStorageAccountName(draft.poolName) : '',
            accountResourceGroup: undefined,
          })
        }
      />
      {storage.mode === 'new' ? (
        <TextField
          label="New account name"
          value={storage.accountName}
          mono
          width="medium"
          onChange={(value) => wizard.set('storage.accountName', value)}
          problem={checkStorageAccountName(storage.accountName)}
          help="3–24 lowercase letters and digits, unique across all of Azure (pre-flight checks it)."
        />
      ) : accounts.status === 'failed' ? (
        <ErrorAlert
          error={accounts.error}
          title="Couldn’t list the storage accounts"
          onRetry={reload}
        />
      ) : (
        <div className="field">
          <label htmlFor="wizard-account">Existing account</label>
          <select
            id="wizard-account"
            className="select"
            disabled={accounts.status === 'loading'}
            value={
              storage.accountName
                ? `${storage.accountResourceGroup ?? ''}/${storage.accountName}`
                : ''
            }
            onChange={(event) => {
              const [group, name] = event.target.value.split('/')
              wizard.set('storage', {
                ...storage,
                accountName: name ?? '',
                accountResourceGroup: group,
              })
            }}
          >
            <option value="">Choose an account…</option>
            {accounts.status === 'loaded' &&
              accounts.value.map((a) => (
                <option key={`${a.resourceGroup}/${a.name}`} value={`${a.resourceGroup}/${a.name}`}>
                  {a.name} ({a.resourceGroup}, {a.location})
                </option>
              ))}
          </select>
          {problem('storage.accountName') && storage.accountName === '' && (
            <span className="field-error">Choose the account that holds the share.</span>
          )}
          <span className="help">
            The app reads the account’s key when it deploys and passes it only in protected
            settings.
          </span>
        </div>
      )}
      <TextField
        label="Share name"
        value={storage.shareName}
        mono
        width="medium"
        onChange={(value) => wizard.set('storage.shareName', value)}
        problem={checkShareName(storage.shareName)}
        help={
          storage.mode === 'existing'
            ? 'A share that already exists in that account.'
            : 'Created with the account.'
        }
      />
      <TextField
        label={draft.osType === 'Windows' ? 'Drive letter' : 'Mount point'}
        value={storage.mountpointPath}
        mono
        width="medium"
        onChange={(value) => wizard.set('storage.mountpointPath', value)}
        problem={checkMountPoint(storage.mountpointPath, draft.osType)}
        help="Every instance mounts the share here, after every restart; each user gets notebooks/<user> on it."
      />
    </div>
  )
}
