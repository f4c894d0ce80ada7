import type { AutoscaleProfile, AutoscaleSettingResource, ScaleRule } from '@azure/arm-monitor'
import { beforeAll, describe, expect, it } from 'vitest'
import { setInstanceCpu } from '../../../../sandbox/arm/compute/cpu'
import { sandboxForFile } from '../fixtures'
import {
  clientsFor,
  collect,
  createPoolNetwork,
  finish,
  ids,
  poll,
  scaleSetModel,
  type Clients,
} from '../compute/pool'

const env = sandboxForFile()
let clients: Clients
const minute = 60_000

beforeAll(async () => {
  clients = clientsFor(env)
})

/** Lets sandbox time pass a minute at a time, as the autoscale engine evaluates it. */
function minutesPass(count: number): void {
  for (let m = 0; m < count; m++) env.sandbox.clock.advance(minute)
}

async function capacity(resourceGroup: string, pool: string): Promise<number> {
  return (
    (await clients.compute.virtualMachineScaleSets.get(resourceGroup, pool)).sku?.capacity ?? -1
  )
}

async function instanceIds(resourceGroup: string, pool: string): Promise<string[]> {
  return (await collect(clients.compute.virtualMachineScaleSetVMs.list(resourceGroup, pool))).map(
    (vm) => vm.instanceId!,
  )
}

/** Sandbox milliseconds until the wall clock in `zone` next shows hour:00. */
function untilLocal(hour: number, zone: string): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
  })
  const now = env.sandbox.clock.now()
  for (let t = Math.ceil(now / minute) * minute; ; t += minute) {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(t)).map((p) => [p.type, p.value]),
    )
    if (Number(parts.hour) === hour && Number(parts.minute) === 0) return t - now
  }
}

function cpuRule(
  scaleSetId: string,
  direction: 'Increase' | 'Decrease',
  operator: 'GreaterThan' | 'LessThan',
  threshold: number,
): ScaleRule {
  return {
    metricTrigger: {
      metricName: 'Percentage CPU',
      metricResourceUri: scaleSetId,
      timeGrain: 'PT1M',
      statistic: 'Average',
      timeWindow: 'PT5M',
      timeAggregation: 'Average',
      operator,
      threshold,
    },
    scaleAction: { direction, type: 'ChangeCount', value: '1', cooldown: 'PT10M' },
  }
}

const everyDay = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

describe('autoscale settings applied on the sandbox clock', () => {
  const names = { resourceGroup: 'rg-schedule', pool: 'schedpool', location: 'westeurope' }

  it('scales to zero outside working hours and back to the minimum when they start', async () => {
    await createPoolNetwork(env, clients, names)
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        names.pool,
        scaleSetModel(env, names, { capacity: 2 }),
        poll,
      ),
    )
    const target = ids(env.sandbox.subscriptionId, names).scaleSet
    const working: AutoscaleProfile = {
      name: 'Working hours',
      capacity: { minimum: '1', maximum: '3', default: '1' },
      rules: [],
      recurrence: {
        frequency: 'Week',
        schedule: { timeZone: 'W. Europe Standard Time', days: everyDay, hours: [8], minutes: [0] },
      },
    }
    const offHours: AutoscaleProfile = {
      name: JSON.stringify({ name: 'Off hours', for: 'Working hours' }),
      capacity: { minimum: '0', maximum: '0', default: '0' },
      rules: [],
      recurrence: {
        frequency: 'Week',
        schedule: {
          timeZone: 'W. Europe Standard Time',
          days: everyDay,
          hours: [18],
          minutes: [0],
        },
      },
    }
    const setting: AutoscaleSettingResource = {
      location: 'West Europe',
      tags: { 'dsvm-pool': names.pool },
      profiles: [working, offHours],
      enabled: true,
      targetResourceUri: target,
    }
    const created = await clients.monitor.autoscaleSettings.createOrUpdate(
      names.resourceGroup,
      'schedpool-autoscale',
      setting,
    )
    expect(created.id).toMatch(
      /\/providers\/microsoft\.insights\/autoscalesettings\/schedpool-autoscale$/i,
    )
    expect(created.profiles.map((p) => p.recurrence?.schedule.timeZone)).toEqual([
      'W. Europe Standard Time',
      'W. Europe Standard Time',
    ])

    env.sandbox.clock.advance(untilLocal(18, 'Europe/Berlin') + 2 * minute)
    expect(await capacity(names.resourceGroup, names.pool)).toBe(0)
    env.sandbox.clock.advance(50_000)
    expect(await instanceIds(names.resourceGroup, names.pool)).toEqual([])

    env.sandbox.clock.advance(untilLocal(8, 'Europe/Berlin') + 2 * minute)
    expect(await capacity(names.resourceGroup, names.pool)).toBe(1)
    env.sandbox.clock.advance(95_000)
    const vms = await collect(
      clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool, {
        expand: 'instanceView',
      }),
    )
    expect(vms.map((vm) => vm.instanceView?.statuses?.[1]?.code)).toEqual(['PowerState/running'])
  })

  it('stops acting when the setting is disabled (how the app holds a pool at zero)', async () => {
    const current = await clients.monitor.autoscaleSettings.get(
      names.resourceGroup,
      'schedpool-autoscale',
    )
    const patched = await clients.monitor.autoscaleSettings.update(
      names.resourceGroup,
      'schedpool-autoscale',
      { enabled: false },
    )
    expect(patched.enabled).toBe(false)
    expect(patched.profiles).toEqual(current.profiles)
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginUpdate(
        names.resourceGroup,
        names.pool,
        { sku: { capacity: 0 } },
        poll,
      ),
    )
    minutesPass(30)
    expect(await capacity(names.resourceGroup, names.pool)).toBe(0)

    const listed = await collect(
      clients.monitor.autoscaleSettings.listByResourceGroup(names.resourceGroup),
    )
    expect(listed.map((s) => s.name)).toEqual(['schedpool-autoscale'])
    await clients.monitor.autoscaleSettings.delete(names.resourceGroup, 'schedpool-autoscale')
    await expect(
      clients.monitor.autoscaleSettings.get(names.resourceGroup, 'schedpool-autoscale'),
    ).rejects.toMatchObject({ statusCode: 404 })
  })
})

describe('CPU rules', () => {
  const names = { resourceGroup: 'rg-cpu', pool: 'cpupool', location: 'eastus' }
  let target: string

  it('scales out above the threshold, then waits for the cooldown before scaling again', async () => {
    await createPoolNetwork(env, clients, names)
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        names.pool,
        scaleSetModel(env, names, { capacity: 2 }),
        poll,
      ),
    )
    target = ids(env.sandbox.subscriptionId, names).scaleSet
    await clients.monitor.autoscaleSettings.createOrUpdate(names.resourceGroup, 'cpu-autoscale', {
      location: 'eastus',
      enabled: true,
      targetResourceUri: target,
      profiles: [
        {
          name: 'Load',
          capacity: { minimum: '1', maximum: '5', default: '2' },
          rules: [
            cpuRule(target, 'Increase', 'GreaterThan', 70),
            cpuRule(target, 'Decrease', 'LessThan', 20),
          ],
        },
      ],
    })
    setInstanceCpu(env.sandbox.context, target, 90)
    const history: number[] = []
    for (let m = 0; m < 20; m++) {
      env.sandbox.clock.advance(minute)
      history.push(await capacity(names.resourceGroup, names.pool))
    }
    const firstOut = history.indexOf(3)
    const secondOut = history.indexOf(4)
    // The 5-minute average crosses 70 % within a few minutes; the next step waits the 10-minute cooldown.
    expect(firstOut).toBeGreaterThanOrEqual(0)
    expect(firstOut).toBeLessThan(5)
    expect(secondOut - firstOut).toBe(10)
    expect(history.slice(secondOut)).toEqual(history.slice(secondOut).map(() => 4))

    const metrics = await clients.monitor.metrics.list(target, {
      metricnames: 'Percentage CPU',
      timespan: 'PT10M',
      interval: 'PT1M',
      aggregation: 'average',
    })
    const points = metrics.value[0]!.timeseries![0]!.data!
    expect(metrics.value[0]!.unit).toBe('Percent')
    expect(points.length).toBeGreaterThanOrEqual(10)
    expect(points.filter((p) => p.average !== undefined).every((p) => p.average === 90)).toBe(true)
  })

  it('scales in when the load drops, never removing an instance protected from scale-in', async () => {
    // No more room to scale out, so the high load still in the 5-minute window cannot add one.
    await clients.monitor.autoscaleSettings.update(names.resourceGroup, 'cpu-autoscale', {
      profiles: [
        {
          name: 'Load',
          capacity: { minimum: '1', maximum: '4', default: '2' },
          rules: [
            cpuRule(target, 'Increase', 'GreaterThan', 70),
            cpuRule(target, 'Decrease', 'LessThan', 20),
          ],
        },
      ],
    })
    await finish(
      env,
      clients.compute.virtualMachineScaleSetVMs.beginUpdate(
        names.resourceGroup,
        names.pool,
        '3',
        { location: names.location, protectionPolicy: { protectFromScaleIn: true } },
        poll,
      ),
      5_000,
    )
    expect(await instanceIds(names.resourceGroup, names.pool)).toEqual(['0', '1', '2', '3'])
    setInstanceCpu(env.sandbox.context, target, 5)
    const history: number[] = []
    for (let m = 0; m < 40; m++) {
      minutesPass(1)
      history.push(await capacity(names.resourceGroup, names.pool))
    }
    const steps = [3, 2, 1].map((n) => history.indexOf(n))
    expect(steps.every((i) => i >= 0)).toBe(true)
    expect(steps[1]! - steps[0]!).toBe(10)
    expect(steps[2]! - steps[1]!).toBe(10)
    expect(history.slice(steps[2]!).every((n) => n === 1)).toBe(true)
    minutesPass(1)
    expect(await instanceIds(names.resourceGroup, names.pool)).toEqual(['3'])
  })

  it('raises a pool at zero to the default when a CPU profile has no metric data, as Azure does', async () => {
    await clients.monitor.autoscaleSettings.update(names.resourceGroup, 'cpu-autoscale', {
      profiles: [
        {
          name: 'Load',
          capacity: { minimum: '0', maximum: '5', default: '2' },
          rules: [
            cpuRule(target, 'Increase', 'GreaterThan', 70),
            cpuRule(target, 'Decrease', 'LessThan', 20),
          ],
        },
      ],
    })
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginDeleteInstances(
        names.resourceGroup,
        names.pool,
        { instanceIds: ['3'] },
        poll,
      ),
    )
    expect(await capacity(names.resourceGroup, names.pool)).toBe(0)
    minutesPass(5)
    expect(await capacity(names.resourceGroup, names.pool)).toBe(2)
  })

  it('rejects invalid settings the way Monitor does', async () => {
    await expect(
      clients.monitor.autoscaleSettings.createOrUpdate(names.resourceGroup, 'bad', {
        location: 'eastus',
        targetResourceUri: target,
        profiles: [
          { name: 'p', capacity: { minimum: '3', maximum: '1', default: '2' }, rules: [] },
        ],
      }),
    ).rejects.toMatchObject({ statusCode: 400 })
    await expect(
      clients.monitor.autoscaleSettings.createOrUpdate(names.resourceGroup, 'bad', {
        location: 'eastus',
        targetResourceUri: `${target}-missing`,
        profiles: [
          { name: 'p', capacity: { minimum: '0', maximum: '1', default: '0' }, rules: [] },
        ],
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'TargetResourceNotFound' })
    await expect(
      clients.monitor.autoscaleSettings.update(names.resourceGroup, 'cpu-autoscale', {
        targetResourceUri: ids(env.sandbox.subscriptionId, {
          resourceGroup: 'rg-schedule',
          pool: 'schedpool',
          location: 'westeurope',
        }).scaleSet,
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'TargetResourceIdIsImmutable' })
    await expect(
      clients.monitor.autoscaleSettings.createOrUpdate(names.resourceGroup, 'bad', {
        location: 'eastus',
        targetResourceUri: target,
        profiles: [
          {
            name: 'p',
            capacity: { minimum: '0', maximum: '1', default: '0' },
            rules: [],
            recurrence: {
              frequency: 'Week',
              schedule: {
                timeZone: 'Mars Standard Time',
                days: ['Monday'],
                hours: [8],
                minutes: [0],
              },
            },
          },
        ],
      }),
    ).rejects.toMatchObject({ statusCode: 400 })
  })
})
