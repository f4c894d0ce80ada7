import { describe, expect, it } from 'vitest'
import { sandboxForFile } from '../sandbox/fixtures'
import { gpuPoolId, poolOf, poolServiceFor, teamPoolId } from './pool-env'

const env = sandboxForFile({ seed: 'demo' })

describe('finding pools and polling them', () => {
  it('finds both demo pools by tag, with their state, size, instances and JupyterHub address', async () => {
    const { service } = poolServiceFor(env)
    const { pools } = await service.list()
    service.close()
    expect(pools.map((p) => p.name)).toEqual(['gpu-pool', 'team-pool'])
    const team = poolOf(service, teamPoolId(env.sandbox.subscriptionId))
    expect(team).toMatchObject({
      state: 'Running',
      running: 3,
      total: 3,
      capacity: 3,
      os: 'Linux',
      vmSize: 'Standard_D4s_v5',
      autoscaleEnabled: true,
      ownsResourceGroup: true,
      owner: 'ada@contoso.example',
    })
    expect(team.jupyterHubUrl).toMatch(/^https:\/\/team-pool-contoso\..+:8000\/$/)
    const gpu = poolOf(service, gpuPoolId(env.sandbox.subscriptionId))
    expect(gpu).toMatchObject({
      state: 'Scaled to zero',
      total: 0,
      restoreCapacity: 2,
      autoscaleEnabled: false,
    })
  })

  it('lists instances with power state and their SSH NAT ports from the load balancer', async () => {
    const { service } = poolServiceFor(env)
    const instances = await service.instances(teamPoolId(env.sandbox.subscriptionId))
    service.close()
    expect(
      instances.map((i) => [i.instanceId, i.powerState, i.provisioningState, i.sshPort]),
    ).toEqual([
      ['0', 'running', 'Succeeded', 50000],
      ['1', 'running', 'Succeeded', 50001],
      ['2', 'running', 'Succeeded', 50002],
    ])
    expect(instances.every((i) => !i.protectedFromScaleIn && i.latestModelApplied)).toBe(true)
  })

  it('reads each pool with one VM list call per poll once it is steady (no per-instance calls)', async () => {
    const { service } = poolServiceFor(env)
    await service.list()
    service.close()
    await service.poller.pollNow()
    // Two pools, steady: one VM list each; the load balancer only when instances changed.
    expect(service.poller.requestsLastPoll).toBe(2)
  })
})
