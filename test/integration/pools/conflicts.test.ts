import { describe, expect, it } from 'vitest'
import { resolveCloud } from '../../../electron/azure/auth/clouds'
import { setPoolBudget } from '../../../electron/azure/cost/pool-budget'
import { setInstanceCpu } from '../../../sandbox/arm/compute/cpu'
import { decodePoolChange, lastChangeTag } from '../../../shared/pool-tags'
import { clientsFor } from '../sandbox/compute/pool'
import { sandboxForEachTest } from '../sandbox/fixtures'
import { finishAction, poolOf, poolServiceFor, teamPoolId } from './pool-env'

/*
 * Two people changing the same pool: every write of the app records its author in the
 * dsvm-pool-last-change tag, so the other person's stale write is refused with a Conflict
 * that names who changed what; a capacity change without a record is autoscale's, or
 * someone's outside this app. Demo sandbox: 'team-pool' runs 3 instances with autoscale on.
 */

const env = sandboxForEachTest({ seed: 'demo' })

const grace = 'grace@contoso.example'

const finish = finishAction(env)

/** Ada's app, having seen team-pool as it is now. */
async function adaSeesTheTeamPool() {
  const { service } = poolServiceFor(env)
  const team = teamPoolId(env.sandbox.subscriptionId)
  await service.list()
  service.close()
  return { service, team, seen: poolOf(service, team).etag }
}

describe('conflicts name who changed what', () => {
  it("names grace and her scale when ada's stale write arrives, and shows the fresh state", async () => {
    const ada = await adaSeesTheTeamPool()
    const teammate = poolServiceFor(env, { username: grace }).service
    await finish(await teammate.scale(ada.team, 4, poolOf(ada.service, ada.team).etag))
    teammate.close()

    const { compute } = clientsFor(env)
    const written = await compute.virtualMachineScaleSets.get('rg-team-pool', 'team-pool')
    expect(decodePoolChange(written.tags?.[lastChangeTag])).toMatchObject({
      by: grace,
      kind: 'scale',
      from: 3,
      to: 4,
    })

    const refused = ada.service.scale(ada.team, 5, ada.seen)
    await expect(refused).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(
        /^grace@contoso\.example scaled team-pool from 3 to 4 at \d{2}:\d{2} \(capacity 3 → 4\) since you last saw it\. The pool now shows the fresh state/,
      ),
    })
    // The conflict's own tag line is not listed as a change.
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('tag ') })
    // Ada's app already shows what grace did.
    expect(poolOf(ada.service, ada.team)).toMatchObject({ capacity: 4 })
    expect(poolOf(ada.service, ada.team).etag).toBe(written.etag)
  })

  it('names grace when she scaled the pool to zero, in the scale set and in the autoscale editor', async () => {
    const ada = await adaSeesTheTeamPool()
    const editing = await ada.service.autoscale(ada.team)
    const teammate = poolServiceFor(env, { username: grace }).service
    await finish(await teammate.setScaledToZero(ada.team, true))
    teammate.close()

    await expect(ada.service.scale(ada.team, 5, ada.seen)).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(
        /^grace@contoso\.example scaled team-pool to zero at \d{2}:\d{2} \(capacity 3 → 0, tag dsvm-pool-restore-capacity \(none\) → 3\)/,
      ),
    })
    await expect(
      ada.service.saveAutoscale(ada.team, { ...editing.schedule!, maximum: 6 }, editing.version),
    ).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(
        /^grace@contoso\.example scaled team-pool to zero at \d{2}:\d{2} while you were editing it \(switched on/,
      ),
    })
  })

  it("names grace's autoscale schedule, and a save after reloading goes through under ada's name", async () => {
    const ada = await adaSeesTheTeamPool()
    const editing = await ada.service.autoscale(ada.team)
    const teammate = poolServiceFor(env, { username: grace }).service
    await teammate.saveAutoscale(ada.team, { ...editing.schedule!, maximum: 8 }, editing.version)
    teammate.close()

    await expect(
      ada.service.saveAutoscale(ada.team, { ...editing.schedule!, minimum: 2 }, editing.version),
    ).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(
        /^grace@contoso\.example changed the autoscale schedule of team-pool at \d{2}:\d{2} while you were editing it \(.*maximum 5 → 8/,
      ),
    })
    const fresh = await ada.service.autoscale(ada.team)
    await ada.service.saveAutoscale(ada.team, { ...fresh.schedule!, minimum: 2 }, fresh.version)
    const { monitor } = clientsFor(env)
    const setting = await monitor.autoscaleSettings.get('rg-team-pool', 'team-pool-autoscale')
    expect(decodePoolChange(setting.tags?.[lastChangeTag])).toMatchObject({
      by: 'ada@contoso.example',
      kind: 'schedule',
    })
  })

  it("names grace when she set the pool's budget", async () => {
    const ada = await adaSeesTheTeamPool()
    const { sandbox } = env
    const context = {
      cloud: resolveCloud('Sandbox', sandbox),
      subscriptionId: sandbox.subscriptionId,
      tenantId: sandbox.tenantId,
      accountId: 'grace',
      credential: env.credential(grace),
      tlsCa: sandbox.caCert,
    }
    await setPoolBudget(context, { resourceGroup: 'rg-team-pool', name: 'team-pool' }, 500, {
      by: grace,
      updateIntervalInMs: 10,
    })
    await expect(ada.service.scale(ada.team, 5, ada.seen)).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(
        /^grace@contoso\.example changed the monthly budget of team-pool at \d{2}:\d{2} \(tag dsvm-pool-budget \(none\) → 500\) since you last saw it/,
      ),
    })
  })

  it('says autoscale when autoscale changed the capacity', async () => {
    const ada = await adaSeesTheTeamPool()
    // A busy pool: the sandbox's autoscale engine scales out, touching no tag.
    setInstanceCpu(env.sandbox.context, ada.team, 95)
    const { compute } = clientsFor(env)
    let capacity = 3
    for (let i = 0; i < 60 && capacity === 3; i++) {
      env.sandbox.clock.advance(60_000)
      await new Promise((resolve) => setTimeout(resolve, 10))
      capacity =
        (await compute.virtualMachineScaleSets.get('rg-team-pool', 'team-pool')).sku?.capacity ?? 0
    }
    expect(capacity).toBeGreaterThan(3)

    await expect(ada.service.scale(ada.team, 2, ada.seen)).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(
        new RegExp(`^Autoscale changed team-pool \\(capacity 3 → ${capacity}\\) since you last`),
      ),
    })
  })

  it('says someone outside this app when autoscale is off and no record exists', async () => {
    const { compute, monitor } = clientsFor(env, env.credential(grace))
    await monitor.autoscaleSettings.update('rg-team-pool', 'team-pool-autoscale', {
      enabled: false,
    })
    const ada = await adaSeesTheTeamPool()
    // Grace uses the portal (any client but this app): no dsvm-pool-last-change record.
    await compute.virtualMachineScaleSets.beginUpdate('rg-team-pool', 'team-pool', {
      sku: { capacity: 4 },
    })
    await expect(ada.service.scale(ada.team, 5, ada.seen)).rejects.toMatchObject({
      code: 'Conflict',
      message: expect.stringMatching(
        /^Someone outside this app changed team-pool \(capacity 3 → 4\) since you last saw it/,
      ),
    })
  })
})
