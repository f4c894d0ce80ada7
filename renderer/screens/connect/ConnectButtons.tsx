import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { PoolInstance, PoolSummary } from '../../../shared/pools'
import { api, toApiError } from '../../api'
import { Button, type ButtonProps } from '../../components/Button'
import { CopyButton } from '../../components/CopyButton'
import { ExternalLink } from '../../components/ExternalLink'
import './connect.css'

/*
 * One click to work: JupyterHub, SSH (Linux pools) or Remote Desktop (Windows pools), the ssh
 * command to copy, and VS Code when it is installed. Main builds and starts every command;
 * these buttons only name the pool (and instance).
 */

let vscodeCheck: Promise<boolean> | undefined
/** Whether VS Code is installed, asked once per app run. */
function useVscodeAvailable(): boolean {
  const [available, setAvailable] = useState(false)
  useEffect(() => {
    let live = true
    vscodeCheck ??= api.call('connect.available', {}).then(
      (r) => r.vscode,
      () => false,
    )
    void vscodeCheck.then((value) => live && setAvailable(value))
    return () => {
      live = false
    }
  }, [])
  return available
}

/** JupyterHub's address when the system browser could not open it: a link and a copy button. */
function AddressToOpen({ url, what }: { url: string; what: string }) {
  return (
    <div className="connect-handover" role="status">
      <p>
        Your browser could not be opened from here.{' '}
        <ExternalLink href={url}>Open {what}</ExternalLink> yourself, or copy its address.
      </p>
      <CopyButton text={url} label="Copy the address" />
    </div>
  )
}

/** The ssh command when no terminal could be shown on this screen. */
function CommandToRun({ command }: { command: string }) {
  return (
    <div className="connect-handover" role="status">
      <p>No terminal could be opened on this screen. Run this command in a terminal:</p>
      <code className="connect-command">{command}</code>
      <CopyButton text={command} label="Copy the command" />
    </div>
  )
}

/** How long a short confirmation ("Copied: …") stays before it clears. */
const doneMessageMs = 8_000

function useAction() {
  const [problem, setProblem] = useState<string>()
  const [done, setDone] = useState<ReactNode>()
  // A sentence saying what just happened clears by itself; an address or command to use
  // stays until the next action.
  useEffect(() => {
    if (typeof done !== 'string') return
    const timer = setTimeout(() => setDone(undefined), doneMessageMs)
    return () => clearTimeout(timer)
  }, [done])
  const run = (action: () => Promise<ReactNode>) => {
    setProblem(undefined)
    setDone(undefined)
    action().then(setDone, (error: unknown) => setProblem(toApiError(error).message))
  }
  const status = (
    <>
      {problem && (
        <p className="field-error connect-status" role="alert">
          {problem}
        </p>
      )}
      {typeof done === 'string' ? (
        <p className="muted connect-status" role="status">
          {done}
        </p>
      ) : (
        done
      )}
    </>
  )
  return { run, status }
}

/** Opens the pool's JupyterHub; the first time it explains the self-signed certificate. */
export function JupyterHubButton({
  pool,
  label = 'JupyterHub',
  ...buttonProps
}: { pool: PoolSummary; label?: string } & Pick<ButtonProps, 'variant' | 'size'>) {
  const [note, setNote] = useState<string>()
  const { run, status } = useAction()
  if (!pool.jupyterHubUrl) return null
  const open = (acknowledgeCertificateNote: boolean) =>
    run(async () => {
      const result = await api.call('connect.openJupyterHub', {
        poolId: pool.id,
        ...(acknowledgeCertificateNote ? { acknowledgeCertificateNote } : {}),
      })
      setNote(result.certificateNote)
      if (result.certificateNote || result.opened) return undefined
      return <AddressToOpen url={result.url} what="JupyterHub" />
    })
  return (
    <span className="connect-item">
      <Button
        {...buttonProps}
        disabled={pool.view.jupyterHubBlocked !== undefined}
        title={pool.view.jupyterHubBlocked ?? pool.jupyterHubUrl}
        onClick={() => open(false)}
      >
        {label}
      </Button>
      {note && (
        <div className="connect-note card" role="dialog" aria-label="Before JupyterHub opens">
          <p>{note}</p>
          <div className="connect-note-actions">
            <Button
              size="small"
              variant="primary"
              onClick={() => {
                setNote(undefined)
                open(true)
              }}
            >
              Continue to JupyterHub
            </Button>
            <Button size="small" variant="ghost" onClick={() => setNote(undefined)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
      {status}
    </span>
  )
}

/** SSH or Remote Desktop to the pool, the ssh command to copy, and VS Code. */
export function PoolConnectButtons({ pool }: { pool: PoolSummary }) {
  const vscode = useVscodeAvailable()
  const { run, status } = useAction()
  const poolId = pool.id
  const idle = pool.running === 0
  const why = idle ? 'No instance is running' : undefined
  return (
    <div className="connect-buttons" aria-label="Connect">
      {pool.os === 'Linux' ? (
        <>
          <Button
            disabled={idle}
            title={why ?? 'Opens a terminal with ssh to the first running instance'}
            onClick={() =>
              run(async () => {
                const r = await api.call('connect.ssh', { poolId })
                if (!r.opened) return <CommandToRun command={r.command} />
                return `Opened ${r.terminal}: ${r.command}`
              })
            }
          >
            SSH
          </Button>
          <Button
            disabled={idle}
            title={why}
            onClick={() =>
              run(async () => {
                const { command } = await api.call('connect.copySshCommand', { poolId })
                await navigator.clipboard.writeText(command)
                return `Copied: ${command}`
              })
            }
          >
            Copy SSH command
          </Button>
          {vscode && (
            <Button
              disabled={idle}
              title={why ?? `VS Code Remote-SSH on host ${pool.name}`}
              onClick={() =>
                run(async () => {
                  await api.call('connect.vscode', { poolId })
                  return 'Opening VS Code…'
                })
              }
            >
              Open in VS Code
            </Button>
          )}
        </>
      ) : (
        <Button
          disabled={idle}
          title={why}
          onClick={() =>
            run(async () => {
              await api.call('connect.rdp', { poolId })
              return 'Opening Remote Desktop… it asks for the password.'
            })
          }
        >
          Remote Desktop
        </Button>
      )}
      {status}
    </div>
  )
}

/** SSH (or RDP) to one instance through its NAT port, for the instances table. */
export function InstanceConnectButton({
  pool,
  instance,
}: {
  pool: PoolSummary
  instance: PoolInstance
}) {
  const [problem, setProblem] = useState<string>()
  const [command, setCommand] = useState<string>()
  // The row clips what overflows it: the note is placed against the window, under the button.
  const [place, setPlace] = useState<{ top: number; right: number }>()
  const button = useRef<HTMLButtonElement>(null)
  const usable = instance.sshPort !== undefined && instance.powerState === 'running'
  const linux = pool.os === 'Linux'
  const target = { poolId: pool.id, instanceId: instance.instanceId }
  const close = () => {
    setProblem(undefined)
    setCommand(undefined)
  }
  const open = problem !== undefined || command !== undefined
  useEffect(() => {
    if (!open) return
    const rect = button.current?.getBoundingClientRect()
    if (rect) setPlace({ top: rect.bottom + 4, right: Math.max(8, window.innerWidth - rect.right) })
    const away = () => {
      setProblem(undefined)
      setCommand(undefined)
    }
    document.addEventListener('scroll', away, true)
    window.addEventListener('resize', away)
    return () => {
      document.removeEventListener('scroll', away, true)
      window.removeEventListener('resize', away)
    }
  }, [open])
  return (
    <span className="connect-item">
      <button
        ref={button}
        type="button"
        className="button small ghost"
        disabled={!usable}
        aria-label={`${linux ? 'SSH to' : 'Remote Desktop to'} ${instance.name}`}
        title={usable ? `${linux ? 'ssh' : 'RDP'} through port ${instance.sshPort}` : 'Not running'}
        onClick={() => {
          close()
          const call = linux
            ? api.call('connect.ssh', target).then((r) => !r.opened && setCommand(r.command))
            : api.call('connect.rdp', target)
          call.catch((error: unknown) => setProblem(toApiError(error).message))
        }}
      >
        {linux ? 'SSH' : 'RDP'}
      </button>
      {open && (
        <div
          className="connect-note card row-note"
          style={place ? { top: place.top, right: place.right } : undefined}
          role={problem ? 'alert' : 'dialog'}
          aria-label={problem ? undefined : `SSH to ${instance.name}`}
        >
          {problem ? <p>{problem}</p> : <CommandToRun command={command!} />}
          <Button size="small" variant="ghost" onClick={close}>
            Close
          </Button>
        </div>
      )}
    </span>
  )
}
