import { useEffect, useRef, useState } from 'react'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert, Notice } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { KeyIcon, PlusIcon } from '../../components/icons'
import { checkAdminUsername, checkSourceRange, checkWindowsPassword } from '../../../shared/naming'
import type { Draft } from './draft'
import { Segmented, TextField } from './fields'
import { wizardStore } from './wizard-store'
import { useSettings } from '../../stores'

const maxKeyFileBytes = 16_384

/** Administrator, SSH key or password, who may connect, and how the pool is reached. */
export function AccessStep({
  draft,
  problem,
}: {
  draft: Draft
  problem: (path: string) => string | undefined
}) {
  const wizard = wizardStore.getState()
  return (
    <div className="stack-l">
      <TextField
        label="Administrator user name"
        value={draft.adminUsername}
        mono
        width="medium"
        onChange={(value) => wizard.set('adminUsername', value)}
        problem={
          draft.adminUsername
            ? checkAdminUsername(draft.adminUsername, draft.osType)
            : problem('adminUsername')
        }
      />
      {draft.osType === 'Linux' ? (
        <SshKey draft={draft} problem={problem('sshPublicKey')} />
      ) : (
        <TextField
          label="Administrator password"
          type="password"
          width="medium"
          value={draft.adminPassword ?? ''}
          onChange={(value) => wizard.set('adminPassword', value)}
          problem={
            draft.adminPassword
              ? checkWindowsPassword(draft.adminPassword, draft.adminUsername)
              : problem('adminPassword')
          }
          help="12 or more characters with three of: lowercase, uppercase, digit, special character. It is sent to Azure with the deployment and never saved by the app."
        />
      )}
      <TeamAccess draft={draft} />
      <AddressRanges draft={draft} problem={problem('allowedSourceRanges')} />
      <div className="stack">
        <Segmented
          label="How the pool is reached"
          name="wizard-network"
          value={draft.network.access}
          options={[
            { value: 'Public', label: 'Public address with a DNS name' },
            { value: 'Internal', label: 'Internal only' },
          ]}
          onChange={(access) =>
            wizard.set(
              'network',
              access === 'Public' ? { access, dnsLabel: draft.poolName } : { access },
            )
          }
        />
        {draft.network.access === 'Public' ? (
          <TextField
            label="DNS name"
            value={draft.network.dnsLabel}
            mono
            width="medium"
            onChange={(value) => wizard.set('network.dnsLabel', value)}
            problem={problem('network.dnsLabel')}
            help={`JupyterHub will be at https://${draft.network.dnsLabel || '…'}.${draft.location}.cloudapp.azure.com:8000`}
          />
        ) : (
          <p className="help">
            Only machines in the pool’s virtual network (or one peered with it, or a VPN) can reach
            JupyterHub and SSH.
          </p>
        )}
      </div>
    </div>
  )
}

function SshKey({ draft, problem }: { draft: Draft; problem: string | undefined }) {
  const wizard = wizardStore.getState()
  const fileInput = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState<'generate' | 'read' | undefined>()
  const [error, setError] = useState<ApiError | undefined>()
  const [source, setSource] = useState<string | undefined>()

  const generate = async () => {
    setBusy('generate')
    setError(undefined)
    try {
      const key = await api.call('wizard.generateSshKey', { poolName: draft.poolName })
      wizard.set('sshPublicKey', key.publicKey)
      setSource(`New key pair: the private key is in ${key.privateKeyPath} (only you can read it).`)
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(undefined)
    }
  }

  const pick = async (file: File | undefined) => {
    if (!file) return
    setError(undefined)
    if (file.size > maxKeyFileBytes) {
      setError(toApiError(new Error(`${file.name} is too large to be a public key.`)))
      return
    }
    setBusy('read')
    try {
      const key = await api.call('wizard.readPublicKey', { text: await file.text() })
      wizard.set('sshPublicKey', key.publicKey)
      setSource(`Public key from ${file.name}.`)
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(undefined)
      if (fileInput.current) fileInput.current.value = ''
    }
  }

  const [type, data, ...comment] = (draft.sshPublicKey ?? '').split(' ')
  return (
    <div className="field">
      <span className="field-label">SSH key</span>
      {draft.sshPublicKey ? (
        <div className="key-card">
          <KeyIcon />
          <span className="stack-tight">
            <span className="mono">
              {type} …{data?.slice(-12)} {comment.join(' ')}
            </span>
            {source && <span className="help">{source}</span>}
          </span>
        </div>
      ) : (
        problem && <span className="field-error">{problem}</span>
      )}
      <div className="row">
        <Button busy={busy === 'generate'} onClick={() => void generate()}>
          Generate a new key
        </Button>
        <Button busy={busy === 'read'} onClick={() => fileInput.current?.click()}>
          Use an existing public key…
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept=".pub,text/plain"
          className="visually-hidden"
          aria-label="Public key file"
          tabIndex={-1}
          onChange={(event) => void pick(event.target.files?.[0])}
        />
      </div>
      <span className="help">
        Linux pools sign in with keys, not passwords. A new key is written to your .ssh folder as
        dsvm-{draft.poolName}; only its public half goes to Azure.
      </span>
      {error && <ErrorAlert error={error} title="That key can’t be used" />}
    </div>
  )
}

function AddressRanges({ draft, problem }: { draft: Draft; problem: string | undefined }) {
  const wizard = wizardStore.getState()
  const [text, setText] = useState('')
  const ranges = draft.allowedSourceRanges
  const typedProblem = text.trim() ? checkSourceRange(text.trim()) : undefined
  const add = (range: string) => {
    if (!ranges.includes(range)) wizard.set('allowedSourceRanges', [...ranges, range])
    setText('')
  }
  const anywhere = ranges.includes('0.0.0.0/0')
  const [asking, setAsking] = useState(false)
  return (
    <div className="field">
      <label htmlFor="wizard-range">Who may connect (JupyterHub, SSH/RDP)</label>
      <div className="row align-start">
        <input
          id="wizard-range"
          className="input mono input-medium"
          value={text}
          placeholder="203.0.113.0/24"
          spellCheck={false}
          aria-invalid={typedProblem ? true : undefined}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && text.trim() && !typedProblem) add(text.trim())
          }}
        />
        <Button
          icon={<PlusIcon />}
          disabled={!text.trim() || !!typedProblem}
          onClick={() => add(text.trim())}
        >
          Add range
        </Button>
        <Button variant="ghost" onClick={() => setAsking(true)} disabled={asking}>
          Use my current address
        </Button>
      </div>
      {typedProblem && <span className="field-error">{typedProblem}</span>}
      {asking && (
        <MyAddress
          onFound={(range) => {
            add(range)
            setAsking(false)
          }}
          onCancel={() => setAsking(false)}
        />
      )}
      {ranges.length > 0 ? (
        <ul className="chip-list" aria-label="Allowed address ranges">
          {ranges.map((range) => (
            <li key={range} className="chip">
              <span className="mono">{range}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${range}`}
                onClick={() =>
                  wizard.set(
                    'allowedSourceRanges',
                    ranges.filter((r) => r !== range),
                  )
                }
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        problem && <span className="field-error">{problem}</span>
      )}
      <span className="help">
        Your office or home address range (ask your IT team), or the address this computer uses now.
        0.0.0.0/0 lets any address try to connect.
      </span>
      {anywhere && (
        <Notice tone="warning" title="Anyone on the internet can reach the sign-in pages">
          JupyterHub and SSH will accept connections from any address. Prefer your team’s ranges.
        </Notice>
      )}
    </div>
  )
}

/** Asks before the one look-up of this computer's public address, then adds it as a range. */
function MyAddress({
  onFound,
  onCancel,
}: {
  onFound: (range: string) => void
  onCancel: () => void
}) {
  const cloud = useSettings((s) => s.settings?.cloud)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | undefined>()
  const lookUp = async () => {
    setBusy(true)
    setError(undefined)
    try {
      onFound((await api.call('wizard.publicAddress', {})).range)
    } catch (e) {
      setError(toApiError(e))
      setBusy(false)
    }
  }
  return (
    <div className="card consent" role="group" aria-label="Look up my address">
      <p>
        {cloud === 'Sandbox'
          ? 'In the sandbox this gives a stand-in address from the documentation range; nothing leaves your computer.'
          : 'To find the address your computer reaches the internet from, the app asks api.ipify.org once. That service sees your address, nothing else. Addresses change when you move networks: add your office’s range too.'}
      </p>
      <div className="row">
        <Button variant="primary" size="small" busy={busy} onClick={() => void lookUp()}>
          Look up my address
        </Button>
        <Button variant="ghost" size="small" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {error && <ErrorAlert error={error} title="Your address was not found" />}
    </div>
  )
}

/**
 * How teammates sign in on the instances (docs/team.md). Microsoft accounts need the right to
 * assign roles (the Team section adds members as role assignments); pool accounts are the
 * fallback on Linux where that can't be set up.
 */
function TeamAccess({ draft }: { draft: Draft }) {
  const wizard = wizardStore.getState()
  const [suggested, setSuggested] = useState<{ key: string; reason: string }>()
  const key = `${draft.subscriptionId}/${draft.resourceGroup.name}`
  const undecided = draft.osType === 'Linux' && draft.teamAccess === undefined
  useEffect(() => {
    if (!undecided) return
    let current = true
    // The default follows the person's rights; any failure leaves Microsoft accounts.
    api
      .call('wizard.teamAccessDefault', {
        subscriptionId: draft.subscriptionId,
        resourceGroup: draft.resourceGroup.name,
      })
      .then(
        ({ choice, reason }) => {
          if (!current || wizardStore.getState().draft?.teamAccess !== undefined) return
          wizardStore.getState().set('teamAccess', choice)
          setSuggested({ key, reason })
        },
        () => undefined,
      )
    return () => {
      current = false
    }
  }, [undecided, key, draft.subscriptionId, draft.resourceGroup.name])
  if (draft.osType === 'Windows')
    return (
      <div className="stack tight">
        <span className="field-label">How teammates sign in</span>
        <p className="muted">
          With their own Microsoft accounts: each member you add under Team signs in over Remote
          Desktop as themselves.
        </p>
      </div>
    )
  const value = draft.teamAccess ?? 'entra'
  return (
    <div className="stack tight">
      <Segmented
        label="How teammates sign in"
        name="wizard-team-access"
        value={value}
        options={[
          { value: 'entra', label: 'Their Microsoft accounts' },
          { value: 'poolAccounts', label: 'Pool accounts' },
        ]}
        onChange={(choice) => {
          setSuggested(undefined)
          wizard.set('teamAccess', choice)
        }}
      />
      {suggested?.key === key && <p>{suggested.reason}</p>}
      <p className="muted">
        {value === 'entra'
          ? 'Recommended. You add teammates under Team on the pool’s page, and each signs in to SSH and the instances as themselves with their work account. Adding members needs the right to assign roles (Owner or User Access Administrator).'
          : 'For teams where Microsoft accounts can’t be used (no one may assign roles, or personal accounts). Each teammate makes their own user name and JupyterHub password on the pool’s page; their password never leaves their computer.'}
      </p>
    </div>
  )
}
