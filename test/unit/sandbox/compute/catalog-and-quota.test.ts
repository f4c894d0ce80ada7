import { describe, expect, it } from 'vitest'
import { ArmError } from '../../../../sandbox/core/arm-error'
import type { SandboxContext } from '../../../../sandbox/core/context'
import { Resources } from '../../../../sandbox/core/resources'
import { SandboxState } from '../../../../sandbox/core/state'
import { availabilityOf, resourceSkuView } from '../../../../sandbox/arm/compute/catalog'
import { diskTier } from '../../../../sandbox/arm/compute/lifecycle'
import { scaleSetType, type ScaleSetResource } from '../../../../sandbox/arm/compute/model'
import {
  checkQuota,
  currentUsage,
  defaultQuotaLimit,
  quotaLimit,
  setQuotaLimit,
} from '../../../../sandbox/arm/compute/quota'
import { durationMs } from '../../../../sandbox/arm/compute/request-helpers'
import { subscriptions } from '../../../../sandbox/seed/directory'
import { vmSizes } from '../../../../sandbox/seed/vm-sizes'

const [dataScience, devTest] = subscriptions as [
  (typeof subscriptions)[0],
  (typeof subscriptions)[0],
]

function contextWith(
  scaleSets: Array<{
    size: string
    instances: number
    location?: string
    spot?: boolean
    subscriptionId?: string
  }>,
) {
  const state = new SandboxState()
  const resources = new Resources(state)
  scaleSets.forEach((s, n) => {
    const scaleSet: ScaleSetResource = {
      id: `/subscriptions/${s.subscriptionId ?? dataScience.id}/resourceGroups/rg/providers/${scaleSetType}/pool${n}`,
      name: `pool${n}`,
      type: scaleSetType,
      location: s.location ?? 'eastus',
      sku: { name: s.size, capacity: s.instances },
      properties: { virtualMachineProfile: s.spot ? { priority: 'Spot' } : {} },
      sandbox: {
        nextInstanceId: s.instances,
        version: 1,
        instances: Array.from(
          { length: s.instances },
          (_, i) => ({ instanceId: String(i) }) as never,
        ),
      },
    }
    resources.put(scaleSet)
  })
  return { resources, state } as unknown as SandboxContext
}

describe('VM size catalogue', () => {
  it('tells available, restricted, not offered and unknown sizes apart', () => {
    expect(availabilityOf('Standard_D4s_v5', 'East US')).toBe('available')
    expect(availabilityOf('Standard_NC24ads_A100_v4', 'westeurope')).toBe('restricted')
    expect(availabilityOf('Standard_NC24ads_A100_v4', 'northeurope')).toBe('notOffered')
    expect(availabilityOf('Standard_Z99', 'eastus')).toBe('unknown')
  })

  it('shapes SKUs like the Resource SKUs API, with restrictions where they apply', () => {
    const a100 = vmSizes.find((s) => s.vmSize === 'Standard_NC24ads_A100_v4')!
    const sku = resourceSkuView(a100, 'westeurope')
    expect(sku).toMatchObject({
      resourceType: 'virtualMachines',
      name: 'Standard_NC24ads_A100_v4',
      family: 'StandardNCADSA100v4Family',
    })
    expect(sku.restrictions).toEqual([
      {
        type: 'Location',
        values: ['westeurope'],
        restrictionInfo: { locations: ['westeurope'] },
        reasonCode: 'NotAvailableForSubscription',
      },
    ])
    expect(resourceSkuView(a100, 'eastus').restrictions).toBeUndefined()
  })
})

describe('quota', () => {
  it('scales limits with the subscription', () => {
    expect(defaultQuotaLimit(dataScience.id, 'cores')).toBe(100)
    expect(defaultQuotaLimit(devTest.id, 'cores')).toBe(25)
    expect(defaultQuotaLimit(dataScience.id, 'StandardNCADSA100v4Family')).toBe(0)
  })

  it('applies an approved increase in one region only', () => {
    const ctx = contextWith([])
    setQuotaLimit(ctx, dataScience.id, 'East US', 'standardDSv5Family', 4000)
    expect(quotaLimit(ctx, dataScience.id, 'eastus', 'standardDSv5Family')).toBe(4000)
    expect(quotaLimit(ctx, dataScience.id, 'westeurope', 'standardDSv5Family')).toBe(64)
  })

  it('counts regular instances per family and region, Spot ones as low priority', () => {
    const ctx = contextWith([
      { size: 'Standard_D4s_v5', instances: 3 },
      { size: 'Standard_D8s_v5', instances: 1, spot: true },
      { size: 'Standard_E4s_v5', instances: 2, location: 'westeurope' },
    ])
    const usage = currentUsage(ctx, dataScience.id, 'eastus')
    expect(usage.get('standardDSv5Family')).toBe(12)
    expect(usage.get('cores')).toBe(12)
    expect(usage.get('lowPriorityCores')).toBe(8)
    expect(usage.get('virtualMachines')).toBe(4)
    expect(usage.get('standardESv5Family')).toBe(0)
  })

  it('words an exceeded quota as Azure does', () => {
    const ctx = contextWith([{ size: 'Standard_D4s_v5', instances: 5, subscriptionId: devTest.id }])
    const attempt = () =>
      checkQuota(ctx, {
        subscriptionId: devTest.id,
        location: 'eastus',
        sizeName: 'Standard_D4s_v5',
        spot: false,
        instances: 2,
      })
    expect(attempt).toThrow(ArmError)
    try {
      attempt()
    } catch (error) {
      expect((error as ArmError).status).toBe(409)
      expect((error as ArmError).code).toBe('OperationNotAllowed')
      expect((error as ArmError).message).toContain(
        'exceeding approved standardDSv5Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 16, Current Usage: 20, Additional Required: 8, (Minimum) New Limit Required: 28.',
      )
    }
    expect(() =>
      checkQuota(ctx, {
        subscriptionId: dataScience.id,
        location: 'eastus',
        sizeName: 'Standard_D4s_v5',
        spot: false,
        instances: 2,
      }),
    ).not.toThrow()
  })

  it('counts a resize across families against the new family', () => {
    const ctx = contextWith([{ size: 'Standard_D4s_v5', instances: 5 }])
    expect(() =>
      checkQuota(ctx, {
        subscriptionId: dataScience.id,
        location: 'eastus',
        sizeName: 'Standard_NC4as_T4_v3',
        spot: false,
        instances: 0,
        resizedInstances: 5,
        fromSize: 'Standard_D4s_v5',
      }),
    ).toThrow(
      /Standard NCASv3_T4 Family Cores quota.*Current Limit: 16, Current Usage: 0, Additional Required: 20/,
    )
  })
})

describe('small conversions', () => {
  it('names managed disk tiers by type and size', () => {
    expect(diskTier('Premium_LRS', 128)).toBe('P10')
    expect(diskTier('StandardSSD_LRS', 30)).toBe('E4')
    expect(diskTier('Standard_LRS', 1024)).toBe('S30')
  })

  it('reads ISO 8601 durations', () => {
    expect(durationMs('PT5M')).toBe(300_000)
    expect(durationMs('PT1H30M')).toBe(5_400_000)
    expect(durationMs('P1D')).toBe(86_400_000)
    expect(() => durationMs('5 minutes')).toThrow(ArmError)
  })
})
