import { z } from 'zod'
import { weekdays } from './pool-spec'

/*
 * What the app shows about a running pool, as it crosses from main to the renderer: the pool
 * (one scale set found by its dsvm-pool tag), its instances, and its autoscale schedule.
 * Everything here is read from Azure; nothing is assumed (DESIGN.md decision 5).
 */

/** A pool is named by its scale set's resource id. */
export const poolIdSchema = z
  .string()
  .max(600)
  .regex(
    /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{0,89}[-\w()]\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/[-\w.]{0,63}[-\w]$/i,
    'Expected a scale set resource id',
  )

export const poolStates = [
  'Deploying',
  'Running',
  'Scaling',
  'Scaled to zero',
  /** Held at zero, but protected instances were kept. */
  'Protected running',
  'Stopped',
  'Failed',
] as const
export type PoolState = (typeof poolStates)[number]

/** What every screen shows about a pool's size, derived once (shared/pool-state.ts). */
export const poolViewSchema = z.object({
  state: z.enum(poolStates),
  badge: z.string(),
  scaledToZero: z.boolean(),
  switchBlocked: z.string().optional(),
  heldAtZeroBy: z.enum(['app', 'schedule', 'nobody']).optional(),
  banner: z
    .object({
      tone: z.enum(['info', 'warning']),
      text: z.string(),
      offer: z
        .enum(['endOverride', 'startUntil', 'includeProtected', 'keepRunning', 'restoreFromZero'])
        .optional(),
    })
    .optional(),
  protectedRunning: z.number().int(),
  override: z
    .object({ capacity: z.number().int(), until: z.string(), by: z.string().optional() })
    .optional(),
  overrideLine: z.string().optional(),
  bringBackKept: z.boolean().optional(),
  goesDownSoon: z
    .object({ at: z.string(), to: z.number().int(), keepUntil: z.string(), text: z.string() })
    .optional(),
  jupyterHubBlocked: z.string().optional(),
  line: z.string(),
  suggestedUntil: z.string(),
})

/**
 * One change of a pool's size and who made it (a person, autoscale, a Spot eviction, someone
 * outside the app).
 */
export const poolActivitySchema = z.object({
  /** ISO 8601. */
  at: z.string(),
  who: z.enum(['person', 'autoscale', 'eviction', 'outside']),
  /** The person's user principal name. */
  by: z.string().optional(),
  /** "Autoscale removed 3 instances at 18:00: outside working hours". */
  text: z.string(),
})
export type PoolActivity = z.infer<typeof poolActivitySchema>

export const poolSummarySchema = z.object({
  id: poolIdSchema,
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  region: z.string(),
  os: z.enum(['Linux', 'Windows']),
  vmSize: z.string(),
  /** Instances in Azure (any state but being deleted). */
  total: z.number().int(),
  running: z.number().int(),
  /** The scale set's capacity (what Azure is working towards). */
  capacity: z.number().int(),
  state: z.enum(poolStates),
  /** Badge, switch, banner, card and tray line: one derivation from Azure's state. */
  view: poolViewSchema,
  /** Who changed the pool's size lately, newest first. */
  activity: z.array(poolActivitySchema).max(20).optional(),
  /** Why the pool is Failed, in Azure's words. */
  problem: z.string().optional(),
  /** From the dsvm-pool-restore-capacity tag: the capacity scale-to-zero will restore. */
  restoreCapacity: z.number().int().optional(),
  /** True when an autoscale setting targets the scale set and is enabled. */
  autoscaleEnabled: z.boolean(),
  hasAutoscale: z.boolean(),
  jupyterHubUrl: z.string().optional(),
  /** Cost per hour now (running compute, disks, IP, load balancer); absent when prices are unknown. */
  costPerHour: z.number().optional(),
  currency: z.string().optional(),
  owner: z.string().optional(),
  /** Monthly budget from the dsvm-pool-budget tag, in the currency Cost Management reports. */
  budget: z.number().positive().optional(),
  /** The scale set's ETag when it was read (for If-Match). */
  etag: z.string().optional(),
  /** True when the resource group carries the pool tag: the pool created the group. */
  ownsResourceGroup: z.boolean(),
})
export type PoolSummary = z.infer<typeof poolSummarySchema>

export const poolInstanceSchema = z.object({
  instanceId: z.string(),
  name: z.string(),
  computerName: z.string().optional(),
  /** running, starting, deallocated, deallocating, stopped, stopping, unknown. */
  powerState: z.string(),
  /** Creating, Updating, Succeeded, Failed, Deleting. */
  provisioningState: z.string(),
  sshPort: z.number().int().optional(),
  protectedFromScaleIn: z.boolean(),
  latestModelApplied: z.boolean(),
})
export type PoolInstance = z.infer<typeof poolInstanceSchema>

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected a time such as 08:00')
const count = z.number().int().min(0).max(1000)

/** The autoscale editor's model; written as a Microsoft.Insights autoscale setting. */
export const autoscaleScheduleSchema = z
  .object({
    enabled: z.boolean(),
    minimum: count,
    default: count,
    maximum: count,
    /** Working hours, with zero instances outside them; none: the capacity range all week. */
    workingHours: z
      .object({
        days: z.array(z.enum(weekdays)).min(1),
        start: clockTime,
        end: clockTime,
        /** Windows time zone name, as autoscale settings take it. */
        timeZone: z.string().min(1).max(100),
      })
      .strict()
      .optional(),
    scaleOut: z
      .object({
        cpuAbovePercent: z.number().min(1).max(100),
        minutes: z.number().int().min(5).max(720),
        by: z.number().int().min(1).max(100),
      })
      .strict(),
    scaleIn: z
      .object({
        cpuBelowPercent: z.number().min(0).max(99),
        minutes: z.number().int().min(5).max(720),
        by: z.number().int().min(1).max(100),
      })
      .strict(),
    cooldownMinutes: z.number().int().min(1).max(10_080),
  })
  .strict()
  .refine((s) => s.minimum <= s.default && s.default <= s.maximum, {
    message: 'Minimum, default and maximum must be in that order.',
    path: ['default'],
  })
  .refine((s) => !s.workingHours || s.workingHours.start < s.workingHours.end, {
    message: 'Working hours must end after they start.',
    path: ['workingHours', 'end'],
  })
  .refine((s) => s.scaleIn.cpuBelowPercent < s.scaleOut.cpuAbovePercent, {
    message: 'Scale in below a lower CPU than scale out, or the pool would flap.',
    path: ['scaleIn', 'cpuBelowPercent'],
  })
export type AutoscaleSchedule = z.infer<typeof autoscaleScheduleSchema>

export const autoscaleViewSchema = z.object({
  /** Absent when no autoscale setting targets the pool yet. */
  schedule: autoscaleScheduleSchema.optional(),
  /** Identifies the setting as read; send it back so a teammate's change is not overwritten. */
  version: z.string().optional(),
  /** "Scales to 0 at 18:00 (Eastern Standard Time)". */
  nextChange: z.string().optional(),
  /** Set when the setting has parts the editor does not show (they are kept when saving). */
  note: z.string().optional(),
  /** The autoscale setting's name in Azure. */
  settingName: z.string().optional(),
  /** A manual size autoscale keeps now (a fixed-date profile the app wrote). */
  override: z
    .object({ capacity: z.number().int(), until: z.string(), by: z.string().optional() })
    .optional(),
})
export type AutoscaleView = z.infer<typeof autoscaleViewSchema>

export const pollerStatusSchema = z.object({
  /** Milliseconds between polls now. */
  intervalMs: z.number(),
  /** ISO time until which Azure asked us to wait (429 Retry-After), if it did. */
  throttledUntil: z.string().optional(),
  /** Lowest x-ms-ratelimit-remaining-subscription-reads seen in the last poll. */
  remainingReads: z.number().optional(),
  lastPollAt: z.string().optional(),
  /** The last poll's error, in words, if it failed. */
  problem: z.string().optional(),
})
export type PollerStatus = z.infer<typeof pollerStatusSchema>

/** An action Azure accepted; its end arrives as a pools.actionDone event. */
export const poolActionStartedSchema = z.object({ accepted: z.literal(true), message: z.string() })

// ---- call and event shapes (shared/api.ts declares the calls with these) -----------------

export const poolsListSchema = z.object({
  pools: z.array(poolSummarySchema),
  status: pollerStatusSchema,
})

/**
 * An ETag as Azure sends it (printable ASCII, e.g. W/"..."), passed back in If-Match: anything
 * else could not be sent in a header at all.
 */
export const etagSchema = z
  .string()
  .max(200)
  .regex(/^[\x20-\x7e]*$/, 'Expected an ETag')
/** Until when autoscale keeps a manual size: an ISO 8601 time with its offset. */
export const untilSchema = z.iso.datetime({ offset: true })

export const scaleInputSchema = z
  .object({
    poolId: poolIdSchema,
    capacity: z.number().int().min(0).max(1000),
    etag: etagSchema.optional(),
    /** On a pool with autoscale on: keep this size until then (default: the view's suggestion). */
    until: untilSchema.optional(),
  })
  .strict()

export const startAllInputSchema = z
  .object({ poolId: poolIdSchema, until: untilSchema.optional() })
  .strict()

export const setScaledToZeroInputSchema = z
  .object({
    poolId: poolIdSchema,
    on: z.boolean(),
    /** Bringing the pool back outside working hours: autoscale keeps it until then. */
    until: untilSchema.optional(),
    /**
     * Scaling to zero with protected instances: include them (their protection is removed
     * and they go too) or keep them running. Without it, protected instances are kept.
     */
    protectedInstances: z.enum(['include', 'keep']).optional(),
  })
  .strict()

export const keepUntilInputSchema = z
  .object({
    poolId: poolIdSchema,
    until: untilSchema,
    capacity: z.number().int().min(1).max(1000).optional(),
  })
  .strict()

export const saveAutoscaleInputSchema = z
  .object({
    poolId: poolIdSchema,
    schedule: autoscaleScheduleSchema,
    version: z.string().max(100).optional(),
  })
  .strict()

export const poolsChangedSchema = z.object({
  pools: z.array(poolSummarySchema),
  removed: z.array(z.string()),
})

export const instancesChangedSchema = z.object({
  poolId: z.string(),
  upserts: z.array(poolInstanceSchema),
  removed: z.array(z.string()),
})

/** Autoscale or someone outside the app changed a pool's size (for notifications). */
export const poolActivityEventSchema = z.object({
  poolId: z.string(),
  poolName: z.string(),
  entries: z.array(poolActivitySchema),
})

export const actionDoneSchema = z.object({
  poolId: z.string(),
  poolName: z.string(),
  action: z.string(),
  ok: z.boolean(),
  message: z.string(),
})
