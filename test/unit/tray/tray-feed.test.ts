import { describe, expect, it, vi } from 'vitest'
import type { PoolService } from '../../../electron/azure/pools/pool-service'
import { TrayFeed } from '../../../electron/azure/pools/tray-feed'
import { createEventHub } from '../../../electron/ipc/events'
import type { PoolSummary } from '../../../shared/pools'
import { viewFor } from '../pools/summary-view'
import type { TrayAction, TrayModel } from '../../../shared/tray-menu'

const teamBase: Omit<PoolSummary, 'view'> = {
  id: '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool',
  name: 'team-pool',
  subscriptionId: '00000000-0000-4000-8000-000000000001',
  resourceGroup: 'rg-team-pool',
  region: 'eastus',
  os: 'Linux',
  vmSize: 'Standard_D4s_v5',
  total: 3,
  running: 3,
  capacity: 3,
  state: 'Running',
  autoscaleEnabled: true,
  hasAutoscale: true,
  ownsResourceGroup: true,
}
const team: PoolSummary = { ...teamBase, view: viewFor(teamBase) }

function setup(
  setScaledToZero = vi.fn(async () => ({ accepted: true as const, message: 'Scaling to zero…' })),
) {
  const events = createEventHub()
  const service = {
    list: async () => ({ pools: [team], status: { intervalMs: 20000 } }),
    setScaledToZero,
  } as unknown as PoolService
  const notifications: Array<{ title: string; body: string }> = []
  const models: TrayModel[] = []
  const feed = new TrayFeed({
    events,
    pools: async () => service,
    notify: (n) => notifications.push(n),
    openLink: async () => true,
    onChange: (m) => models.push(m),
  })
  return { events, feed, notifications, models, setScaledToZero, service }
}

const line = (m: TrayModel | undefined) => (m?.items[0]?.type === 'label' ? m.items[0].label : '')

describe('the tray feed', () => {
  it('shows the pools from the service, then follows the poller events', async () => {
    const { events, feed, models } = setup()
    await feed.start()
    expect(line(models.at(-1))).toBe('team-pool — 3 running')
    events.emit('pools.changed', {
      pools: [
        {
          ...team,
          running: 2,
          total: 2,
          capacity: 2,
          view: viewFor({ ...teamBase, running: 2, total: 2, capacity: 2 }),
        },
      ],
      removed: [],
    })
    expect(line(models.at(-1))).toBe('team-pool — 2 running')
    events.emit('pools.changed', { pools: [], removed: [team.id] })
    expect(line(models.at(-1))).toBe('No pools in your chosen subscriptions')
  })

  it('a toggle waits for Azure, then notifies when Azure confirms', async () => {
    const { events, feed, models, notifications, setScaledToZero } = setup()
    await feed.start()
    await feed.run({ kind: 'setScaledToZero', poolId: team.id, poolName: 'team-pool', on: true })
    expect(setScaledToZero).toHaveBeenCalledWith(team.id, true)
    expect(line(models.at(-1))).toBe('team-pool — waiting for Azure…')
    events.emit('pools.actionDone', {
      poolId: team.id,
      poolName: 'team-pool',
      action: 'scaleToZero',
      ok: true,
      message: 'team-pool: scaled to zero.',
    })
    expect(notifications).toEqual([
      { title: 'DSVM Pool Manager', body: 'team-pool: scaled to zero.' },
    ])
    expect(line(models.at(-1))).toBe('team-pool — 3 running')
  })

  it('says when Azure refused the toggle', async () => {
    const { feed, notifications, models } = setup(
      vi.fn(async () => {
        throw new Error('Your account does not have permission for this.')
      }),
    )
    await feed.start()
    await feed.run({ kind: 'setScaledToZero', poolId: team.id, poolName: 'team-pool', on: true })
    expect(notifications).toEqual([
      {
        title: 'team-pool: scale to zero failed',
        body: 'Your account does not have permission for this.',
      },
    ])
    expect(line(models.at(-1))).toBe('team-pool — 3 running')
  })

  it('notifies when autoscale changed a pool, with its reason', async () => {
    const { events, feed, notifications } = setup()
    await feed.start()
    events.emit('pools.activity', {
      poolId: team.id,
      poolName: 'team-pool',
      entries: [
        {
          at: '2026-12-07T23:00:00.000Z',
          who: 'autoscale',
          text: 'team-pool: Autoscale removed 3 instances at 18:00: outside working hours',
        },
      ],
    })
    expect(notifications).toEqual([
      {
        title: 'team-pool',
        body: 'team-pool: Autoscale removed 3 instances at 18:00: outside working hours',
      },
    ])
  })

  it('offers a snooze once before the schedule takes a pool down, and the tray action keeps it', async () => {
    const keepUntil = vi.fn(async () => ({ accepted: true as const, message: 'Keeping…' }))
    const { events, feed, notifications, service } = setup()
    Object.assign(service, { keepUntil })
    await feed.start()
    const soon = {
      ...team,
      view: {
        ...team.view,
        goesDownSoon: {
          at: '2026-12-07T23:00:00.000Z',
          to: 0,
          keepUntil: '2026-12-08T00:00:00.000Z',
          text: 'goes to zero at 18:00 — Keep running until 19:00',
        },
      },
    }
    events.emit('pools.changed', { pools: [soon], removed: [] })
    events.emit('pools.changed', { pools: [soon], removed: [] })
    expect(notifications).toEqual([
      {
        title: 'team-pool',
        body: "team-pool goes to zero at 18:00 — Keep running until 19:00 (from the tray or the pool's page).",
      },
    ])
    const item = feed.model().items.find((i) => i.type === 'normal' && i.label.startsWith('Keep'))
    expect(item).toMatchObject({ label: 'Keep running until 19:00' })
    await feed.run((item as { action: TrayAction }).action)
    expect(keepUntil).toHaveBeenCalledWith(team.id, '2026-12-08T00:00:00.000Z')
  })
})
