import { describe, expect, it } from 'vitest'
import type { PoolSummary } from '../../../shared/pools'
import { trayModel, type TrayItem } from '../../../shared/tray-menu'
import { viewFor } from '../pools/summary-view'

const pool = (name: string, patch: Partial<PoolSummary> = {}): PoolSummary => {
  const base: Omit<PoolSummary, 'view'> = {
    id: `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-${name}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`,
    name,
    subscriptionId: '00000000-0000-4000-8000-000000000001',
    resourceGroup: `rg-${name}`,
    region: 'eastus',
    os: 'Linux',
    vmSize: 'Standard_D4s_v5',
    total: 3,
    running: 3,
    capacity: 3,
    state: 'Running',
    autoscaleEnabled: true,
    hasAutoscale: true,
    jupyterHubUrl: `https://${name}.eastus.cloudapp.azure.com:8000/`,
    costPerHour: 1.2,
    currency: 'USD',
    ownsResourceGroup: true,
    ...patch,
  }
  return { ...base, view: viewFor(base) }
}

const none = new Set<string>()
const labels = (items: TrayItem[]) =>
  items.map((i) =>
    i.type === 'separator'
      ? '---'
      : i.type === 'label'
        ? i.label
        : `${i.type === 'checkbox' ? (i.checked ? '[x] ' : '[ ] ') : ''}${i.label}${i.enabled ? '' : ' (disabled)'}`,
  )

describe('the tray menu', () => {
  it('with no pools: says so, idle icon, Open and Quit', () => {
    const model = trayModel({ pools: [], pending: none })
    expect(model.icon).toBe('idle')
    expect(model.tooltip).toBe('DSVM Pool Manager — no instances running')
    expect(labels(model.items)).toEqual([
      'No pools in your chosen subscriptions',
      '---',
      'Open DSVM Pool Manager',
      'Quit',
    ])
    expect(labels(trayModel({ pools: [], pending: none, loading: true }).items)[0]).toBe(
      'Looking for pools…',
    )
  })

  it('with a running pool: its line, the unchecked switch, JupyterHub; running icon and cost in the tooltip', () => {
    const model = trayModel({ pools: [pool('team-pool')], pending: none })
    expect(model.icon).toBe('running')
    expect(model.tooltip).toBe('DSVM Pool Manager — 3 instances running · $1.20/h')
    expect(labels(model.items)).toEqual([
      'team-pool — 3 running · $1.20/h',
      '[ ] Scaled to zero',
      'Open JupyterHub',
      '---',
      'Open DSVM Pool Manager',
      'Quit',
    ])
    const toggle = model.items[1]
    expect(toggle).toMatchObject({
      action: { kind: 'setScaledToZero', poolName: 'team-pool', on: true },
    })
  })

  it('while a pool scales: how far it got, and the switch waits', () => {
    const model = trayModel({
      pools: [pool('team-pool', { state: 'Scaling', running: 1, capacity: 3, costPerHour: 0.4 })],
      pending: none,
    })
    expect(labels(model.items).slice(0, 3)).toEqual([
      'team-pool — scaling: 1 of 3 running · $0.40/h',
      '[ ] Scaled to zero (disabled)',
      'Open JupyterHub',
    ])
  })

  it('with a pool scaled to zero: checked, JupyterHub disabled, no cost line; and a toggle waiting for Azure', () => {
    const zero = pool('gpu-pool', {
      state: 'Scaled to zero',
      running: 0,
      total: 0,
      capacity: 0,
      costPerHour: 0.03,
      restoreCapacity: 2,
    })
    const model = trayModel({ pools: [zero, pool('team-pool')], pending: none })
    expect(labels(model.items)).toEqual([
      'gpu-pool — scaled to zero',
      '[x] Scaled to zero',
      'Open JupyterHub (disabled)',
      '---',
      'team-pool — 3 running · $1.20/h',
      '[ ] Scaled to zero',
      'Open JupyterHub',
      '---',
      'Open DSVM Pool Manager',
      'Quit',
    ])
    expect(model.items[1]).toMatchObject({ action: { on: false } })
    expect(model.tooltip).toBe('DSVM Pool Manager — 3 instances running · $1.23/h')
    const waiting = trayModel({ pools: [zero], pending: new Set([zero.id.toLowerCase()]) })
    expect(labels(waiting.items).slice(0, 2)).toEqual([
      'gpu-pool — waiting for Azure… · $0.03/h',
      '[x] Scaled to zero (disabled)',
    ])
    expect(waiting.icon).toBe('idle')
  })

  it('after an error: says the pools could not be refreshed and keeps what it knew', () => {
    const model = trayModel({
      pools: [pool('team-pool')],
      pending: none,
      problem: 'Azure is throttling requests (429).',
    })
    expect(labels(model.items)[0]).toBe(
      'Couldn’t refresh pools: Azure is throttling requests (429).',
    )
    expect(labels(model.items)[1]).toBe('team-pool — 3 running · $1.20/h')
    expect(model.tooltip).toBe('DSVM Pool Manager — pools could not be refreshed')
  })

  it('a failed pool cannot be toggled from the tray', () => {
    const model = trayModel({ pools: [pool('x', { state: 'Failed', running: 0 })], pending: none })
    expect(labels(model.items).slice(0, 2)).toEqual([
      'x — failed · $1.20/h',
      '[ ] Scaled to zero (disabled)',
    ])
  })
})
