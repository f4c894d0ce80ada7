import { memo, useMemo, useState, type ReactNode } from 'react'
import type { PoolInstance } from '../../../shared/pools'
import { ActionMenu } from '../../components/ActionMenu'
import { plural } from './format'
import { VirtualRows } from './VirtualRows'

/**
 * A pool's instances: sortable by any column, filterable by text and power state, with
 * virtualized rows. Row actions (restart, delete, protect) come from the parent.
 */

type Column = 'name' | 'powerState' | 'provisioningState' | 'sshPort' | 'protected' | 'model'

const columns: Array<{ id: Column; label: string }> = [
  { id: 'name', label: 'Instance' },
  { id: 'powerState', label: 'Power' },
  { id: 'provisioningState', label: 'Provisioning' },
  { id: 'sshPort', label: 'SSH port' },
  { id: 'protected', label: 'Protected' },
  { id: 'model', label: 'Model' },
]

const sortValue = (i: PoolInstance, column: Column): string | number => {
  switch (column) {
    case 'name':
      return Number(i.instanceId)
    case 'powerState':
      return i.powerState
    case 'provisioningState':
      return i.provisioningState
    case 'sshPort':
      return i.sshPort ?? -1
    case 'protected':
      return i.protectedFromScaleIn ? 1 : 0
    case 'model':
      return i.latestModelApplied ? 1 : 0
  }
}

export function sortAndFilter(
  instances: readonly PoolInstance[],
  sort: { column: Column; descending: boolean },
  text: string,
  power: string,
): PoolInstance[] {
  const needle = text.trim().toLowerCase()
  const filtered = instances.filter(
    (i) =>
      (power === 'all' || i.powerState === power) &&
      (!needle ||
        i.name.toLowerCase().includes(needle) ||
        (i.computerName ?? '').toLowerCase().includes(needle) ||
        i.instanceId === needle),
  )
  const direction = sort.descending ? -1 : 1
  return filtered.sort((a, b) => {
    const x = sortValue(a, sort.column)
    const y = sortValue(b, sort.column)
    const order = x < y ? -1 : x > y ? 1 : Number(a.instanceId) - Number(b.instanceId)
    return order * direction
  })
}

export interface InstanceActions {
  restart(instance: PoolInstance): void
  remove(instance: PoolInstance): void
  protect(instance: PoolInstance, protect: boolean): void
  /** Start a stopped instance, or stop (deallocate) a running one. */
  startStop?(instance: PoolInstance, start: boolean): void
  /** SSH or RDP to the instance (issue 7). */
  connect?(instance: PoolInstance): ReactNode
}

export function InstancesTable({
  instances,
  actions,
  os,
}: {
  instances: readonly PoolInstance[]
  actions: InstanceActions
  os: 'Linux' | 'Windows'
}) {
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({
    column: 'name',
    descending: false,
  })
  const [text, setText] = useState('')
  const [power, setPower] = useState('all')
  const rows = useMemo(
    () => sortAndFilter(instances, sort, text, power),
    [instances, sort, text, power],
  )
  const powerStates = useMemo(
    () => [...new Set(instances.map((i) => i.powerState))].sort(),
    [instances],
  )

  return (
    <div className="stack">
      <div className="instances-filter">
        <input
          className="input"
          type="search"
          placeholder="Filter by name or id"
          aria-label="Filter instances"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <select
          className="select"
          aria-label="Power state"
          value={power}
          onChange={(e) => setPower(e.target.value)}
        >
          <option value="all">Every power state</option>
          {powerStates.map((state) => (
            <option key={state} value={state}>
              {state}
            </option>
          ))}
        </select>
        <span className="muted" aria-live="polite">
          {rows.length === instances.length
            ? plural(instances.length, 'instance')
            : `${rows.length} of ${plural(instances.length, 'instance')}`}
        </span>
      </div>
      <div
        className="instances-table"
        role="table"
        aria-label="Instances"
        aria-rowcount={rows.length + 1}
      >
        <div className="instances-head" role="rowgroup">
          <div role="row" className="virtual-row head" aria-rowindex={1}>
            {columns.map((column) => (
              <div
                key={column.id}
                role="columnheader"
                aria-sort={
                  sort.column === column.id
                    ? sort.descending
                      ? 'descending'
                      : 'ascending'
                    : 'none'
                }
              >
                <button
                  type="button"
                  className="sort-button"
                  onClick={() =>
                    setSort({
                      column: column.id,
                      descending: sort.column === column.id ? !sort.descending : false,
                    })
                  }
                >
                  {column.id === 'sshPort' && os === 'Windows' ? 'RDP port' : column.label}
                  {sort.column === column.id && (sort.descending ? ' ▾' : ' ▴')}
                </button>
              </div>
            ))}
            <div role="columnheader">
              <span className="visually-hidden">Actions</span>
            </div>
          </div>
        </div>
        {rows.length === 0 ? (
          <p className="muted instances-empty">
            {instances.length === 0 ? 'The pool has no instances.' : 'No instance matches.'}
          </p>
        ) : (
          <VirtualRows
            items={rows}
            rowHeight={40}
            height={440}
            label="Instance rows"
            rowKey={(i) => i.instanceId}
            renderRow={(i) => <InstanceCells instance={i} actions={actions} />}
          />
        )}
      </div>
    </div>
  )
}

/** One row's cells; a poll re-renders only the rows whose instance changed. */
const InstanceCells = memo(function InstanceCells({
  instance,
  actions,
}: {
  instance: PoolInstance
  actions: InstanceActions
}) {
  const deleting = instance.provisioningState === 'Deleting'
  return (
    <>
      <div role="cell" className="instance-name">
        <span>{instance.name}</span>
        <span className="muted mono"> #{instance.instanceId}</span>
      </div>
      <div role="cell">
        <span className={`power ${instance.powerState}`}>{instance.powerState}</span>
      </div>
      <div role="cell">{instance.provisioningState}</div>
      <div role="cell" className="mono">
        {instance.sshPort ?? '—'}
      </div>
      <div role="cell">{instance.protectedFromScaleIn ? 'Protected' : '—'}</div>
      <div role="cell">{instance.latestModelApplied ? 'Latest' : 'Outdated'}</div>
      <div role="cell" className="row-actions">
        {actions.connect?.(instance)}
        <ActionMenu
          label={`Actions for ${instance.name}`}
          actions={[
            ...(actions.startStop
              ? [
                  {
                    label: instance.powerState === 'running' ? 'Stop' : 'Start',
                    disabled:
                      deleting ||
                      !['running', 'deallocated', 'stopped'].includes(instance.powerState),
                    onSelect: () =>
                      actions.startStop?.(instance, instance.powerState !== 'running'),
                  },
                ]
              : []),
            {
              label: 'Restart',
              disabled: deleting || instance.powerState !== 'running',
              onSelect: () => actions.restart(instance),
            },
            {
              label: instance.protectedFromScaleIn ? 'Unprotect' : 'Protect',
              disabled: deleting,
              onSelect: () => actions.protect(instance, !instance.protectedFromScaleIn),
            },
            {
              label: 'Delete',
              danger: true,
              disabled: deleting,
              onSelect: () => actions.remove(instance),
            },
          ]}
        />
      </div>
    </>
  )
})
