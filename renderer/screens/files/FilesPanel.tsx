import { useEffect, useRef, useState, type DragEvent } from 'react'
import {
  shareNameSchema,
  type CallOutput,
  type OnExisting,
  type ShareEntry,
  type TransferProgress,
} from '../../../shared/api'
import type { PoolSummary } from '../../../shared/pools'
import { api, toApiError } from '../../api'
import { Button } from '../../components/Button'
import { onExistingFor, useCollisionQuestions, type Choice } from './CollisionDialog'
import { sizeText } from './size-text'
import { uploadFile, type UploadHandle } from './upload'
import './files.css'

/*
 * The pool's file share in the app, over HTTPS (works where SMB port 445 is blocked): opens
 * at the user's notebooks/<user> folder, folders and files, upload by picker or drag and drop
 * (asking before a taken name is replaced), download to the Downloads folder (beside, never
 * over, a file there) with "Show in folder", new folder, rename, delete with confirmation
 * (a folder says what it holds), and the transfers with progress and cancel.
 */

type Editing =
  | { kind: 'newFolder' }
  | { kind: 'rename'; entry: ShareEntry }
  | { kind: 'delete'; entry: ShareEntry; summary?: CallOutput<'files.folderSummary'> }

export function FilesPanel({ pool }: { pool: PoolSummary }) {
  const [opened, setOpened] = useState<{ share: string; home: string }>()
  const [path, setPath] = useState('')
  const [entries, setEntries] = useState<ShareEntry[]>([])
  const [loading, setLoading] = useState(false)
  const [problem, setProblem] = useState<string>()
  const [editing, setEditing] = useState<Editing>()
  const [name, setName] = useState('')
  const [transfers, setTransfers] = useState<Record<string, TransferProgress>>({})
  const [dragging, setDragging] = useState(false)
  const [mount, setMount] = useState<{ busy: boolean; message?: string; blocked?: boolean }>({
    busy: false,
  })
  const uploads = useRef(new Map<string, UploadHandle>())
  const { ask, dialog } = useCollisionQuestions()
  const picker = useRef<HTMLInputElement>(null)
  const poolId = pool.id

  const reload = useRef<() => Promise<void>>(async () => undefined)
  useEffect(
    () =>
      api.on('files.progress', (progress) => {
        setTransfers((all) => ({ ...all, [progress.transferId]: progress }))
        if (progress.state === 'done' && progress.direction === 'upload') void reload.current()
      }),
    [],
  )

  const attempt = async (action: () => Promise<void>) => {
    setProblem(undefined)
    try {
      await action()
    } catch (error) {
      setProblem(toApiError(error).message)
    }
  }

  async function load(at: string) {
    setLoading(true)
    await attempt(async () => {
      setEntries(await api.call('files.list', { poolId, path: at }))
      setPath(at)
    })
    setLoading(false)
  }
  const refresh = () => load(path)
  // A finished upload shows in the folder shown now.
  useEffect(() => {
    reload.current = () => load(path)
  })

  async function open() {
    setLoading(true)
    await attempt(async () => {
      const result = await api.call('files.open', { poolId })
      setOpened({ share: result.share, home: result.home })
      setEntries(result.entries)
      setPath(result.home)
    })
    setLoading(false)
  }

  /** Asks about every taken name first (with "do the same for the rest"), then uploads. */
  async function upload(files: FileList | null) {
    const picked = Array.from(files ?? [])
    if (picked.length === 0) return
    const folder = path
    setProblem(undefined)
    const taken: CallOutput<'files.existing'> = []
    try {
      // A name Azure Files refuses is told by its own upload, not by failing the batch.
      const names = [...new Set(picked.map((f) => f.name))].filter(
        (name) => shareNameSchema.safeParse(name).success,
      )
      for (let i = 0; i < names.length; i += 1000)
        taken.push(
          ...(await api.call('files.existing', {
            poolId,
            folder,
            names: names.slice(i, i + 1000),
          })),
        )
    } catch (error) {
      setProblem(toApiError(error).message)
      return
    }
    const existingByName = new Map(taken.map((e) => [e.name.toLowerCase(), e]))
    const colliding = picked.filter((f) => existingByName.has(f.name.toLowerCase()))
    const decisions = new Map<File, OnExisting | 'skip'>()
    let forRest: Choice | undefined
    for (const [index, file] of colliding.entries()) {
      const existing = existingByName.get(file.name.toLowerCase())!
      // A folder cannot be replaced: that one is asked about on its own.
      let choice = forRest === 'replace' && existing.kind === 'folder' ? undefined : forRest
      if (!choice) {
        const answer = await ask(existing, false, colliding.length - index - 1)
        choice = answer.choice
        if (answer.forRest) forRest = answer.choice
      }
      decisions.set(file, onExistingFor(choice, existing))
    }
    for (const file of picked) {
      const decision = decisions.get(file)
      if (decision === 'skip') continue
      const handle = uploadFile(api, poolId, folder, file, {
        ...(decision ? { onExisting: decision } : {}),
        ask: async (existing, changed) =>
          onExistingFor((await ask(existing, changed)).choice, existing),
      })
      void handle.transferId.then((id) => uploads.current.set(id, handle))
      handle.done.catch((error: unknown) => setProblem(toApiError(error).message))
    }
  }

  async function confirmDelete(entry: ShareEntry) {
    setEditing({ kind: 'delete', entry })
    if (entry.kind !== 'folder') return
    await attempt(async () => {
      const summary = await api.call('files.folderSummary', { poolId, path: entry.path })
      setEditing((now) =>
        now?.kind === 'delete' && now.entry.path === entry.path ? { ...now, summary } : now,
      )
    })
  }

  async function submitEdit() {
    if (!editing) return
    await attempt(async () => {
      if (editing.kind === 'newFolder')
        await api.call('files.createFolder', { poolId, parent: path, name })
      else if (editing.kind === 'rename')
        await api.call('files.rename', {
          poolId,
          path: editing.entry.path,
          kind: editing.entry.kind,
          newName: name,
        })
      else
        await api.call('files.delete', {
          poolId,
          path: editing.entry.path,
          kind: editing.entry.kind,
        })
      setEditing(undefined)
      await refresh()
    })
  }

  async function mountHere() {
    setMount({ busy: true })
    try {
      const check = await api.call('connect.checkMount', { poolId })
      if (!check.reachable) {
        setMount({
          busy: false,
          blocked: true,
          message: `SMB (port 445) to ${check.host} is blocked from this computer. ${check.reason ?? ''} Keep using this browser: it works over HTTPS.`,
        })
        return
      }
      const { where } = await api.call('connect.mount', { poolId })
      setMount({ busy: false, message: `Mounted: ${where}` })
    } catch (error) {
      setMount({ busy: false, blocked: true, message: toApiError(error).message })
    }
  }

  const crumbs = path ? path.split('/') : []
  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    void upload(event.dataTransfer.files)
  }

  return (
    <section className="card stack files-panel" aria-labelledby="files-title">
      <div className="files-head">
        <h2 id="files-title">Files on the share</h2>
        {!opened && (
          <Button busy={loading} onClick={() => void open()}>
            Browse files
          </Button>
        )}
      </div>
      {!opened && (
        <p className="muted">
          The pool’s shared folder, mounted on every instance. Browsing works over HTTPS, also where
          SMB (port 445) is blocked.
        </p>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {opened && (
        <>
          <nav aria-label="Folder path" className="files-crumbs">
            {/* The share's own name often repeats its first folder's (notebooks / notebooks). */}
            <button
              type="button"
              className="link-button"
              title={`The top of the share ${opened.share}`}
              onClick={() => void load('')}
            >
              Share
            </button>
            {crumbs.map((part, i) => (
              <span key={i}>
                {' / '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => void load(crumbs.slice(0, i + 1).join('/'))}
                >
                  {part}
                </button>
              </span>
            ))}
          </nav>
          <div className="files-toolbar">
            <Button
              size="small"
              disabled={!path}
              onClick={() => void load(crumbs.slice(0, -1).join('/'))}
            >
              Up
            </Button>
            <Button size="small" onClick={() => (setEditing({ kind: 'newFolder' }), setName(''))}>
              New folder
            </Button>
            <Button size="small" variant="primary" onClick={() => picker.current?.click()}>
              Upload
            </Button>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              aria-label="Files to upload"
              onChange={(event) => {
                void upload(event.target.files).finally(() => (event.target.value = ''))
              }}
            />
            <Button size="small" variant="ghost" busy={loading} onClick={() => void refresh()}>
              Refresh
            </Button>
            <Button size="small" variant="ghost" busy={mount.busy} onClick={() => void mountHere()}>
              Mount on this computer
            </Button>
          </div>
          {mount.message && (
            <p
              className={mount.blocked ? 'files-mount warning' : 'files-mount muted'}
              role="status"
            >
              {mount.message}
            </p>
          )}
          {editing && (
            <form
              className="files-edit"
              onSubmit={(event) => {
                event.preventDefault()
                void submitEdit()
              }}
            >
              {editing.kind === 'delete' ? (
                <DeleteQuestion entry={editing.entry} summary={editing.summary} />
              ) : (
                <label>
                  {editing.kind === 'newFolder'
                    ? 'Folder name'
                    : `New name for ${editing.entry.name}`}
                  <input
                    value={name}
                    onChange={(e) => setName(e.target.value)}
                    autoFocus
                    maxLength={255}
                  />
                </label>
              )}
              <Button
                size="small"
                type="submit"
                variant={editing.kind === 'delete' ? 'danger' : 'primary'}
                disabled={
                  editing.kind === 'delete' &&
                  editing.entry.kind === 'folder' &&
                  !editing.summary &&
                  !problem
                }
              >
                {editing.kind === 'delete'
                  ? 'Delete'
                  : editing.kind === 'newFolder'
                    ? 'Create folder'
                    : 'Rename'}
              </Button>
              <Button size="small" variant="ghost" onClick={() => setEditing(undefined)}>
                Cancel
              </Button>
            </form>
          )}
          {dialog}
          <div
            className={`files-list${dragging ? ' dragging' : ''}`}
            role="list"
            aria-label="Files"
            onDragOver={(event) => {
              event.preventDefault()
              setDragging(true)
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            {entries.length === 0 && (
              <p className="muted files-empty">
                This folder is empty. Drop files here to upload them.
              </p>
            )}
            {entries.map((entry) => (
              <div role="listitem" key={entry.path} className="files-row" aria-label={entry.name}>
                {entry.kind === 'folder' ? (
                  <button
                    type="button"
                    className="link-button files-name"
                    onClick={() => void load(entry.path)}
                  >
                    {entry.name}/
                  </button>
                ) : (
                  <span className="files-name">{entry.name}</span>
                )}
                <span className="muted mono">{sizeText(entry.size)}</span>
                <span className="row-actions">
                  {entry.kind === 'file' && (
                    <button
                      type="button"
                      className="button small ghost"
                      aria-label={`Download ${entry.name}`}
                      onClick={() =>
                        void attempt(
                          async () =>
                            void (await api.call('files.download', { poolId, path: entry.path })),
                        )
                      }
                    >
                      Download
                    </button>
                  )}
                  <button
                    type="button"
                    className="button small ghost"
                    aria-label={`Rename ${entry.name}`}
                    onClick={() => (setEditing({ kind: 'rename', entry }), setName(entry.name))}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="button small ghost danger-text"
                    aria-label={`Delete ${entry.name}`}
                    onClick={() => void confirmDelete(entry)}
                  >
                    Delete
                  </button>
                </span>
              </div>
            ))}
          </div>
          <Transfers
            transfers={Object.values(transfers)}
            show={(id) =>
              void attempt(
                async () => void (await api.call('files.showDownload', { transferId: id })),
              )
            }
            cancel={(id) => {
              const upload = uploads.current.get(id)
              if (upload) upload.cancel()
              else void api.call('files.cancel', { transferId: id })
            }}
            dismiss={(id) =>
              setTransfers((all) =>
                Object.fromEntries(Object.entries(all).filter(([key]) => key !== id)),
              )
            }
          />
        </>
      )}
    </section>
  )
}

function DeleteQuestion({
  entry,
  summary,
}: {
  entry: ShareEntry
  summary: CallOutput<'files.folderSummary'> | undefined
}) {
  if (entry.kind === 'file')
    return (
      <p>
        Delete <strong>{entry.name}</strong>? Teammates lose it too.
      </p>
    )
  if (!summary)
    return (
      <p>
        Counting what is in <strong>{entry.name}</strong>…
      </p>
    )
  if (summary.files === 0 && summary.folders === 0)
    return (
      <p>
        Delete the empty folder <strong>{entry.name}</strong>?
      </p>
    )
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  const holds = summary.complete
    ? [
        count(summary.files, 'file', 'files'),
        ...(summary.folders ? [count(summary.folders, 'folder', 'folders')] : []),
      ].join(' and ') + ` (${sizeText(summary.bytes)})`
    : `more than ${(summary.files + summary.folders).toLocaleString()} files and folders`
  return (
    <p>
      Delete the folder <strong>{entry.name}</strong> and everything in it: {holds}? Teammates lose
      them too.
    </p>
  )
}

function Transfers({
  transfers,
  cancel,
  dismiss,
  show,
}: {
  transfers: TransferProgress[]
  cancel(id: string): void
  dismiss(id: string): void
  show(id: string): void
}) {
  if (transfers.length === 0) return null
  return (
    <ul className="files-transfers" aria-label="Transfers">
      {transfers.map((t) => {
        const name = t.path.slice(t.path.lastIndexOf('/') + 1)
        const percent = t.total
          ? Math.round((t.bytes / t.total) * 100)
          : t.state === 'done'
            ? 100
            : 0
        const label = `${t.direction === 'upload' ? 'Upload' : 'Download'} of ${name}`
        return (
          <li key={t.transferId} aria-label={label}>
            <span>
              {label}:{' '}
              {t.state === 'running'
                ? (t.message ?? `${percent}%`)
                : t.state === 'done'
                  ? t.savedTo
                    ? `saved to ${t.savedTo}`
                    : 'done'
                  : t.state === 'cancelled'
                    ? (t.message ?? 'cancelled')
                    : `failed: ${t.message ?? ''}`}
            </span>
            <progress max={100} value={percent} aria-label={`${label} progress`} />
            {t.state === 'done' && t.savedTo ? (
              <span className="row-actions">
                <Button size="small" variant="ghost" onClick={() => show(t.transferId)}>
                  Show in folder
                </Button>
                <Button size="small" variant="ghost" onClick={() => dismiss(t.transferId)}>
                  Dismiss
                </Button>
              </span>
            ) : t.state === 'running' ? (
              <Button size="small" variant="ghost" onClick={() => cancel(t.transferId)}>
                Cancel
              </Button>
            ) : (
              <Button size="small" variant="ghost" onClick={() => dismiss(t.transferId)}>
                Dismiss
              </Button>
            )}
          </li>
        )
      })}
    </ul>
  )
}
