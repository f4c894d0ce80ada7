import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startTestSandbox, type TestSandbox } from '../harness'
import { clientsFor, collect, createPoolNetwork, finish, ids, poll, scaleSetModel } from './pool'

const started: TestSandbox[] = []
const stateDir = mkdtempSync(join(tmpdir(), 'sandbox-compute-state-'))

async function sandbox(options: { stateDir?: string } = {}): Promise<TestSandbox> {
  const env = await startTestSandbox(options)
  started.push(env)
  return env
}

afterAll(async () => {
  for (const env of started) await env.close()
  rmSync(stateDir, { recursive: true, force: true })
})

describe('metering', () => {
  it('bills compute while instances are allocated and OS disks while they exist', async () => {
    const env = await sandbox()
    const clients = clientsFor(env)
    const names = { resourceGroup: 'rg-meter', pool: 'meterpool', location: 'eastus' }
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
    const scaleSetId = ids(env.sandbox.subscriptionId, names).scaleSet
    const usage = () =>
      env.sandbox.context.usage.list({
        subscriptionId: env.sandbox.subscriptionId,
        resourceGroup: names.resourceGroup,
      })
    const of = (meter: string) => usage().filter((u) => u.meter === meter)

    expect(of('compute').map((u) => [u.instanceId, u.sku, u.os, u.priority, u.end])).toEqual([
      ['0', 'Standard_D4s_v5', 'Linux', 'Regular', undefined],
      ['1', 'Standard_D4s_v5', 'Linux', 'Regular', undefined],
    ])
    expect(of('osDisk').map((u) => [u.instanceId, u.sku, u.resourceId])).toEqual([
      ['0', 'P10', scaleSetId],
      ['1', 'P10', scaleSetId],
    ])
    expect(of('publicIp').map((u) => u.sku)).toEqual(['Standard'])
    expect(of('loadBalancer').map((u) => u.sku)).toEqual(['Standard'])

    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginDeallocate(
        names.resourceGroup,
        names.pool,
        poll,
      ),
    )
    expect(of('compute').every((u) => u.end !== undefined && u.end > u.start)).toBe(true)
    expect(of('osDisk').every((u) => u.end === undefined)).toBe(true)

    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginStart(names.resourceGroup, names.pool, poll),
    )
    expect(of('compute').filter((u) => u.end === undefined)).toHaveLength(2)

    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginDelete(names.resourceGroup, names.pool, poll),
    )
    expect(
      usage().filter((u) => (u.meter === 'compute' || u.meter === 'osDisk') && u.end === undefined),
    ).toEqual([])
  })
})

describe('model changes', () => {
  it('leaves instances on the old model until they are upgraded, then bills the new size', async () => {
    const env = await sandbox()
    const clients = clientsFor(env)
    const names = { resourceGroup: 'rg-resize', pool: 'resizepool', location: 'eastus' }
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
    const resized = await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginUpdate(
        names.resourceGroup,
        names.pool,
        { sku: { name: 'Standard_D8s_v5' } },
        poll,
      ),
    )
    expect(resized.sku).toMatchObject({ name: 'Standard_D8s_v5', capacity: 2 })
    const stale = await collect(
      clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool),
    )
    expect(stale.map((vm) => vm.latestModelApplied)).toEqual([false, false])

    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginUpdateInstances(
        names.resourceGroup,
        names.pool,
        { instanceIds: ['1'] },
        poll,
      ),
    )
    const upgraded = await collect(
      clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool),
    )
    expect(upgraded.map((vm) => vm.latestModelApplied)).toEqual([false, true])
    const open = env.sandbox.context.usage
      .list({ subscriptionId: env.sandbox.subscriptionId, resourceGroup: names.resourceGroup })
      .filter((u) => u.meter === 'compute' && u.end === undefined)
      .map((u) => [u.instanceId, u.sku])
    expect(open).toEqual([
      ['0', 'Standard_D4s_v5'],
      ['1', 'Standard_D8s_v5'],
    ])
  })
})

describe('restart with saved state', () => {
  const names = { resourceGroup: 'rg-restart', pool: 'restartpool', location: 'eastus' }

  it('finishes instance creation that was in progress when the sandbox stopped', async () => {
    const first = await sandbox({ stateDir })
    const clients = clientsFor(first)
    await createPoolNetwork(first, clients, names)
    await clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
      names.resourceGroup,
      names.pool,
      scaleSetModel(first, names, { capacity: 2 }),
      poll,
    )
    await first.close()

    const second = await sandbox({ stateDir })
    const again = clientsFor(second)
    const before = await collect(
      again.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool),
    )
    expect(before.map((vm) => vm.provisioningState)).toEqual(['Creating', 'Creating'])
    second.sandbox.clock.advance(95_000)
    const after = await collect(
      again.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool, {
        expand: 'instanceView',
      }),
    )
    expect(after.map((vm) => vm.instanceView?.statuses?.map((s) => s.code))).toEqual([
      ['ProvisioningState/succeeded', 'PowerState/running'],
      ['ProvisioningState/succeeded', 'PowerState/running'],
    ])
    expect(
      (await again.compute.virtualMachineScaleSets.get(names.resourceGroup, names.pool))
        .provisioningState,
    ).toBe('Succeeded')
    const lb = await again.network.loadBalancers.get(names.resourceGroup, `${names.pool}-lb`)
    expect(lb.inboundNatRules?.map((r) => r.name)).toEqual(['ssh.0', 'ssh.1'])
  })

  it('answers ResourceGroupNotFound for reads in a group that does not exist', async () => {
    const env = started[started.length - 1]!
    await expect(
      clientsFor(env).compute.virtualMachineScaleSets.get('rg-none', 'x'),
    ).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' })
    await expect(
      clientsFor(env).compute.virtualMachineScaleSets.get(names.resourceGroup, 'x'),
    ).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' })
  })
})
