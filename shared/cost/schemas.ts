import { z } from 'zod'
import type { BudgetStatus } from './budget'
import type { PoolEstimate } from './estimate'
import type { MonthEndProjection } from './projection'
import type { CostSchedule } from './schedule'
import type { CostPoolSpec, PoolRates } from './types'

/*
 * The cost shapes as zod schemas, for the IPC contract (shared/api.ts): main validates every
 * estimate request with them, and checks its own answers before they cross.
 */

const money = z.number().finite()
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected a time as HH:MM')

export const costPoolSpecSchema = z
  .object({
    region: z.string().regex(/^[a-z0-9]{2,40}$/, 'Expected an ARM region name such as eastus'),
    vmSize: z.string().regex(/^[A-Za-z0-9_]{2,64}$/, 'Expected a VM size such as Standard_D4s_v5'),
    os: z.enum(['Linux', 'Windows']),
    priority: z.enum(['Regular', 'Spot', 'LowPriority']),
    priceType: z.enum(['Consumption', 'DevTestConsumption']).optional(),
    instanceCount: z.number().int().min(0).max(1000),
    osDisk: z
      .object({
        storageAccountType: z.enum(['Premium_LRS', 'StandardSSD_LRS', 'Standard_LRS']),
        sizeGiB: z.number().int().min(1).max(32767),
      })
      .strict(),
    share: z
      .object({
        tier: z.enum(['Premium', 'TransactionOptimized', 'Hot', 'Cool']),
        redundancy: z.enum(['LRS', 'ZRS', 'GRS']),
        sizeGiB: z.number().min(0).max(102400),
      })
      .strict(),
    network: z
      .object({
        publicIps: z.number().int().min(0).max(20),
        loadBalancerRules: z.number().int().min(0).max(300),
      })
      .strict(),
  })
  .strict() satisfies z.ZodType<CostPoolSpec>

export const costScheduleSchema = z
  .object({
    days: z
      .array(
        z.union([0, 1, 2, 3, 4, 5, 6].map((d) => z.literal(d as CostSchedule['days'][number]))),
      )
      .max(7),
    start: time,
    end: time,
    instancesOutside: z.number().int().min(0).max(1000).optional(),
    outsideMode: z.enum(['remove', 'deallocate']).optional(),
  })
  .strict() satisfies z.ZodType<CostSchedule>

export const poolRatesSchema = z.object({
  currency: z.string(),
  computePerHour: money,
  osDiskPerMonth: money,
  sharePerGiBMonth: money,
  publicIpPerHour: money,
  loadBalancerPerHour: money,
  loadBalancerRulePerHour: money,
}) satisfies z.ZodType<PoolRates>

const costPartSchema = z.enum(['compute', 'disks', 'storage', 'network'])

export const poolEstimateSchema = z.object({
  currency: z.string(),
  perHourRunning: money,
  perMonthAlwaysOn: money,
  perMonthOnSchedule: money,
  savingsPerMonth: money,
  scheduledHoursPerMonth: z.number(),
  parts: z.array(
    z.object({
      part: costPartSchema,
      perHourRunning: money,
      perMonthAlwaysOn: money,
      perMonthOnSchedule: money,
    }),
  ),
}) satisfies z.ZodType<PoolEstimate>

/** An estimate with its unit prices and how current they are. */
export const estimateResultSchema = z.object({
  estimate: poolEstimateSchema,
  rates: poolRatesSchema,
  /** ISO time of the oldest price used. */
  asOf: z.string(),
  /** The price list could not be reached: saved prices older than a day were used. */
  stale: z.boolean(),
  /** "prices as of 27 Nov 2026" when stale. */
  note: z.string().optional(),
})

export const monthEndProjectionSchema = z.object({
  month: z.string(),
  monthToDate: money,
  projected: money,
  dailyRate: money,
  basisDays: z.number(),
  remainingDays: z.number(),
  daysInMonth: z.number(),
  basis: z.enum(['history', 'burnRate']).optional(),
  perHour: money.optional(),
}) satisfies z.ZodType<MonthEndProjection>

/** A pool's actual spend this month (see electron/azure/cost PoolSpend). */
export const poolSpendSchema = z.object({
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  currency: z.string(),
  days: z.array(
    z.object({ date: z.string(), total: money, byService: z.record(z.string(), money) }),
  ),
  services: z.array(z.string()),
  monthToDate: money,
  projection: monthEndProjectionSchema,
  fetchedAt: z.string(),
  fromCache: z.boolean(),
  throttled: z.object({ retryAt: z.string(), retryAfterSeconds: z.number() }).optional(),
  offline: z.boolean().optional(),
})

/** Where a pool stands against its monthly budget (see budget.ts). */
export const budgetStatusSchema = z.object({
  budget: money,
  actualRatio: z.number(),
  projectedRatio: z.number(),
  level: z.enum(['ok', 'warning', 'over']),
  alerts: z.array(
    z.object({
      basis: z.enum(['actual', 'projected']),
      threshold: z.union([z.literal(80), z.literal(100)]),
      amount: money,
    }),
  ),
}) satisfies z.ZodType<BudgetStatus>
