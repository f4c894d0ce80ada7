import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { PoolInstance, PoolSummary } from '../../../shared/pools'
import { api, toApiError } from '../../api'
import { Button } from '../../components/Button'
import {
  InstanceConnectButton,
  JupyterHubButton,
  PoolConnectButtons,
} from '../connect/ConnectButtons'
import { FilesPanel } from '../files/FilesPanel'
import { SpendPanel } from '../cost/SpendPanel'
import { PoolAccountsSection } from '../team/PoolAccountsSection'
import { SetUpTeamAccess } from '../team/SetUpTeamAccess'
import { TeamSection } from '../team/TeamSection'
import { AutoscaleEditor } from './AutoscaleEditor'
import { PoolInstances } from './PoolInstances'
import { PoolActivityList } from './PoolActivityList'
import type { GoneInstance } from './pools-store'
import { PoolBanner, type BannerOffer } from './PoolBanner'
import { fromLocalInput, toLocalInput } from './until-input'
import { StateBadge } from './PoolCard'
import { costText, instancesText } from './format'
import { useShallow } from 'zustand/react/shallow'
import { poolsStore, usePools } from './use-pools'

/** One pool: its figures, actions, the scale-to-zero switch, instances and autoscale. */

interface Confirmation {
  title: string
  body: ReactNode
  confirmLabel: string
  danger?: boolean
  /** The text a person must type to confirm (the pool's name for a delete). */
  typeToConfirm?: string
  /** Asks until when autoscale keeps a manual size (prefilled with the suggestion). */
  until?: { label: string; initial: string }
  /** A choice the person must make (what happens to protected instances). */
  choice?: { legend: string; options: Array<{ value: string; label: string }>; initial: string }
  run(answers: { until?: string; choice?: string }): Promise<{ message: string }>
  /** For actions that finish with their answer (no progress to follow): shown at once. */
  finishesAtOnce?: boolean
  /** The section whose button asked: the panel opens there, next to that button. */
  near: 'zero' | 'instances' | 'delete' | 'key'
}

const noInstances: Record<string, PoolInstance> = {}
const noneGone: GoneInstance[] = []

export function PoolDetail({ pool }: { pool: PoolSummary }) {
  const action = usePools((s) => s.actions[pool.id.toLowerCase()])
  const gone = usePools((s) => s.gone[pool.id.toLowerCase()] ?? noneGone)
  const [confirming, setConfirming] = useState<Confirmation>()
  const [keyResult, setKeyResult] = useState<{ ok: boolean; message: string }>()
  const finishAtOnce = async (start: () => Promise<{ message: string }>) => {
    try {
      setKeyResult({ ok: true, message: (await start()).message })
    } catch (error) {
      setKeyResult({ ok: false, message: toApiError(error).message })
    }
  }
  const [capacity, setCapacity] = useState(String(pool.capacity))
  // When Azure's capacity changes (autoscale, a teammate), the field follows it.
  const [shownCapacity, setShownCapacity] = useState(pool.capacity)
  if (shownCapacity !== pool.capacity) {
    setShownCapacity(pool.capacity)
    setCapacity(String(pool.capacity))
  }
  const store = poolsStore.getState()
  const run = (start: () => Promise<{ message: string }>) => void store.run(pool.id, start)
  const poolId = pool.id
  const scaledToZero = pool.view.scaledToZero
  const wanted = Number(capacity)
  const capacityValid = capacity !== '' && Number.isInteger(wanted) && wanted >= 0 && wanted <= 1000

  const kept = pool.autoscaleEnabled
  const untilField = (size: number) => ({
    label: `Autoscale keeps it at ${size} until`,
    initial: pool.view.suggestedUntil,
  })
  const busy = !!action && !action.result
  // Only the protected instances: a poll that changes other rows leaves this page alone.
  const protectedNow = usePools(
    useShallow((s) =>
      Object.values(s.instances[pool.id.toLowerCase()] ?? noInstances).filter(
        (i) => i.protectedFromScaleIn && i.provisioningState !== 'Deleting',
      ),
    ),
  )

  const scaleToZero = (only?: 'include') =>
    setConfirming({
      title: only
        ? `Delete the protected instance${protectedNow.length === 1 ? '' : 's'} too?`
        : `Scale ${pool.name} to zero?`,
      body: only
        ? `${protectedNow.map((i) => i.name).join(', ')} lose${protectedNow.length === 1 ? 's its' : ' their'} scale-in protection and ${protectedNow.length === 1 ? 'is' : 'are'} deleted with ${protectedNow.length === 1 ? 'its' : 'their'} OS disk${protectedNow.length === 1 ? '' : 's'}. Anything not saved on the file share is lost.`
        : `${
            protectedNow.length
              ? `The ${pool.total - protectedNow.length} unprotected instance${pool.total - protectedNow.length === 1 ? '' : 's'}`
              : `The ${pool.total} instance${pool.total === 1 ? '' : 's'}`
          } and their OS disks are deleted; anything not saved on the file share is lost. Autoscale is switched off until you switch this off again.${
            protectedNow.length
              ? ` ${protectedNow.map((i) => i.name).join(', ')} ${protectedNow.length === 1 ? 'is' : 'are'} protected from scale-in: a scale-in skips protected instances.`
              : ''
          }`,
      confirmLabel: only ? 'Delete them too' : 'Scale to zero',
      danger: true,
      near: 'zero',
      ...(protectedNow.length && !only
        ? {
            choice: {
              legend: 'Protected instances',
              initial: 'keep',
              options: [
                { value: 'keep', label: 'Keep them running (they keep costing money)' },
                {
                  value: 'include',
                  label: 'Include them: remove their protection and delete them',
                },
              ],
            },
          }
        : {}),
      run: ({ choice }) =>
        api.call('pools.setScaledToZero', {
          poolId,
          on: true,
          ...(only || choice === 'include' ? { protectedInstances: 'include' as const } : {}),
          ...(choice === 'keep' ? { protectedInstances: 'keep' as const } : {}),
        }),
    })

  const keepUntil = (title: string, confirmLabel: string, size: number) =>
    setConfirming({
      title,
      body: `Autoscale keeps ${pool.name} at ${size} instance${size === 1 ? '' : 's'} until the time below, then follows its schedule again. Everyone on the team sees who kept it and until when.`,
      confirmLabel,
      near: 'zero',
      until: untilField(size),
      run: ({ until }) => api.call('pools.keepUntil', { poolId, until: until! }),
    })

  const bringBack = () => {
    if (pool.view.heldAtZeroBy === 'schedule')
      return keepUntil(`Start ${pool.name} now?`, 'Start now', pool.restoreCapacity ?? 1)
    if (pool.view.bringBackKept)
      return setConfirming({
        title: `Bring ${pool.name} back?`,
        body: `${pool.restoreCapacity ?? 1} instance${(pool.restoreCapacity ?? 1) === 1 ? ' comes' : 's come'} back. Its schedule would keep it at zero now, so autoscale keeps ${pool.restoreCapacity === 1 ? 'it' : 'them'} until the time below.`,
        confirmLabel: 'Bring it back',
        near: 'zero',
        until: untilField(pool.restoreCapacity ?? 1),
        run: ({ until }) =>
          api.call('pools.setScaledToZero', { poolId, on: false, ...(until ? { until } : {}) }),
      })
    run(() => api.call('pools.setScaledToZero', { poolId, on: false }))
  }

  const bannerOffers: Partial<Record<BannerOffer, ReactNode>> = {
    restoreFromZero: pool.view.heldAtZeroBy !== undefined && (
      <Button size="small" disabled={busy} onClick={bringBack}>
        Bring it back
      </Button>
    ),
    startUntil: (
      <Button size="small" disabled={busy} onClick={bringBack}>
        Start now until…
      </Button>
    ),
    endOverride: (
      <Button
        size="small"
        disabled={busy}
        onClick={() => run(() => api.call('pools.endOverride', { poolId }))}
      >
        End now
      </Button>
    ),
    includeProtected: protectedNow.length > 0 && (
      <Button size="small" variant="danger" disabled={busy} onClick={() => scaleToZero('include')}>
        Delete {protectedNow.length === 1 ? 'it' : 'them'} too…
      </Button>
    ),
    keepRunning: (
      <Button
        size="small"
        disabled={busy}
        onClick={() => keepUntil(`Keep ${pool.name} running?`, 'Keep running', pool.capacity)}
      >
        Keep running until…
      </Button>
    ),
  }

  const confirmPanel = (near: Confirmation['near']) =>
    confirming?.near === near && (
      <ConfirmPanel
        confirmation={confirming}
        onCancel={() => setConfirming(undefined)}
        onConfirm={(answers) => {
          const chosen = confirming
          setConfirming(undefined)
          if (chosen.finishesAtOnce) void finishAtOnce(() => chosen.run(answers))
          else run(() => chosen.run(answers))
        }}
      />
    )

  const instanceActions = {
    connect: (i: PoolInstance) => <InstanceConnectButton pool={pool} instance={i} />,
    restart: (i: PoolInstance) =>
      setConfirming({
        title: `Restart ${i.name}?`,
        body: 'Anyone working on this instance loses unsaved work in running notebooks.',
        confirmLabel: 'Restart',
        near: 'instances',
        run: () =>
          api.call('pools.instanceAction', { poolId, instanceId: i.instanceId, action: 'restart' }),
      }),
    remove: (i: PoolInstance) =>
      setConfirming({
        title: `Delete ${i.name}?`,
        body: 'The instance and its OS disk are deleted; the pool has one instance fewer. Notebooks on the shared file share stay.',
        confirmLabel: 'Delete instance',
        danger: true,
        near: 'instances',
        run: () =>
          api.call('pools.instanceAction', { poolId, instanceId: i.instanceId, action: 'delete' }),
      }),
    startStop: (i: PoolInstance, start: boolean) =>
      start
        ? run(() =>
            api.call('pools.instanceAction', { poolId, instanceId: i.instanceId, action: 'start' }),
          )
        : setConfirming({
            title: `Stop ${i.name}?`,
            body: 'The instance is deallocated: its compute stops costing money, its OS disk does not. Unsaved work in running notebooks on it is lost.',
            confirmLabel: 'Stop',
            near: 'instances',
            run: () =>
              api.call('pools.instanceAction', {
                poolId,
                instanceId: i.instanceId,
                action: 'stop',
              }),
          }),
    protect: (i: PoolInstance, protect: boolean) =>
      run(() =>
        api.call('pools.instanceAction', {
          poolId,
          instanceId: i.instanceId,
          action: protect ? 'protect' : 'unprotect',
        }),
      ),
  }

  return (
    <main className="page pools-page wide" aria-labelledby="pool-title">
      <div className="page-header">
        <div className="stack">
          <button
            type="button"
            className="link-button back"
            onClick={() => store.select(undefined)}
          >
            ← All pools
          </button>
          <h1 id="pool-title">
            {pool.name} <StateBadge view={pool.view} />
          </h1>
          <p className="muted">
            {pool.region} · {pool.os} · {pool.vmSize} · resource group {pool.resourceGroup}
            {pool.owner ? ` · created by ${pool.owner}` : ''}
          </p>
        </div>
        <div className="connect-area">
          <JupyterHubButton pool={pool} variant="primary" label="Open JupyterHub" />
          <PoolConnectButtons pool={pool} />
          {pool.view.jupyterHubBlocked && (
            <p className="muted small">{pool.view.jupyterHubBlocked}</p>
          )}
        </div>
      </div>

      <dl className="pool-figures wide">
        <div>
          <dt>Instances</dt>
          <dd>{instancesText(pool)}</dd>
        </div>
        <div>
          <dt>Cost now</dt>
          <dd>{costText(pool)}</dd>
        </div>
        <div>
          <dt>Autoscale</dt>
          <dd>{pool.hasAutoscale ? (pool.autoscaleEnabled ? 'On' : 'Off') : 'Not set up'}</dd>
        </div>
      </dl>

      <PoolBanner pool={pool} offers={bannerOffers} />

      {action && (
        <div
          className={`alert ${action.result ? (action.result.ok ? 'success' : '') : 'info'}`}
          role="status"
        >
          <div className="alert-body">
            <p>
              {!action.result && <span className="spinner small" aria-hidden="true" />}{' '}
              {action.result ? action.result.message : action.message}
            </p>
          </div>
          {action.result && (
            <Button size="small" variant="ghost" onClick={() => store.dismissAction(poolId)}>
              Dismiss
            </Button>
          )}
        </div>
      )}

      <section className="card stack" aria-labelledby="zero-title">
        <div className="section-header">
          <div className="stack">
            <h2 id="zero-title">Scale to zero</h2>
            <p className="muted">
              {scaledToZero
                ? pool.view.heldAtZeroBy === 'schedule'
                  ? 'Autoscale holds the pool at zero outside working hours. Switching off starts it until a time you pick.'
                  : `Switching off brings back ${pool.restoreCapacity ?? 1} instance${(pool.restoreCapacity ?? 1) === 1 ? '' : 's'}${pool.hasAutoscale ? ' and autoscale' : ''}.`
                : 'Deletes every instance (notebooks stay on the file share) and holds autoscale off. The capacity to restore is kept in a tag on the scale set, so teammates see it too.'}
            </p>
          </div>
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={scaledToZero}
              disabled={pool.view.switchBlocked !== undefined || (!!action && !action.result)}
              title={pool.view.switchBlocked}
              onChange={(e) => {
                const on = e.target.checked
                if (on) scaleToZero()
                else bringBack()
              }}
            />
            <span>Scaled to zero</span>
          </label>
        </div>
        {confirmPanel('zero')}
      </section>

      <PoolActivityList pool={pool} />

      <section className="card stack" aria-labelledby="actions-title">
        <h2 id="actions-title">Instances</h2>
        <div className="pool-actions">
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              if (!capacityValid) return
              setConfirming({
                title: `Scale ${pool.name} to ${wanted}?`,
                body: `${
                  wanted < pool.capacity
                    ? `${pool.capacity - wanted} instance${pool.capacity - wanted === 1 ? ' is' : 's are'} deleted (Azure picks which and skips protected ones).`
                    : `Azure creates ${wanted - pool.capacity} instance${wanted - pool.capacity === 1 ? '' : 's'}.`
                } ${
                  kept
                    ? 'Autoscale keeps this size until the time below, then follows its schedule again.'
                    : 'The pool has no autoscale switched on: the size stays until someone changes it.'
                }`,
                confirmLabel: `Scale to ${wanted}`,
                danger: wanted < pool.capacity,
                near: 'instances',
                ...(kept ? { until: untilField(wanted) } : {}),
                run: ({ until }) =>
                  api.call('pools.scale', {
                    poolId,
                    capacity: wanted,
                    ...(pool.etag ? { etag: pool.etag } : {}),
                    ...(until ? { until } : {}),
                  }),
              })
            }}
          >
            <label htmlFor="capacity">Scale to</label>
            <input
              id="capacity"
              className="input narrow"
              type="number"
              min={0}
              max={1000}
              value={capacity}
              aria-invalid={!capacityValid}
              onChange={(e) => setCapacity(e.target.value)}
            />
            <span className="muted">instances</span>
            <Button type="submit" disabled={!capacityValid || wanted === pool.capacity}>
              Scale
            </Button>
          </form>
          <Button
            disabled={pool.total === 0 || pool.running === pool.total}
            onClick={() =>
              kept
                ? setConfirming({
                    title: `Start every instance of ${pool.name}?`,
                    body: 'Autoscale keeps them until the time below, then follows its schedule again.',
                    confirmLabel: 'Start all',
                    near: 'instances',
                    until: untilField(pool.capacity),
                    run: ({ until }) =>
                      api.call('pools.startAll', { poolId, ...(until ? { until } : {}) }),
                  })
                : run(() => api.call('pools.startAll', { poolId }))
            }
          >
            Start all
          </Button>
          <Button
            disabled={pool.running === 0}
            onClick={() =>
              setConfirming({
                title: `Stop every instance of ${pool.name}?`,
                body: `The instances are deallocated: compute stops costing money, but their OS disks still cost money until you delete them or scale to zero. Unsaved work in running notebooks is lost.${
                  kept
                    ? ' Autoscale keeps them (stopped) until the time below, so none is removed for being idle.'
                    : ''
                }`,
                confirmLabel: 'Stop all',
                near: 'instances',
                ...(kept ? { until: untilField(pool.capacity) } : {}),
                run: ({ until }) =>
                  api.call('pools.stopAll', { poolId, ...(until ? { until } : {}) }),
              })
            }
          >
            Stop all
          </Button>
        </div>
        {gone.length > 0 && (
          <ul className="muted gone-instances" aria-label="Instances that went away">
            {gone.map((g, index) => (
              <li key={`${g.name}-${index}`}>
                {g.name} went away. {g.why}
              </li>
            ))}
          </ul>
        )}
        {confirmPanel('instances')}
        <PoolInstances poolId={pool.id} actions={instanceActions} os={pool.os} />
      </section>

      <AutoscaleEditor pool={pool} />

      <FilesPanel pool={pool} />

      <SpendPanel pool={pool} />

      <TeamSection pool={pool} />
      <SetUpTeamAccess pool={pool} />
      {pool.os === 'Linux' && <PoolAccountsSection pool={pool} />}
      <section className="card stack" aria-labelledby="key-title">
        <h2 id="key-title">Storage key</h2>
        <p className="muted">
          The share’s storage account has two keys. Rotating makes a new one and puts it in use:
          instances switch to it within a minute without restarting, and the file browser follows.
          The previous key keeps working until the next rotation.
        </p>
        <div>
          <Button
            onClick={() =>
              setConfirming({
                title: `Rotate the storage key of ${pool.name}?`,
                body: 'Azure makes a new key for the share’s storage account and the pool uses it from now on. Nothing stops; anyone who copied the key elsewhere (a laptop mount, a script) needs the new one. To retire both keys after a leak, rotate again in a few minutes.',
                confirmLabel: 'Rotate storage key',
                near: 'key',
                finishesAtOnce: true,
                run: () => api.call('pools.rotateStorageKey', { poolId }),
              })
            }
          >
            Rotate storage key…
          </Button>
        </div>
        {confirmPanel('key')}
        {keyResult && (
          <div className={`alert ${keyResult.ok ? 'success' : ''}`} role="status">
            <div className="alert-body">
              <p>{keyResult.message}</p>
            </div>
            <Button size="small" variant="ghost" onClick={() => setKeyResult(undefined)}>
              Dismiss
            </Button>
          </div>
        )}
      </section>

      <section className="card stack danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete the pool</h2>
        <p className="muted">
          {pool.ownsResourceGroup
            ? `Deletes resource group ${pool.resourceGroup}, which the app created for this pool, with everything in it — including the file share with everyone’s notebooks.`
            : `Deletes the resources tagged with ${pool.name} in ${pool.resourceGroup} — the scale set, its managed identity, load balancer, public IP, network, autoscale setting and the storage account with everyone’s notebooks. Other resources in the group stay.`}
        </p>
        <div>
          <Button
            variant="danger"
            onClick={() =>
              setConfirming({
                title: `Delete ${pool.name}?`,
                body: 'This cannot be undone.',
                confirmLabel: 'Delete the pool',
                danger: true,
                near: 'delete',
                typeToConfirm: pool.name,
                run: () => api.call('pools.delete', { poolId, confirmName: pool.name }),
              })
            }
          >
            Delete pool…
          </Button>
        </div>
        {confirmPanel('delete')}
      </section>
    </main>
  )
}

function ConfirmPanel({
  confirmation,
  onCancel,
  onConfirm,
}: {
  confirmation: Confirmation
  onCancel(): void
  onConfirm(answers: { until?: string; choice?: string }): void
}) {
  const [typed, setTyped] = useState('')
  const [until, setUntil] = useState(
    confirmation.until ? toLocalInput(confirmation.until.initial) : '',
  )
  const [choice, setChoice] = useState(confirmation.choice?.initial ?? '')
  const untilIso = confirmation.until ? fromLocalInput(until) : undefined
  const ready =
    (!confirmation.typeToConfirm || typed === confirmation.typeToConfirm) &&
    (!confirmation.until || untilIso !== undefined)
  const panel = useRef<HTMLDivElement>(null)
  // Opened from a row's menu or a button: in view, and the keyboard lands in it (on the
  // name to type, or on Cancel: Enter never confirms by accident).
  useEffect(() => {
    const here = panel.current
    here?.scrollIntoView({ block: 'nearest' })
    const target =
      here?.querySelector('input') ?? here?.querySelector('.alert-actions > :last-child')
    ;(target as HTMLElement | null | undefined)?.focus({ preventScroll: true })
  }, [confirmation])
  return (
    <div
      ref={panel}
      className="card confirm-panel"
      role="alertdialog"
      aria-labelledby="confirm-title"
    >
      <h2 id="confirm-title">{confirmation.title}</h2>
      <p>{confirmation.body}</p>
      {confirmation.choice && (
        <fieldset className="field">
          <legend>{confirmation.choice.legend}</legend>
          {confirmation.choice.options.map((option) => (
            <label className="choice" key={option.value}>
              <input
                type="radio"
                name="confirm-choice"
                value={option.value}
                checked={choice === option.value}
                onChange={() => setChoice(option.value)}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
      )}
      {confirmation.until && (
        <div className="field">
          <label htmlFor="confirm-until">{confirmation.until.label}</label>
          <input
            id="confirm-until"
            className="input"
            type="datetime-local"
            value={until}
            aria-invalid={untilIso === undefined}
            onChange={(e) => setUntil(e.target.value)}
          />
        </div>
      )}
      {confirmation.typeToConfirm && (
        <div className="field">
          <label htmlFor="confirm-name">
            Type <strong>{confirmation.typeToConfirm}</strong> to confirm
          </label>
          <input
            id="confirm-name"
            className="input"
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
      )}
      <div className="alert-actions">
        <Button
          variant={confirmation.danger ? 'danger' : 'primary'}
          disabled={!ready}
          onClick={() =>
            onConfirm({
              ...(untilIso ? { until: untilIso } : {}),
              ...(confirmation.choice ? { choice } : {}),
            })
          }
        >
          {confirmation.confirmLabel}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </div>
  )
}
