import { afterEach, describe, expect, it } from 'vitest'
import { setInstanceCpu } from '../../../sandbox/arm/compute/cpu'
import { poolTags } from '../../../shared/pool-tags'
import { clientsFor } from '../sandbox/compute/pool'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { gpuPoolId, poolOf, poolServiceFor, pollUntil, teamPoolId } from './pool-env'

/*
 * Issue 12: the app and autoscale agree on one number. Each test starts the demo sandbox at a
 * pinned moment of sandbox time and moves that clock forward; nothing waits for wall-clock time
 * to pass. 'team-pool': 3 running, autoscale on (one all-week load profile, 1..5).
 * 'gpu-pool': scaled to zero (restore 2), weekday working hours 08:00–18:00 Eastern.
 */

/** Sunday 6 December 2026, 15:00 UTC (10:00 Eastern): outside the GPU pool's working hours. */
const sunday = Date.parse('2026-12-06T15:00:00Z')
/** Tuesday 8 December 2026, 15:00 UTC (10:00 Eastern): inside them. */
const tuesday = Date.parse('2026-12-08T15:00:00Z')
const minute = 60_000

let env: TestSandbox
afterEach(async () => {
  await env?.close()
})

/**
 * Waits for an action, moving sandbox time on while it runs: at most `limit` of it (instances
 * take minutes in Azure), however long the app's own real-time polling takes, so an override
 * window of an hour is never crossed by waiting.
 */
const finish = async (
  started: { done: Promise<{ ok: boolean; message: string }> },
  limit = 10 * minute,
) => {
  let moved = 0
  const advancing = setInterval(() => {
    // Simulated time waits for work that takes real time (instance scripts).
    if (moved >= limit || env.sandbox.context.lro.busy) return
    env.sandbox.clock.advance(30_000)
    moved += 30_000
  }, 5)
  try {
    return await started.done
  } finally {
    clearInterval(advancing)
  }
}

/** Moves sandbox time forward a minute at a time (each minute is one autoscale evaluation). */
async function minutes(n: number) {
  for (let i = 0; i < n; i++) {
    await env.sandbox.context.lro.idle()
    env.sandbox.clock.advance(minute)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

describe('a manual size that autoscale honours', () => {
  it('survives autoscale evaluations until its override ends, then autoscale takes over', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: tuesday })
    const { service } = poolServiceFor(env, { username: 'ada@contoso.example' })
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    // An idle pool: the scale-in rule fires every evaluation from now on.
    setInstanceCpu(env.sandbox.context, team, 5)
    const until = new Date(env.sandbox.clock.now() + 40 * minute).toISOString()
    const started = await service.scale(team, 4, poolOf(service, team).etag, until)
    expect(started.message).toMatch(/^Scaling to 4, kept until /)
    expect(await finish(started)).toMatchObject({ ok: true })
    await pollUntil(env, service, () => poolOf(service, team).running === 4)

    // Every teammate's app reads it from Azure: who, how many, until when.
    const kept = poolOf(service, team).view
    expect(kept.override).toMatchObject({ capacity: 4, until, by: 'ada@contoso.example' })
    expect(kept.banner?.text).toMatch(/^Kept at 4 until \d\d:\d\d by ada@contoso\.example$/)
    const editor = await service.autoscale(team)
    expect(editor.override).toMatchObject({ capacity: 4, by: 'ada@contoso.example' })
    expect(editor.note).toBeUndefined()

    // Twenty evaluations with every scale-in rule firing: the size holds.
    await minutes(20)
    await service.poller.pollNow()
    expect(poolOf(service, team)).toMatchObject({ capacity: 4, total: 4 })

    // The override ends: autoscale scales in again, and the banner no longer claims it.
    await minutes(25)
    await pollUntil(env, service, () => poolOf(service, team).capacity < 4, { stepMs: minute })
    expect(poolOf(service, team).view.override).toBeUndefined()
  })

  it('can be ended early, and saving the schedule keeps a teammate’s override', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: tuesday })
    const { service } = poolServiceFor(env, { username: 'ada@contoso.example' })
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    const until = new Date(env.sandbox.clock.now() + 60 * minute).toISOString()
    await finish(await service.scale(team, 2, poolOf(service, team).etag, until))
    const view = await service.autoscale(team)
    // Saving the editor's schedule leaves the kept size in place.
    await service.saveAutoscale(team, { ...view.schedule!, maximum: 6 }, view.version)
    expect((await service.autoscale(team)).override).toMatchObject({ capacity: 2 })
    expect(await finish(await service.endOverride(team))).toMatchObject({ ok: true })
    expect((await service.autoscale(team)).override).toBeUndefined()
    const { monitor } = clientsFor(env)
    const setting = await monitor.autoscaleSettings.get('rg-team-pool', 'team-pool-autoscale')
    expect(setting.profiles.map((p) => p.name)).toEqual(['Load'])
  })

  it('refuses an until in the past, and scales a pool without autoscale directly', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: tuesday })
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    const past = new Date(env.sandbox.clock.now() - minute).toISOString()
    await expect(service.scale(team, 4, undefined, past)).rejects.toMatchObject({
      code: 'Validation',
    })
    // The GPU pool's autoscale is off while it is scaled to zero: no override, a plain scale.
    const gpu = gpuPoolId(env.sandbox.subscriptionId)
    const started = await service.scale(gpu, 1)
    expect(started.message).toBe('Scaling to 1…')
    await finish(started)
    expect((await service.autoscale(gpu)).override).toBeUndefined()
  })
})

describe('bringing a pool back', () => {
  it('restores exactly the recorded capacity outside working hours, and autoscale does not drain it until the chosen time', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: sunday })
    const { service } = poolServiceFor(env, { username: 'ada@contoso.example' })
    const gpu = gpuPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    expect(poolOf(service, gpu).view).toMatchObject({
      state: 'Scaled to zero',
      scaledToZero: true,
      heldAtZeroBy: 'app',
    })
    const until = new Date(env.sandbox.clock.now() + 45 * minute).toISOString()
    const done = await finish(await service.setScaledToZero(gpu, false, { until }))
    expect(done.message).toMatch(/back with 2 instances, kept until \d\d:\d\d/)
    await pollUntil(env, service, () => poolOf(service, gpu).running === 2)
    const view = poolOf(service, gpu).view
    expect(view).toMatchObject({ state: 'Running', scaledToZero: false })
    expect(view.override).toMatchObject({ capacity: 2, until })

    // Outside working hours the schedule says zero, yet the pool stays at 2 while kept …
    await minutes(30)
    await service.poller.pollNow()
    expect(poolOf(service, gpu)).toMatchObject({ capacity: 2, total: 2 })
    // … and goes to zero by its schedule once the override ends; the view says why.
    await minutes(20)
    await pollUntil(env, service, () => poolOf(service, gpu).view.state === 'Scaled to zero', {
      stepMs: minute,
    })
    expect(poolOf(service, gpu).view).toMatchObject({
      badge: 'Scaled to zero',
      scaledToZero: true,
      heldAtZeroBy: 'schedule',
    })
    expect(poolOf(service, gpu).view.banner?.text).toMatch(/^At zero outside working hours/)
  })

  it('"Start now until …" on a pool its schedule holds at zero brings back its working size', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: sunday })
    const { service } = poolServiceFor(env)
    const gpu = gpuPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    // As after a deployment on a Sunday: at zero by the schedule, not by the app.
    const { compute, monitor } = clientsFor(env)
    const scaleSet = await compute.virtualMachineScaleSets.get('rg-gpu-pool', 'gpu-pool')
    const { [poolTags.restoreCapacity]: _gone, ...tags } = scaleSet.tags ?? {}
    await (
      await compute.virtualMachineScaleSets.beginUpdate('rg-gpu-pool', 'gpu-pool', { tags })
    ).pollUntilDone()
    await monitor.autoscaleSettings.update('rg-gpu-pool', 'gpu-pool-autoscale', { enabled: true })
    service.poller.touch(gpu)
    await pollUntil(env, service, () => poolOf(service, gpu).view.heldAtZeroBy === 'schedule')
    expect(poolOf(service, gpu).view.banner?.offer).toBe('startUntil')

    const until = new Date(env.sandbox.clock.now() + 30 * minute).toISOString()
    await finish(await service.keepUntil(gpu, until))
    await pollUntil(env, service, () => poolOf(service, gpu).running === 2)
    expect(poolOf(service, gpu).view.override).toMatchObject({ capacity: 2, until })
  })
})

describe('scale to zero and protected instances', () => {
  it('keeps a protected instance running when asked, and says so everywhere', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: tuesday })
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    await finish(await service.protectInstance(team, '0', true))
    await pollUntil(
      env,
      service,
      () => service.poller.instances(team)?.[0]?.protectedFromScaleIn === true,
    )
    const done = await finish(
      await service.setScaledToZero(team, true, { protectedInstances: 'keep' }),
    )
    expect(done.message).toMatch(
      /scaled to zero except 1 protected instance, which is still running/,
    )
    expect(done.message).not.toMatch(/Only the share/)
    await pollUntil(env, service, () => poolOf(service, team).total === 1)
    const pool = poolOf(service, team)
    expect(pool.view).toMatchObject({
      state: 'Protected running',
      badge: '1 protected running',
      scaledToZero: true,
      protectedRunning: 1,
    })
    expect(pool.view.banner?.text).toMatch(
      /^Not scaled to zero: 1 protected instance still running/,
    )
    expect(pool.restoreCapacity).toBe(3)

    // Bringing it back restores exactly the 3 it had, the protected one among them. The new
    // instances are busy (between the load rules' thresholds), so autoscale leaves them be.
    setInstanceCpu(env.sandbox.context, team, 45)
    await finish(await service.setScaledToZero(team, false))
    await pollUntil(env, service, () => poolOf(service, team).running === 3, { stepMs: minute })
    expect(poolOf(service, team)).toMatchObject({ capacity: 3, total: 3 })
  })

  it('includes protected instances when asked: their protection is lifted and they go too', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: tuesday })
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    await finish(await service.protectInstance(team, '1', true))
    const done = await finish(
      await service.setScaledToZero(team, true, { protectedInstances: 'include' }),
    )
    expect(done.message).toMatch(/scaled to zero\. Only the share/)
    await pollUntil(env, service, () => poolOf(service, team).total === 0)
    expect(poolOf(service, team).view).toMatchObject({
      state: 'Scaled to zero',
      scaledToZero: true,
      heldAtZeroBy: 'app',
    })
  })
})

describe('who changed the size', () => {
  it('names autoscale from its Activity Log entries, a person from the app’s record, and someone outside the app', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: tuesday })
    const { service, events } = poolServiceFor(env, { username: 'ada@contoso.example' })
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()

    // A busy team: autoscale adds an instance and writes it to the Activity Log as Azure does.
    setInstanceCpu(env.sandbox.context, team, 95)
    await pollUntil(env, service, () => poolOf(service, team).capacity === 4, { stepMs: minute })
    setInstanceCpu(env.sandbox.context, team, 50)
    await pollUntil(
      env,
      service,
      () => (poolOf(service, team).activity ?? []).some((a) => a.who === 'autoscale'),
      { stepMs: minute },
    )
    const { monitor, compute } = clientsFor(env)
    const logged = []
    for await (const e of monitor.activityLogs.list(
      `eventTimestamp ge '${new Date(tuesday).toISOString()}' and resourceGroupName eq 'rg-team-pool'`,
    ))
      logged.push(e)
    expect(logged.map((e) => e.status?.value)).toEqual(['Succeeded', 'Started'])
    expect(logged[0]).toMatchObject({
      caller: 'Microsoft.Insights/autoscaleSettings',
      category: { value: 'Autoscale' },
      operationName: { value: 'Microsoft.Insights/AutoscaleSettings/Scaleup/Action' },
      properties: { OldInstancesCount: '3', NewInstancesCount: '4' },
    })
    expect(poolOf(service, team).activity?.[0]).toMatchObject({
      who: 'autoscale',
      text: expect.stringMatching(/^Autoscale added 1 instance at \d\d:\d\d: CPU load is high$/),
    })
    // The poller had seen the pool before: the change is told (the tray notifies with it).
    expect(events.activity.flatMap((e) => e.entries.map((x) => x.text))).toEqual([
      expect.stringMatching(/^team-pool: Autoscale added 1 instance/),
    ])

    // A person through the app.
    await finish(
      await service.scale(
        team,
        2,
        poolOf(service, team).etag,
        new Date(env.sandbox.clock.now() + 30 * minute).toISOString(),
      ),
    )
    await pollUntil(env, service, () => poolOf(service, team).capacity === 2)
    expect(poolOf(service, team).activity?.map((a) => a.text)).toContain(
      'ada@contoso.example kept team-pool at 2 for a while',
    )

    // Someone outside the app (the portal, the CLI): no record, no autoscale entry.
    await service.endOverride(team)
    env.sandbox.clock.advance(10 * minute)
    const outside = await compute.virtualMachineScaleSets.beginUpdate(
      'rg-team-pool',
      'team-pool',
      { sku: { capacity: 3 } },
      { updateIntervalInMs: 10 },
    )
    await finish({ done: outside.pollUntilDone().then(() => ({ ok: true, message: '' })) })
    service.poller.touch(team)
    await pollUntil(env, service, () => poolOf(service, team).capacity === 3)
    expect(poolOf(service, team).activity?.[0]).toMatchObject({
      who: 'outside',
      text: 'Someone outside this app changed team-pool from 2 to 3',
    })
  })

  it('names a Spot eviction from the Activity Log instead of someone outside the app', async () => {
    env = await startTestSandbox({ seed: 'demo', startAt: tuesday })
    const team = teamPoolId(env.sandbox.subscriptionId)
    // The demo's team pool as if it had been created with Spot instances and the Delete policy.
    const scaleSet = env.sandbox.context.resources.get(team) as unknown as {
      properties: { virtualMachineProfile: Record<string, unknown> }
    }
    Object.assign(scaleSet.properties.virtualMachineProfile, {
      priority: 'Spot',
      evictionPolicy: 'Delete',
    })
    env.sandbox.context.resources.touch()
    const { service, events } = poolServiceFor(env, { username: 'ada@contoso.example' })
    await service.list()
    service.close()
    expect(poolOf(service, team).capacity).toBe(3)

    env.sandbox.faults.evictSpot(team)
    service.poller.touch(team)
    await pollUntil(
      env,
      service,
      () => (poolOf(service, team).activity ?? []).some((a) => a.who === 'eviction'),
      { stepMs: minute },
    )
    const activity = poolOf(service, team).activity ?? []
    expect(activity.find((a) => a.who === 'eviction')?.text).toMatch(
      /^Azure evicted 3 Spot instances at \d\d:\d\d: it needed the capacity back; they were deleted$/,
    )
    // The capacity the eviction took is explained: nobody "outside the app" is blamed.
    expect(activity.filter((a) => a.who === 'outside')).toEqual([])
    // Told once, as the tray notifies it.
    expect(events.activity.flatMap((e) => e.entries).filter((e) => e.who === 'eviction')).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/^team-pool: Azure evicted 3 Spot/) }),
    ])
  })
})
