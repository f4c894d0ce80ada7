import type { VirtualMachineScaleSetVM } from '@azure/arm-compute'
import type { LoadBalancer } from '@azure/arm-network'
import { describe, expect, it } from 'vitest'
import {
  countsOf,
  diffInstances,
  instanceOf,
  natPortsByInstance,
  restoreCapacityOf,
} from '../../../electron/azure/pools/model'
import type { PoolInstance } from '../../../shared/pools'

const scaleSetId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/pool'

const vm = (
  id: string,
  power: string,
  provisioning = 'Succeeded',
  extra: Partial<VirtualMachineScaleSetVM> = {},
) =>
  ({
    name: `pool_${id}`,
    instanceId: id,
    location: 'eastus',
    provisioningState: provisioning,
    latestModelApplied: true,
    protectionPolicy: { protectFromScaleIn: false },
    instanceView: {
      computerName: `pool00000${id}`,
      statuses: [
        { code: `ProvisioningState/${provisioning.toLowerCase()}` },
        { code: `PowerState/${power}` },
      ],
    },
    ...extra,
  }) as VirtualMachineScaleSetVM

const instance = (
  id: string,
  powerState: string,
  provisioningState = 'Succeeded',
): PoolInstance => ({
  instanceId: id,
  name: `pool_${id}`,
  powerState,
  provisioningState,
  protectedFromScaleIn: false,
  latestModelApplied: true,
})

describe('instances from the VM list', () => {
  it('reads power state, provisioning, protection and model from one list entry', () => {
    const ports = new Map([['1', 50001]])
    expect(
      instanceOf(
        vm('1', 'running', 'Succeeded', {
          protectionPolicy: { protectFromScaleIn: true },
          latestModelApplied: false,
        }),
        ports,
      ),
    ).toEqual({
      instanceId: '1',
      name: 'pool_1',
      computerName: 'pool000001',
      powerState: 'running',
      provisioningState: 'Succeeded',
      sshPort: 50001,
      protectedFromScaleIn: true,
      latestModelApplied: false,
    })
  })

  it('says unknown when Azure has not reported a power state yet', () => {
    expect(
      instanceOf(
        { ...vm('0', 'x'), instanceView: { statuses: [] } } as VirtualMachineScaleSetVM,
        new Map(),
      ).powerState,
    ).toBe('unknown')
  })

  it('takes NAT ports from rules whose backend is an instance of this scale set only', () => {
    const rule = (name: string, port: number, backend: string) => ({
      name,
      frontendPort: port,
      backendIPConfiguration: { id: backend },
    })
    const lb = {
      inboundNatRules: [
        rule(
          'ssh.0',
          50000,
          `${scaleSetId}/virtualMachines/0/networkInterfaces/nic/ipConfigurations/ip`,
        ),
        rule(
          'ssh.3',
          50003,
          `${scaleSetId.toUpperCase()}/VIRTUALMACHINES/3/networkInterfaces/nic/ipConfigurations/ip`,
        ),
        rule(
          'other.0',
          51000,
          `${scaleSetId}-other/virtualMachines/0/networkInterfaces/nic/ipConfigurations/ip`,
        ),
      ],
    } as LoadBalancer
    expect([...natPortsByInstance(lb, scaleSetId)]).toEqual([
      ['0', 50000],
      ['3', 50003],
    ])
    expect(natPortsByInstance(undefined, scaleSetId).size).toBe(0)
  })
})

describe('what changed between polls', () => {
  it('sends only new or changed instances and the ids of those gone', () => {
    const before = [instance('0', 'running'), instance('1', 'running'), instance('2', 'running')]
    const after = [
      instance('0', 'running'),
      instance('1', 'deallocating', 'Updating'),
      instance('3', 'starting', 'Creating'),
    ]
    expect(diffInstances(before, after)).toEqual({
      upserts: [after[1], after[2]],
      removed: ['2'],
    })
    expect(diffInstances(after, after)).toEqual({ upserts: [], removed: [] })
  })
})

describe('the restore-capacity tag', () => {
  it('reads a positive whole number and ignores anything else', () => {
    expect(restoreCapacityOf({ 'dsvm-pool-restore-capacity': '3' })).toBe(3)
    expect(restoreCapacityOf({ 'dsvm-pool-restore-capacity': '0' })).toBeUndefined()
    expect(restoreCapacityOf({ 'dsvm-pool-restore-capacity': 'two' })).toBeUndefined()
    expect(restoreCapacityOf({})).toBeUndefined()
  })
})

describe('instance counts', () => {
  it('counts running and deallocated instances (those still pay for disks), not those being deleted', () => {
    expect(
      countsOf([
        instance('0', 'running'),
        instance('1', 'deallocated'),
        instance('2', 'running', 'Deleting'),
      ]),
    ).toEqual({
      total: 2,
      running: 1,
      deallocated: 1,
    })
  })
})
