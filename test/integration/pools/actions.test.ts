import { describe, expect, it } from 'vitest'
import { setInstanceCpu } from '../../../sandbox/arm/compute/cpu'
import { poolTags } from '../../../shared/pool-tags'
import { clientsFor } from '../sandbox/compute/pool'
import { sandboxForEachTest } from '../sandbox/fixtures'
import { finishAction, gpuPoolId, pollUntil, poolOf, poolServiceFor, teamPoolId } from './pool-env'

/*
 * What a person does to a running pool, through the app's pool service against the demo
 * sandbox: each test gets a fresh sandbox with 'team-pool' (3 running, autoscale on) and
 * 'gpu-pool' (scaled to zero, restore capacity 2).
 */

const env = sandboxForEachTest({ seed: 'demo' })

const finish = finishAction(env)

describe('pool actions', () => {
  it('scales out and in, and the poll shows the instances come and go', async () => {
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    // Hold the load between the rules' thresholds so autoscale keeps out of it.
    const etag = poolOf(service, team).etag
    expect(await finish(await service.scale(team, 5, etag))).toMatchObject({ ok: true })
    await pollUntil(env, service, () => poolOf(service, team).running === 5)
    expect((await service.instances(team)).map((i) => i.sshPort)).toEqual([
      50000, 50001, 50002, 50003, 50004,
    ])
    expect(await finish(await service.scale(team, 2))).toMatchObject({ ok: true })
    await pollUntil(env, service, () => poolOf(service, team).total === 2)
    expect(poolOf(service, team)).toMatchObject({ state: 'Running', running: 2, capacity: 2 })
  })

  it('stops (deallocates) every instance and starts them again', async () => {
    const { service, events } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    const stopped = await finish(await service.stopAll(team))
    expect(stopped.message).toMatch(/disks still cost money/)
    await pollUntil(env, service, () => poolOf(service, team).state === 'Stopped')
    expect(poolOf(service, team)).toMatchObject({ running: 0, total: 3 })
    expect((await service.instances(team)).map((i) => i.powerState)).toEqual([
      'deallocated',
      'deallocated',
      'deallocated',
    ])
    await finish(await service.startAll(team))
    await pollUntil(env, service, () => poolOf(service, team).state === 'Running')
    expect(events.actionDone.map((d) => [d.action, d.ok])).toEqual([
      ['stopAll', true],
      ['startAll', true],
    ])
  })

  it('scales to zero with autoscale on, and autoscale does not undo it', async () => {
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    // A busy pool: autoscale would add instances if it could.
    setInstanceCpu(env.sandbox.context, team, 95)
    await finish(await service.setScaledToZero(team, true))
    await pollUntil(env, service, () => poolOf(service, team).state === 'Scaled to zero')
    expect(poolOf(service, team)).toMatchObject({
      restoreCapacity: 3,
      autoscaleEnabled: false,
      total: 0,
    })
    env.sandbox.clock.advance(60 * 60_000)
    await service.poller.pollNow()
    expect(poolOf(service, team)).toMatchObject({ capacity: 0, total: 0 })

    const { compute, monitor } = clientsFor(env)
    const scaleSet = await compute.virtualMachineScaleSets.get('rg-team-pool', 'team-pool')
    expect(scaleSet.tags?.[poolTags.restoreCapacity]).toBe('3')
    expect(
      (await monitor.autoscaleSettings.get('rg-team-pool', 'team-pool-autoscale')).enabled,
    ).toBe(false)
  })

  it('restores the capacity recorded in the tag from a new app instance, and autoscale comes back on', async () => {
    const team = teamPoolId(env.sandbox.subscriptionId)
    const first = poolServiceFor(env).service
    await finish(await first.setScaledToZero(team, true))
    first.close()

    // The app restarts: a fresh service knows nothing but what Azure says.
    const second = poolServiceFor(env).service
    await second.list()
    second.close()
    expect(poolOf(second, team)).toMatchObject({
      restoreCapacity: 3,
      total: 0,
      autoscaleEnabled: false,
    })
    // The team is back at work: the load keeps autoscale between its thresholds.
    setInstanceCpu(env.sandbox.context, team, 50)
    await finish(await second.setScaledToZero(team, false))
    await pollUntil(env, second, () => poolOf(second, team).running === 3)
    expect(poolOf(second, team)).toMatchObject({ capacity: 3, autoscaleEnabled: true })
    expect(poolOf(second, team).restoreCapacity).toBeUndefined()
  })

  it("brings back the demo's GPU pool that an earlier run scaled to zero (its schedule then applies)", async () => {
    const gpu = gpuPoolId(env.sandbox.subscriptionId)
    const { service } = poolServiceFor(env)
    await service.setScaledToZero(gpu, false)
    service.close()
    const { compute, monitor } = clientsFor(env)
    const scaleSet = await compute.virtualMachineScaleSets.get('rg-gpu-pool', 'gpu-pool')
    expect(scaleSet.sku?.capacity).toBe(2)
    expect(scaleSet.tags?.[poolTags.restoreCapacity]).toBeUndefined()
    expect((await monitor.autoscaleSettings.get('rg-gpu-pool', 'gpu-pool-autoscale')).enabled).toBe(
      true,
    )
    const view = await service.autoscale(gpu)
    expect(view.schedule?.workingHours).toMatchObject({ start: '08:00', end: '18:00' })
    expect(view.nextChange).toMatch(/^Scales (to 0|up to 2)/)
  })

  it('keeps a protected instance when autoscale scales in', async () => {
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    await finish(await service.protectInstance(team, '2', true))
    await pollUntil(
      env,
      service,
      () =>
        service.poller.instances(team)?.find((i) => i.instanceId === '2')?.protectedFromScaleIn ===
        true,
    )
    // Idle pool, autoscale range 1..1: every instance but the protected one goes.
    await service.saveAutoscale(
      team,
      {
        enabled: true,
        minimum: 1,
        default: 1,
        maximum: 1,
        scaleOut: { cpuAbovePercent: 75, minutes: 10, by: 1 },
        scaleIn: { cpuBelowPercent: 20, minutes: 10, by: 1 },
        cooldownMinutes: 5,
      },
      (await service.autoscale(team)).version,
    )
    setInstanceCpu(env.sandbox.context, team, 5)
    await pollUntil(env, service, () => service.poller.instances(team)?.length === 1, {
      stepMs: 60_000,
    })
    expect(
      (await service.instances(team)).map((i) => [i.instanceId, i.protectedFromScaleIn]),
    ).toEqual([['2', true]])
  })

  it('reports a conflict when the pool changed since the person saw it, naming the change', async () => {
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    const seen = poolOf(service, team).etag
    // A teammate scales the pool meanwhile.
    const { compute } = clientsFor(env, env.credential('grace@contoso.example'))
    await compute.virtualMachineScaleSets.beginUpdate('rg-team-pool', 'team-pool', {
      sku: { capacity: 4 },
    })
    await expect(service.scale(team, 5, seen)).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringContaining('capacity 3 → 4'),
    })

    // The autoscale editor too: a teammate's saved change is named, not overwritten.
    const view = await service.autoscale(team)
    const teammate = poolServiceFor(env, { username: 'grace@contoso.example' }).service
    await teammate.saveAutoscale(team, { ...view.schedule!, maximum: 8 }, view.version)
    await expect(
      service.saveAutoscale(team, { ...view.schedule!, minimum: 2 }, view.version),
    ).rejects.toMatchObject({ code: 'Conflict', message: expect.stringContaining('maximum 5 → 8') })
  })
})

describe('the poller under throttling', () => {
  it('waits as long as a 429 asks, keeps what it knew, and catches up afterwards', async () => {
    let now = Date.now()
    const timers = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined }
    const { service, events } = poolServiceFor(env, { timers })
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    const before = service.poller.pools()
    env.sandbox.faults.throttle({ retryAfterSeconds: 30, pathIncludes: '/virtualMachines' })
    await service.poller.pollNow()
    const status = service.poller.status()
    expect(status.throttledUntil).toBeDefined()
    expect(service.poller.nextInterval()).toBeGreaterThanOrEqual(25_000)
    expect(events.status.at(-1)?.throttledUntil).toBeDefined()
    // Nothing is lost: the pools are still there as last seen.
    expect(service.poller.pools()).toEqual(before)
    // Until Retry-After has passed, no request is sent.
    const sent = service.poller.requestsLastPoll
    await service.poller.pollNow()
    expect(service.poller.requestsLastPoll).toBe(sent)
    env.sandbox.faults.clear()
    // Once Retry-After has passed, it polls again and the pool changes show up.
    await clientsFor(env).compute.virtualMachineScaleSets.beginUpdate('rg-team-pool', 'team-pool', {
      sku: { capacity: 4 },
    })
    now += 31_000
    await service.poller.pollNow()
    expect(service.poller.status().throttledUntil).toBeUndefined()
    expect(service.poller.requestsLastPoll).toBeGreaterThan(0)
    expect(poolOf(service, team)).toMatchObject({ total: 4, state: 'Scaling' })
  })
})
