import { describe, expect, it } from 'vitest'
import { resolveCloud } from '../../../electron/azure/auth/clouds'
import { GraphClient } from '../../../electron/azure/team/graph-client'
import { registerJupyterHubApp } from '../../../electron/azure/team/jupyterhub-app'
import { findJupyterHubApp } from '../../../electron/azure/team/jupyterhub-setup'
import { poolTags } from '../../../shared/pool-tags'
import { clientsFor, collect, finish as finishLro, poll } from '../sandbox/compute/pool'
import { sandboxForEachTest } from '../sandbox/fixtures'
import { armRequest } from '../pool-template/deploy'
import { finishAction, pollUntil, poolOf, poolServiceFor, teamPoolId } from './pool-env'

/* Instance actions and deleting a pool: exactly what the pool created goes, nothing else. */

const env = sandboxForEachTest({ seed: 'demo' })

const finish = finishAction(env)

describe('one instance', () => {
  it('restarts, and deleting it leaves the pool one smaller', async () => {
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    const restart = await service.restartInstance(team, '1')
    await service.poller.pollNow()
    expect(service.poller.instances(team)?.find((i) => i.instanceId === '1')?.powerState).toBe(
      'starting',
    )
    expect(await finish(restart)).toMatchObject({ ok: true })
    expect(await finish(await service.deleteInstance(team, '0'))).toMatchObject({ ok: true })
    await pollUntil(env, service, () => poolOf(service, team).total === 2)
    expect((await service.instances(team)).map((i) => i.instanceId)).toEqual(['1', '2'])
    expect(poolOf(service, team).capacity).toBe(2)
  })
})

describe('deleting a pool', () => {
  it('asks for the pool’s name', async () => {
    const { service } = poolServiceFor(env)
    await expect(
      service.deletePool(teamPoolId(env.sandbox.subscriptionId), 'team'),
    ).rejects.toMatchObject({ code: 'Validation', message: expect.stringContaining('team-pool') })
  })

  it('deletes the resource group the app created for the pool', async () => {
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    expect(await finish(await service.deletePool(team, 'team-pool'))).toMatchObject({ ok: true })
    const { resources } = clientsFor(env)
    expect(await resources.resourceGroups.checkExistence('rg-team-pool')).toMatchObject({
      body: false,
    })
    await service.poller.pollNow()
    await service.poller.pollNow()
    expect(service.poller.pools().map((p) => p.name)).toEqual(['gpu-pool'])
  })

  it('deletes the pool’s JupyterHub app registration with it; Grace, who may not, is told what remains', async () => {
    const graphAs = (username: string) =>
      new GraphClient(
        resolveCloud('Sandbox', env.sandbox),
        env.credential(username),
        env.sandbox.caCert,
      )
    const registered = await registerJupyterHubApp(graphAs('ada@contoso.example'), {
      poolName: 'team-pool',
    })
    if (!registered.ok) throw new Error(registered.message)
    const appId = registered.app.clientId
    const { compute } = clientsFor(env)
    for (const [pool, group] of [
      ['team-pool', 'rg-team-pool'],
      ['gpu-pool', 'rg-gpu-pool'],
    ] as const) {
      const scaleSet = await compute.virtualMachineScaleSets.get(group, pool)
      await finishLro(
        env,
        compute.virtualMachineScaleSets.beginUpdate(
          group,
          pool,
          { tags: { ...scaleSet.tags, [poolTags.jupyterHubApp]: appId } },
          poll,
        ),
      )
    }

    // Grace (Contributor) deletes the GPU pool: the app is Ada's, so it stays, and she is told.
    const asGrace = poolServiceFor(env, { username: 'grace@contoso.example' }).service
    const gpu = (await asGrace.list()).pools.find((p) => p.name === 'gpu-pool')!.id
    asGrace.close()
    const graceDone = await finish(await asGrace.deletePool(gpu, 'gpu-pool'))
    expect(graceDone).toMatchObject({ ok: true })
    expect(graceDone.message).toContain(`JupyterHub app registration (client id ${appId}) remains`)
    expect(await findJupyterHubApp(graphAs('ada@contoso.example'), appId)).toBeDefined()

    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    const done = await finish(await service.deletePool(team, 'team-pool'))
    expect(done).toMatchObject({ ok: true, message: 'team-pool: the pool is deleted.' })
    expect(await findJupyterHubApp(graphAs('ada@contoso.example'), appId)).toBeUndefined()
  })

  it('in a group it did not create: deletes only what carries the pool tag', async () => {
    const { resources, network } = clientsFor(env)
    // The team's own group: untagged, with something else of theirs in it.
    await resources.resourceGroups.update('rg-team-pool', { tags: {} })
    await finishLro(
      env,
      network.networkSecurityGroups.beginCreateOrUpdate(
        'rg-team-pool',
        'other-nsg',
        { location: 'eastus' },
        poll,
      ),
    )
    // The share's managed identity, as the pool template makes it.
    const identity = await armRequest(
      env,
      'PUT',
      `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.ManagedIdentity/userAssignedIdentities/team-pool-identity?api-version=2024-11-30`,
      { location: 'eastus', tags: { [poolTags.pool]: 'team-pool' } },
    )
    expect(identity.status).toBe(201)
    const { service } = poolServiceFor(env)
    const team = teamPoolId(env.sandbox.subscriptionId)
    await service.list()
    service.close()
    expect(poolOf(service, team).ownsResourceGroup).toBe(false)
    expect(await finish(await service.deletePool(team, 'team-pool'))).toMatchObject({ ok: true })
    const left = await collect(resources.resources.listByResourceGroup('rg-team-pool'))
    expect(left.filter((r) => r.tags?.[poolTags.pool] === 'team-pool')).toEqual([])
    expect(left.map((r) => r.name)).toContain('other-nsg')
  })
})
