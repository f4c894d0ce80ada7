import { describe, expect, it } from 'vitest'
import {
  burnRate,
  estimatePool,
  type CostPoolSpec,
  type PoolRates,
  type CostSchedule,
} from '../../../shared/cost'

/*
 * Hand-worked cases. Rates are the sandbox's East US prices in USD: D4s v5 Linux $0.192/h,
 * Windows $0.376/h (0.192 + 4 vCPUs × $0.046 licence), Spot $0.03456/h (82 % off), P10
 * $19.71/month, Premium Files $0.16/GiB-month, Standard IP $0.005/h, Standard LB $0.025/h
 * for the first five rules and $0.01/h per further rule. A month is 730 hours.
 */
const rates: PoolRates = {
  currency: 'USD',
  computePerHour: 0.192,
  osDiskPerMonth: 19.71,
  sharePerGiBMonth: 0.16,
  publicIpPerHour: 0.005,
  loadBalancerPerHour: 0.025,
  loadBalancerRulePerHour: 0.01,
}
const spec: CostPoolSpec = {
  region: 'eastus',
  vmSize: 'Standard_D4s_v5',
  os: 'Linux',
  priority: 'Regular',
  instanceCount: 2,
  osDisk: { storageAccountType: 'Premium_LRS', sizeGiB: 128 },
  share: { tier: 'Premium', redundancy: 'LRS', sizeGiB: 100 },
  network: { publicIps: 1, loadBalancerRules: 2 },
}
/** 12 h × 7 days = 84 h a week, half of the week's 168 h: exactly 365 of 730 hours. */
const halfTheTime: CostSchedule = {
  days: [0, 1, 2, 3, 4, 5, 6],
  start: '06:00',
  end: '18:00',
}

const part = (estimate: ReturnType<typeof estimatePool>, name: string) =>
  estimate.parts.find((p) => p.part === name)!

describe('estimatePool', () => {
  it('Linux, always on: parts per hour and per 730-hour month', () => {
    const estimate = estimatePool(spec, rates)
    // compute 2 × 0.192 = 0.384/h → 280.32/month
    expect(part(estimate, 'compute').perHourRunning).toBeCloseTo(0.384, 10)
    expect(part(estimate, 'compute').perMonthAlwaysOn).toBeCloseTo(280.32, 8)
    // disks 2 × 19.71 = 39.42/month → 0.054/h
    expect(part(estimate, 'disks').perHourRunning).toBeCloseTo(0.054, 10)
    expect(part(estimate, 'disks').perMonthAlwaysOn).toBeCloseTo(39.42, 8)
    // storage 100 GiB × 0.16 = 16/month
    expect(part(estimate, 'storage').perMonthAlwaysOn).toBeCloseTo(16, 8)
    // network IP 0.005 + LB 0.025 (2 rules are included) = 0.03/h → 21.90/month
    expect(part(estimate, 'network').perHourRunning).toBeCloseTo(0.03, 10)
    expect(part(estimate, 'network').perMonthAlwaysOn).toBeCloseTo(21.9, 8)
    // 280.32 + 39.42 + 16 + 21.90
    expect(estimate.perMonthAlwaysOn).toBeCloseTo(357.64, 8)
    expect(estimate.perHourRunning).toBeCloseTo(357.64 / 730, 10)
    // Without a schedule the pool runs all month: nothing saved.
    expect(estimate.perMonthOnSchedule).toBeCloseTo(357.64, 8)
    expect(estimate.savingsPerMonth).toBeCloseTo(0, 10)
    expect(estimate.scheduledHoursPerMonth).toBe(730)
    expect(estimate.parts.map((p) => p.part)).toEqual(['compute', 'disks', 'storage', 'network'])
    expect(estimate.currency).toBe('USD')
  })

  it('Windows pays the licence in the compute rate only', () => {
    const estimate = estimatePool({ ...spec, os: 'Windows' }, { ...rates, computePerHour: 0.376 })
    // 2 × 0.376 × 730 = 548.96; the other parts are unchanged: 548.96 + 39.42 + 16 + 21.90
    expect(part(estimate, 'compute').perMonthAlwaysOn).toBeCloseTo(548.96, 8)
    expect(estimate.perMonthAlwaysOn).toBeCloseTo(626.28, 8)
  })

  it('Spot lowers compute, not the disks, share or network', () => {
    const estimate = estimatePool(
      { ...spec, priority: 'Spot' },
      { ...rates, computePerHour: 0.03456 },
    )
    // 2 × 0.03456 × 730 = 50.4576
    expect(part(estimate, 'compute').perMonthAlwaysOn).toBeCloseTo(50.4576, 8)
    expect(estimate.perMonthAlwaysOn).toBeCloseTo(50.4576 + 39.42 + 16 + 21.9, 8)
  })

  it('on a schedule, scaling to zero removes instances and their OS disks outside hours', () => {
    const estimate = estimatePool(spec, rates, halfTheTime)
    expect(estimate.scheduledHoursPerMonth).toBeCloseTo(365, 10)
    // compute 0.384 × 365 = 140.16; disks 39.42 × 365/730 = 19.71; storage and network all month
    expect(part(estimate, 'compute').perMonthOnSchedule).toBeCloseTo(140.16, 8)
    expect(part(estimate, 'disks').perMonthOnSchedule).toBeCloseTo(19.71, 8)
    expect(part(estimate, 'storage').perMonthOnSchedule).toBeCloseTo(16, 8)
    expect(part(estimate, 'network').perMonthOnSchedule).toBeCloseTo(21.9, 8)
    expect(estimate.perMonthOnSchedule).toBeCloseTo(197.77, 8)
    // 357.64 − 197.77
    expect(estimate.savingsPerMonth).toBeCloseTo(159.87, 8)
  })

  it('deallocated instances outside hours still pay for their OS disks', () => {
    const estimate = estimatePool(spec, rates, { ...halfTheTime, outsideMode: 'deallocate' })
    expect(part(estimate, 'compute').perMonthOnSchedule).toBeCloseTo(140.16, 8)
    expect(part(estimate, 'disks').perMonthOnSchedule).toBeCloseTo(39.42, 8)
    // 140.16 + 39.42 + 16 + 21.90; the saving is the compute only
    expect(estimate.perMonthOnSchedule).toBeCloseTo(217.48, 8)
    expect(estimate.savingsPerMonth).toBeCloseTo(140.16, 8)
  })

  it('an instance kept outside hours runs (and keeps its disk) all month', () => {
    const estimate = estimatePool(spec, rates, { ...halfTheTime, instancesOutside: 1 })
    // compute 0.384 × 365 + 0.192 × 365 = 210.24
    expect(part(estimate, 'compute').perMonthOnSchedule).toBeCloseTo(210.24, 8)
    // disk-hours 2 × 365 + 1 × 365 = 1095, at 19.71/730 = 0.027 per disk-hour = 29.565
    expect(part(estimate, 'disks').perMonthOnSchedule).toBeCloseTo(29.565, 8)
  })

  it('weekday office hours: 50 h a week is 217.26 h of a 730-hour month', () => {
    const estimate = estimatePool(spec, rates, {
      days: [1, 2, 3, 4, 5],
      start: '08:00',
      end: '18:00',
    })
    // 50 × 730 / 168 = 217.2619…; compute 0.384 × 217.2619 = 83.4286
    expect(estimate.scheduledHoursPerMonth).toBeCloseTo(217.2619, 4)
    expect(part(estimate, 'compute').perMonthOnSchedule).toBeCloseTo(83.4286, 4)
  })

  it('load balancer rules beyond five are charged per rule; no rules, no charge', () => {
    const seven = estimatePool({ ...spec, network: { publicIps: 1, loadBalancerRules: 7 } }, rates)
    // 0.005 + 0.025 + 2 × 0.01
    expect(part(seven, 'network').perHourRunning).toBeCloseTo(0.05, 10)
    const none = estimatePool({ ...spec, network: { publicIps: 0, loadBalancerRules: 0 } }, rates)
    expect(part(none, 'network').perHourRunning).toBe(0)
  })

  it('a schedule cannot keep more instances outside hours than the pool has', () => {
    const estimate = estimatePool(spec, rates, { ...halfTheTime, instancesOutside: 5 })
    expect(estimate.perMonthOnSchedule).toBeCloseTo(estimate.perMonthAlwaysOn, 8)
  })
})

describe('burnRate', () => {
  it('counts running instances for compute and running plus deallocated for disks', () => {
    const rate = burnRate(spec, rates, { running: 1, deallocated: 1 })
    expect(rate.parts.compute).toBeCloseTo(0.192, 10)
    // 2 × 19.71 / 730
    expect(rate.parts.disks).toBeCloseTo(0.054, 10)
    // 16 / 730
    expect(rate.parts.storage).toBeCloseTo(0.021918, 6)
    expect(rate.parts.network).toBeCloseTo(0.03, 10)
    expect(rate.perHour).toBeCloseTo(0.192 + 0.054 + 16 / 730 + 0.03, 10)
  })

  it('a pool scaled to zero still burns its fixed parts', () => {
    const rate = burnRate(spec, rates, { running: 0 })
    expect(rate.parts.compute).toBe(0)
    expect(rate.parts.disks).toBe(0)
    expect(rate.perHour).toBeCloseTo(16 / 730 + 0.03, 10)
  })
})
