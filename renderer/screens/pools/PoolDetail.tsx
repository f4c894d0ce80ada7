import { useState, type ReactNode } from 'react'
import type { PoolInstance, PoolSummary } from '../../../shared/pools'
import { api } from '../../api'
import { Button } from '../../components/Button'
import {
  InstanceConnectButton,
  JupyterHubButton,
  PoolConnectButtons,
} from '../connect/ConnectButtons'
import { FilesPanel } from '../files/FilesPanel'
import { SpendPanel } from '../cost/SpendPanel'
import { AutoscaleEditor } from './AutoscaleEditor'
import { PoolInstances } from './PoolInstances'
import { StateBadge } from './PoolCard'
import { costText, instancesText } from './format'
import { poolsStore, usePools } from './use-pools'

/** One pool: its figures, actions, the scale-to-zero switch, instances and autoscale. */

interface Confirmation {
  title: string
  body: ReactNode
  confirmLabel: string
  danger?: boolean
  /** The text a person must type to confirm (the pool's name for a delete). */
  typeToConfirm?: string
  run(): Promise<{ message: string }>
}

export function PoolDetail({ pool }: { pool: PoolSummary }) {
  const action = usePools((s) => s.actions[pool.id.toLowerCase()])
  const [confirming, setConfirming] = useState<Confirmation>()
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
  const scaledToZero = pool.capacity === 0 && pool.restoreCapacity !== undefined
  const wanted = Number(capacity)
  const capacityValid = capacity !== '' && Number.isInteger(wanted) && wanted >= 0 && wanted <= 1000

  const instanceActions = {
    connect: (i: PoolInstance) => <InstanceConnectButton pool={pool} instance={i} />,
    restart: (i: PoolInstance) =>
      setConfirming({
        title: `Restart ${i.name}?`,
        body: 'Anyone working on this instance loses unsaved work in running notebooks.',
        confirmLabel: 'Restart',
        run: () =>
          api.call('pools.instanceAction', { poolId, instanceId: i.instanceId, action: 'restart' }),
      }),
    remove: (i: PoolInstance) =>
      setConfirming({
        title: `Delete ${i.name}?`,
        body: 'The instance and its OS disk are deleted; the pool has one instance fewer. Notebooks on the shared file share stay.',
        confirmLabel: 'Delete instance',
        danger: true,
        run: () =>
          api.call('pools.instanceAction', { poolId, instanceId: i.instanceId, action: 'delete' }),
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
            {pool.name} <StateBadge state={pool.state} />
          </h1>
          <p className="muted">
            {pool.region} · {pool.os} · {pool.vmSize} · resource group {pool.resourceGroup}
            {pool.owner ? ` · created by ${pool.owner}` : ''}
          </p>
        </div>
        <div className="connect-area">
          <JupyterHubButton pool={pool} variant="primary" label="Open JupyterHub" />
          <PoolConnectButtons pool={pool} />
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

      {confirming && (
        <ConfirmPanel
          confirmation={confirming}
          onCancel={() => setConfirming(undefined)}
          onConfirm={() => {
            const chosen = confirming
            setConfirming(undefined)
            run(chosen.run)
          }}
        />
      )}

      <section className="card stack" aria-labelledby="zero-title">
        <div className="section-header">
          <div className="stack">
            <h2 id="zero-title">Scale to zero</h2>
            <p className="muted">
              {scaledToZero
                ? `No instances and no compute cost. Switching off brings back ${pool.restoreCapacity} instance${pool.restoreCapacity === 1 ? '' : 's'} and autoscale.`
                : 'Deletes every instance (notebooks stay on the file share) and holds autoscale off. The capacity to restore is kept in a tag on the scale set, so teammates see it too.'}
            </p>
          </div>
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={scaledToZero}
              disabled={pool.state === 'Deploying' || (!!action && !action.result)}
              onChange={(e) => {
                const on = e.target.checked
                if (on)
                  setConfirming({
                    title: `Scale ${pool.name} to zero?`,
                    body: `The ${pool.total} instance${pool.total === 1 ? '' : 's'} and their OS disks are deleted; anything not saved on the file share is lost. Autoscale is switched off until you switch this off again.`,
                    confirmLabel: 'Scale to zero',
                    danger: true,
                    run: () => api.call('pools.setScaledToZero', { poolId, on: true }),
                  })
                else run(() => api.call('pools.setScaledToZero', { poolId, on: false }))
              }}
            />
            <span>Scaled to zero</span>
          </label>
        </div>
      </section>

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
                body:
                  wanted < pool.capacity
                    ? `${pool.capacity - wanted} instance${pool.capacity - wanted === 1 ? ' is' : 's are'} deleted (Azure picks which; protected ones are kept only from autoscale). Autoscale may change the count again.`
                    : `Azure creates ${wanted - pool.capacity} instance${wanted - pool.capacity === 1 ? '' : 's'}. Autoscale may change the count again.`,
                confirmLabel: `Scale to ${wanted}`,
                danger: wanted < pool.capacity,
                run: () =>
                  api.call('pools.scale', {
                    poolId,
                    capacity: wanted,
                    ...(pool.etag ? { etag: pool.etag } : {}),
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
            onClick={() => run(() => api.call('pools.startAll', { poolId }))}
          >
            Start all
          </Button>
          <Button
            disabled={pool.running === 0}
            onClick={() =>
              setConfirming({
                title: `Stop every instance of ${pool.name}?`,
                body: 'The instances are deallocated: compute stops costing money, but their OS disks still cost money until you delete them or scale to zero. Unsaved work in running notebooks is lost.',
                confirmLabel: 'Stop all',
                run: () => api.call('pools.stopAll', { poolId }),
              })
            }
          >
            Stop all
          </Button>
        </div>
        <PoolInstances poolId={pool.id} actions={instanceActions} os={pool.os} />
      </section>

      <AutoscaleEditor pool={pool} />

      <FilesPanel pool={pool} />

      <SpendPanel pool={pool} />

      <section className="card stack danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete the pool</h2>
        <p className="muted">
          {pool.ownsResourceGroup
            ? `Deletes resource group ${pool.resourceGroup}, which the app created for this pool, with everything in it — including the file share with everyone’s notebooks.`
            : `Deletes the resources tagged with ${pool.name} in ${pool.resourceGroup} — the scale set, load balancer, public IP, network, autoscale setting and the storage account with everyone’s notebooks. Other resources in the group stay.`}
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
                typeToConfirm: pool.name,
                run: () => api.call('pools.delete', { poolId, confirmName: pool.name }),
              })
            }
          >
            Delete pool…
          </Button>
        </div>
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
  onConfirm(): void
}) {
  const [typed, setTyped] = useState('')
  const ready = !confirmation.typeToConfirm || typed === confirmation.typeToConfirm
  return (
    <div className="card confirm-panel" role="alertdialog" aria-labelledby="confirm-title">
      <h2 id="confirm-title">{confirmation.title}</h2>
      <p>{confirmation.body}</p>
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
          onClick={onConfirm}
        >
          {confirmation.confirmLabel}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </div>
  )
}
