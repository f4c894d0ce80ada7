import { useState, type FormEvent } from 'react'
import type { PoolSummary } from '../../../shared/pools'
import type {
  DirectoryUser,
  JoinRequest,
  TeamMember,
  TeamRole,
  TeamView,
} from '../../../shared/team'
import { api, toApiError, type ApiError } from '../../api'
import { ErrorAlert, Notice } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { CopyButton } from '../../components/CopyButton'
import { Loading } from '../../components/Spinner'
import { useLoad } from '../../lib/use-load'
import './team.css'

const roleHelp: Record<TeamRole, string> = {
  User: 'connects, sees instances and cost',
  Manager: 'also scales, schedules, sets the budget and manages members',
}

/**
 * Who may use the pool (role assignments on its resource group, named by Microsoft Graph):
 * add by name or email, change a role, remove with confirmation; "Ask to join" for people
 * who can see the pool but are not members. What the signed-in user lacks is said up front.
 */
export function TeamSection({ pool }: { pool: PoolSummary }) {
  const poolId = pool.id
  const [load, reload, showView] = useLoad(poolId, () => api.call('team.members', { poolId }), {
    keepWhileReloading: true,
  })
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')
  const [actionError, setActionError] = useState<ApiError>()
  const [removing, setRemoving] = useState<TeamMember>()

  const change = async (run: () => Promise<TeamView>, done: string) => {
    setBusy(true)
    setActionError(undefined)
    setMessage('')
    try {
      showView(await run())
      setMessage(done)
    } catch (error) {
      setActionError(toApiError(error))
    } finally {
      setBusy(false)
    }
  }

  const view = load.status === 'loaded' ? load.value : undefined
  return (
    <section className="card stack team-section" aria-labelledby="team-title">
      <div className="stack">
        <h2 id="team-title">Team</h2>
        <p className="muted">
          Everyone here signs in as themselves. Members are role assignments on resource group{' '}
          {pool.resourceGroup} in Azure: a <strong>User</strong> {roleHelp.User}; a{' '}
          <strong>Manager</strong> {roleHelp.Manager}.
        </p>
      </div>
      {load.status === 'loading' && <Loading label="Reading the pool’s members…" />}
      {load.status === 'failed' && (
        <ErrorAlert error={load.error} title="Couldn’t read the pool’s members" onRetry={reload} />
      )}
      {view && !view.canManage && view.reason && (
        <Notice title="You can’t change the members">
          <p>{view.reason}</p>
        </Notice>
      )}
      {actionError && <ErrorAlert error={actionError} title="The members were not changed" />}
      <p className="team-status" role="status">
        {message}
      </p>
      {view && (
        <MemberList
          view={view}
          busy={busy}
          onRole={(member, role) =>
            void change(
              () => api.call('team.setRole', { poolId, userId: member.id, role }),
              `${member.displayName} is now a ${role}.`,
            )
          }
          onRemove={setRemoving}
        />
      )}
      {removing && (
        <div className="card confirm-panel" role="alertdialog" aria-labelledby="remove-title">
          <h3 id="remove-title">Remove {removing.displayName} from the pool?</h3>
          <p>
            Their role assignments on {pool.resourceGroup} are deleted: they can no longer sign in
            to the instances or see the pool
            {removing.isMe ? ' — and that includes you' : ''}. Their notebooks on the share stay.
          </p>
          <div className="alert-actions">
            <Button
              variant="danger"
              onClick={() => {
                const member = removing
                setRemoving(undefined)
                void change(
                  () => api.call('team.remove', { poolId, userId: member.id }),
                  `${member.displayName} was removed from the pool.`,
                )
              }}
            >
              Remove {removing.displayName}
            </Button>
            <Button onClick={() => setRemoving(undefined)}>Cancel</Button>
          </div>
        </div>
      )}
      {view?.canManage && (
        <AddMember
          poolId={poolId}
          members={view.members}
          busy={busy}
          onAdd={(person, role) =>
            change(
              () => api.call('team.add', { poolId, userId: person.id, role }),
              `${person.displayName} was added as ${role}.`,
            )
          }
        />
      )}
      {view && !view.me.role && <AskToJoin poolId={poolId} />}
    </section>
  )
}

function MemberList({
  view,
  busy,
  onRole,
  onRemove,
}: {
  view: TeamView
  busy: boolean
  onRole(member: TeamMember, role: TeamRole): void
  onRemove(member: TeamMember): void
}) {
  if (view.members.length === 0)
    return <p className="muted">No one is a member of this pool yet.</p>
  const managers = view.members.filter((m) => m.role === 'Manager')
  // The service refuses it too: a pool needs at least one Manager.
  const onlyManager = (m: TeamMember) => managers.length === 1 && managers[0]!.id === m.id
  return (
    <ul className="team-members" aria-label="Members">
      {view.members.map((m) => (
        <li key={m.id} className="team-member" aria-label={m.displayName}>
          <div className="stack tight">
            <span className="team-name">
              {m.displayName}
              {m.isMe && <span className="muted"> (you)</span>}
              {m.guest && <span className="badge">Guest</span>}
            </span>
            <span className="muted">{m.email}</span>
            {m.missing.length > 0 && (
              <span className="field-error">
                Lacks {m.missing.join(' and ')}: choose the role again to repair it.
              </span>
            )}
          </div>
          {view.canManage ? (
            <div className="team-actions">
              <label className="visually-hidden" htmlFor={`role-${m.id}`}>
                Role of {m.displayName}
              </label>
              <select
                id={`role-${m.id}`}
                className="select"
                value={m.role}
                disabled={busy}
                onChange={(e) => onRole(m, e.target.value as TeamRole)}
              >
                <option value="User" disabled={onlyManager(m)}>
                  User
                </option>
                <option value="Manager">Manager</option>
              </select>
              {onlyManager(m) ? (
                <span className="muted">
                  A pool needs at least one Manager: make someone else a Manager to remove{' '}
                  {m.isMe ? 'yourself' : 'them'}.
                </span>
              ) : (
                <Button size="small" variant="ghost" disabled={busy} onClick={() => onRemove(m)}>
                  Remove<span className="visually-hidden"> {m.displayName}</span>
                </Button>
              )}
            </div>
          ) : (
            <span className="badge">{m.role}</span>
          )}
        </li>
      ))}
    </ul>
  )
}

function AddMember({
  poolId,
  members,
  busy,
  onAdd,
}: {
  poolId: string
  members: TeamMember[]
  busy: boolean
  onAdd(person: DirectoryUser, role: TeamRole): Promise<void>
}) {
  const [text, setText] = useState('')
  const [role, setRole] = useState<TeamRole>('User')
  const [results, setResults] = useState<DirectoryUser[]>()
  const [searching, setSearching] = useState(false)
  const [error, setError] = useState<ApiError>()

  const search = async (e: FormEvent) => {
    e.preventDefault()
    if (!text.trim()) return
    setSearching(true)
    setError(undefined)
    try {
      setResults(await api.call('team.search', { poolId, text: text.trim() }))
    } catch (failure) {
      setError(toApiError(failure))
    } finally {
      setSearching(false)
    }
  }

  return (
    <div className="stack team-add">
      <h3>Add a member</h3>
      <form className="inline-form" onSubmit={(e) => void search(e)}>
        <label htmlFor="team-search">Name or email</label>
        <input
          id="team-search"
          className="input"
          autoComplete="off"
          value={text}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
        />
        <label htmlFor="team-role">as</label>
        <select
          id="team-role"
          className="select"
          value={role}
          onChange={(e) => setRole(e.target.value as TeamRole)}
        >
          <option value="User">User</option>
          <option value="Manager">Manager</option>
        </select>
        <Button type="submit" busy={searching} disabled={!text.trim()}>
          Search
        </Button>
      </form>
      {error && <ErrorAlert error={error} title="The directory could not be searched" />}
      {results && results.length === 0 && (
        <p className="muted">
          No one in your organisation’s directory matches “{text.trim()}”. Try part of the first or
          last name, or the full email address.
        </p>
      )}
      {results && results.length > 0 && (
        <ul className="team-members" aria-label="Search results">
          {results.map((person) => {
            const member = members.find((m) => m.id === person.id)
            return (
              <li key={person.id} className="team-member">
                <div className="stack tight">
                  <span className="team-name">
                    {person.displayName}
                    {person.guest && <span className="badge">Guest</span>}
                  </span>
                  <span className="muted">{person.email}</span>
                </div>
                {member ? (
                  <span className="muted">Already a {member.role}</span>
                ) : (
                  <Button
                    size="small"
                    variant="primary"
                    disabled={busy}
                    onClick={() => void onAdd(person, role).then(() => setResults(undefined))}
                  >
                    Add {person.displayName} as {role}
                  </Button>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}

function AskToJoin({ poolId }: { poolId: string }) {
  const [request, setRequest] = useState<JoinRequest>()
  const [error, setError] = useState<ApiError>()
  const [busy, setBusy] = useState(false)
  const ask = async () => {
    setBusy(true)
    setError(undefined)
    try {
      setRequest(await api.call('team.joinRequest', { poolId }))
    } catch (failure) {
      setError(toApiError(failure))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="stack team-join">
      <h3>You are not a member of this pool</h3>
      <p className="muted">
        You can see it, but you cannot sign in to its instances. A Manager can add you.
      </p>
      {!request && (
        <div>
          <Button variant="primary" busy={busy} onClick={() => void ask()}>
            Ask to join
          </Button>
        </div>
      )}
      {error && <ErrorAlert error={error} title="The message could not be prepared" />}
      {request && (
        <div className="stack">
          <p>
            Send this to{' '}
            {request.to.length
              ? request.to.map((p) => `${p.displayName} (${p.email})`).join(' or ')
              : 'an Owner of the subscription'}
            :
          </p>
          <label className="visually-hidden" htmlFor="join-text">
            Message to send
          </label>
          <textarea
            id="join-text"
            className="input team-join-text"
            readOnly
            rows={request.text.split('\n').length + 2}
            value={request.text}
          />
          <div>
            <CopyButton text={request.text} label="Copy message" />
          </div>
        </div>
      )}
    </div>
  )
}
