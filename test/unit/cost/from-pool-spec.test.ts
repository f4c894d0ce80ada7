import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  costInputsOf,
  estimatePool,
  templateCostFacts,
  type PoolCostAnswers,
  type PoolRates,
} from '../../../shared/cost'
import { defaultPoolSpec } from '../../../shared/pool-spec'

const answers = {
  ...defaultPoolSpec('team-pool'),
  location: 'eastus',
} as PoolCostAnswers

/** The sandbox's East US prices for what the template creates. */
const rates: PoolRates = {
  currency: 'USD',
  computePerHour: 0.192,
  osDiskPerMonth: 9.6,
  sharePerGiBMonth: 0.06,
  publicIpPerHour: 0.005,
  loadBalancerPerHour: 0.025,
  loadBalancerRulePerHour: 0.01,
}

describe('costInputsOf', () => {
  it("turns the wizard's default answers into the template's parts and working hours", () => {
    const { spec, schedule } = costInputsOf(answers)
    expect(spec).toEqual({
      region: 'eastus',
      vmSize: 'Standard_D4s_v5',
      os: 'Linux',
      priority: 'Regular',
      instanceCount: 2,
      osDisk: { storageAccountType: 'StandardSSD_LRS', sizeGiB: 128 },
      share: { tier: 'TransactionOptimized', redundancy: 'LRS', sizeGiB: 100 },
      network: { publicIps: 1, loadBalancerRules: 2 },
    })
    expect(schedule).toEqual({
      days: [1, 2, 3, 4, 5],
      start: '08:00',
      end: '18:00',
      instancesOutside: 0,
      outsideMode: 'remove',
    })
  })

  it('prices the default pool: weekday office hours, scaled to zero outside them', () => {
    const { spec, schedule } = costInputsOf(answers)
    const estimate = estimatePool(spec, rates, schedule)
    // 50 h a week → 50 × 730 / 168 = 217.26 h. Compute 2 × 0.192 × 217.26 = 83.4286;
    // disks 2 × 9.60 × 50/168 = 5.7143; share 100 GiB × 0.06 = 6; IP + LB 0.03 × 730 = 21.90
    expect(estimate.perMonthOnSchedule).toBeCloseTo(83.4286 + 5.7143 + 6 + 21.9, 3)
    // Always on: 280.32 + 19.20 + 6 + 21.90
    expect(estimate.perMonthAlwaysOn).toBeCloseTo(327.42, 6)
  })

  it('without autoscale runs the instance count all the time', () => {
    const { spec, schedule } = costInputsOf({
      ...answers,
      instanceCount: 3,
      autoscale: { ...answers.autoscale, enabled: false },
    })
    expect(spec.instanceCount).toBe(3)
    expect(schedule).toBeUndefined()
  })

  it('an internal pool has no public IP or outbound rule; an existing share is not its cost', () => {
    const { spec } = costInputsOf({
      ...answers,
      network: { access: 'Internal' },
      storage: { mode: 'existing' },
    })
    expect(spec.network).toEqual({ publicIps: 0, loadBalancerRules: 1 })
    expect(spec.share.sizeGiB).toBe(0)
  })

  it('estimates the share at what the team expects to store, up to its quota', () => {
    expect(costInputsOf(answers, { shareUsedGiB: 40 }).spec.share.sizeGiB).toBe(40)
    expect(costInputsOf(answers, { shareUsedGiB: 400 }).spec.share.sizeGiB).toBe(100)
  })
})

describe('templateCostFacts', () => {
  it('agrees with resources/templates/dsvm-pool.json', () => {
    const template = JSON.parse(
      readFileSync(join(__dirname, '../../../resources/templates/dsvm-pool.json'), 'utf8'),
    ) as { resources: Array<{ type: string; properties: Record<string, unknown>; sku?: unknown }> }
    const of = (type: string) => template.resources.find((r) => r.type === type)!
    const scaleSet = JSON.stringify(of('Microsoft.Compute/virtualMachineScaleSets').properties)
    expect(scaleSet).toContain(
      `"storageAccountType":"${templateCostFacts.osDisk.storageAccountType}"`,
    )
    expect(scaleSet).not.toContain('diskSizeGB')
    const share = of('Microsoft.Storage/storageAccounts/fileServices/shares').properties
    expect(share.shareQuota).toBe(templateCostFacts.share.quotaGiB)
    // No access tier set: a StorageV2 share is transaction optimized.
    expect(share.accessTier).toBeUndefined()
    expect(of('Microsoft.Storage/storageAccounts').sku).toEqual({ name: 'Standard_LRS' })
    const lb = of('Microsoft.Network/loadBalancers')
    expect(lb.sku).toMatchObject({ name: 'Standard' })
    expect(lb.properties.loadBalancingRules).toHaveLength(
      templateCostFacts.loadBalancerRules.Internal,
    )
    // Public pools add one outbound rule.
    expect(String(lb.properties.outboundRules)).toContain("variables('isPublic')")
    expect(of('Microsoft.Network/publicIPAddresses').sku).toMatchObject({ name: 'Standard' })
  })
})
