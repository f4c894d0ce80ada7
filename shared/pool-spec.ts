import { z } from 'zod'
import {
  checkAdminUsername,
  checkDnsLabel,
  checkMountPoint,
  checkPoolName,
  checkResourceGroupName,
  checkShareName,
  checkSourceRange,
  checkSshPublicKey,
  checkStorageAccountName,
  checkWindowsPassword,
  type NameProblem,
} from './naming'
import { windowsTimeZone } from './time-zones'

/**
 * A pool spec: the answers of the create-pool wizard, everything needed to write the
 * parameter file of resources/templates/dsvm-pool.json. Pure data (no SDK types).
 */

const named = (check: (value: string) => NameProblem) =>
  z.string().check((ctx) => {
    const problem = check(ctx.value)
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value })
  })

export const weekdays = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const
export type Weekday = (typeof weekdays)[number]

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 08:00 or 18:30.')

export const workingHoursSchema = z.object({
  days: z.array(z.enum(weekdays)).min(1, 'Pick at least one working day.'),
  start: clockTime,
  end: clockTime,
  /** IANA ('Europe/Berlin') or Windows ('W. Europe Standard Time'). */
  timeZone: z.string().check((ctx) => {
    if (!windowsTimeZone(ctx.value))
      ctx.issues.push({
        code: 'custom',
        message: `Time zone '${ctx.value}' is not one Azure autoscale knows; pick one from the list.`,
        input: ctx.value,
      })
  }),
})
export type WorkingHours = z.infer<typeof workingHoursSchema>

/** A number of instances, with one message in words for every way it can be wrong. */
const instances = (what: string, min = 0) =>
  z.number({ error: `${what} must be a number.` }).check((ctx) => {
    const n = ctx.value
    if (!Number.isInteger(n) || n < min || n > 100)
      ctx.issues.push({
        code: 'custom',
        message: `${what} must be a whole number from ${min} to 100${Number.isInteger(n) ? '' : ` (not ${n})`}.`,
        input: n,
      })
  })

export const autoscaleSchema = z.object({
  enabled: z.boolean(),
  minimum: instances('The minimum'),
  maximum: instances('The maximum', 1),
  default: instances('The default'),
  /** Working hours; outside them the pool scales to zero. Null: the limits apply at all times. */
  schedule: workingHoursSchema.nullable(),
})
export type AutoscaleSpec = z.infer<typeof autoscaleSchema>

export const networkSpecSchema = z.discriminatedUnion('access', [
  z.object({ access: z.literal('Public'), dnsLabel: named(checkDnsLabel) }),
  z.object({ access: z.literal('Internal') }),
])

export const storageSpecSchema = z.object({
  mode: z.enum(['new', 'existing']),
  accountName: named(checkStorageAccountName),
  /** Resource group of an existing account (the pool's own group when absent). */
  accountResourceGroup: named(checkResourceGroupName).optional(),
  shareName: named(checkShareName),
  mountpointPath: z.string(),
})

/** Azure's tag rules, leaving room for the three tags the app adds. */
function checkTags(tags: Record<string, string>): { message: string; path: string[] } | undefined {
  if (Object.keys(tags).length > 47)
    return { message: 'At most 47 tags: Azure allows 50 and the app adds 3 of its own.', path: [] }
  for (const [name, value] of Object.entries(tags)) {
    if (!name || name.length > 512)
      return { message: 'Tag names must be 1 to 512 characters long.', path: [name] }
    if (/[<>%&\\?/]/.test(name))
      return { message: 'Tag names cannot contain < > % & \\ ? or /.', path: [name] }
    if (value.length > 256)
      return { message: 'Tag values can be at most 256 characters long.', path: [name] }
  }
  return undefined
}

export const poolSpecSchema = z
  .object({
    subscriptionId: z
      .string({ error: 'Choose a subscription.' })
      .regex(/^[0-9a-f-]{36}$/i, 'Choose a subscription.'),
    resourceGroup: z.object(
      { mode: z.enum(['new', 'existing']), name: named(checkResourceGroupName) },
      { error: 'Choose a resource group or name a new one.' },
    ),
    location: z.string({ error: 'Choose a region.' }).regex(/^[a-z0-9]+$/, 'Choose a region.'),
    poolName: named((name) => checkPoolName(name)),
    osType: z.enum(['Linux', 'Windows']),
    vmSku: z
      .string({ error: 'Choose a VM size.' })
      .regex(/^[A-Za-z]+_[A-Za-z0-9_-]+$/, 'Choose a VM size.'),
    instanceCount: instances('The number of instances'),
    priority: z.enum(['Regular', 'Spot']),
    evictionPolicy: z.enum(['Deallocate', 'Delete']),
    /** Highest hourly price per Spot instance; -1 pays up to the regular price. */
    maxPrice: z
      .number({ error: 'Enter the highest price as a number, such as 0.25, or -1.' })
      .refine(
        (n) => n === -1 || n > 0,
        'Enter a price per hour above 0, or -1 to pay up to the regular price.',
      ),
    autoscale: autoscaleSchema,
    adminUsername: z.string(),
    /**
     * How teammates sign in on the instances (docs/team.md): with their Microsoft accounts
     * (Entra ID login; the default) or, on Linux, with pool accounts each member makes.
     */
    teamAccess: z.enum(['entra', 'poolAccounts']).optional(),
    sshPublicKey: z.string().optional(),
    adminPassword: z.string().optional(),
    allowedSourceRanges: z
      .array(named(checkSourceRange))
      .min(1, 'Add at least one address range that may connect.'),
    network: networkSpecSchema,
    storage: storageSpecSchema,
    tags: z.record(z.string(), z.string()).check((ctx) => {
      const problem = checkTags(ctx.value)
      if (problem)
        ctx.issues.push({
          code: 'custom',
          message: problem.message,
          path: problem.path,
          input: ctx.value,
        })
    }),
  })
  .check((ctx) => {
    const spec = ctx.value
    const issue = (path: Array<string | number>, message: string | undefined) => {
      if (message) ctx.issues.push({ code: 'custom', message, path, input: spec })
    }
    if (spec.osType === 'Windows') issue(['poolName'], checkPoolName(spec.poolName, 'Windows'))
    issue(['adminUsername'], checkAdminUsername(spec.adminUsername, spec.osType))
    issue(['storage', 'mountpointPath'], checkMountPoint(spec.storage.mountpointPath, spec.osType))
    if (spec.osType === 'Linux') {
      issue(
        ['sshPublicKey'],
        spec.sshPublicKey
          ? checkSshPublicKey(spec.sshPublicKey)
          : 'Linux pools sign in with an SSH key: generate one or pick a public key.',
      )
    } else {
      issue(
        ['adminPassword'],
        spec.adminPassword
          ? checkWindowsPassword(spec.adminPassword, spec.adminUsername)
          : 'Windows pools need an administrator password.',
      )
    }
    const { minimum, maximum, default: initial, schedule } = spec.autoscale
    if (minimum > maximum)
      issue(
        ['autoscale', 'minimum'],
        `The minimum (${minimum}) cannot be above the maximum (${maximum}).`,
      )
    else if (initial < minimum || initial > maximum)
      issue(
        ['autoscale', 'default'],
        `The default (${initial}) must be between the minimum (${minimum}) and the maximum (${maximum}).`,
      )
    if (schedule && schedule.start >= schedule.end)
      issue(
        ['autoscale', 'schedule', 'end'],
        'Working hours must end after they start on the same day.',
      )
    if (spec.instanceCount > maximum && spec.autoscale.enabled)
      issue(
        ['instanceCount'],
        `Autoscale would bring ${plural(spec.instanceCount, 'instance')} down to its maximum of ${maximum}: start with fewer, or raise the maximum on Scaling.`,
      )
    if (spec.tags['dsvm-pool'] !== undefined)
      issue(['tags'], "The tag 'dsvm-pool' is set by the app to the pool name.")
  })

export type PoolSpec = z.infer<typeof poolSpecSchema>
export type NetworkSpec = z.infer<typeof networkSpecSchema>
export type StorageSpec = z.infer<typeof storageSpecSchema>

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** Answers the wizard may not have yet, e.g. after importing a parameter file. */
export type PoolSpecDraft = {
  [K in keyof PoolSpec]?: PoolSpec[K] extends Array<unknown>
    ? PoolSpec[K]
    : PoolSpec[K] extends object
      ? Partial<PoolSpec[K]>
      : PoolSpec[K]
}

/** The wizard's starting answers for a subscription, group and region. */
export function defaultPoolSpec(poolName = 'dsvm-pool'): PoolSpecDraft {
  return {
    poolName,
    osType: 'Linux',
    vmSku: 'Standard_D4s_v5',
    instanceCount: 2,
    priority: 'Regular',
    evictionPolicy: 'Deallocate',
    maxPrice: -1,
    autoscale: {
      enabled: true,
      minimum: 0,
      // The chosen instance count: the wizard keeps it in step until the person sets it.
      maximum: 2,
      default: 2,
      schedule: {
        days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
        start: '08:00',
        end: '18:00',
        timeZone: 'UTC',
      },
    },
    adminUsername: 'dsvmadmin',
    network: { access: 'Public', dnsLabel: poolName },
    storage: {
      mode: 'new',
      accountName: suggestStorageAccountName(poolName),
      shareName: 'notebooks',
      mountpointPath: '/mnt/dsvmshare',
    },
    tags: {},
  }
}

/** A storage account name from the pool name: lowercase letters and digits, 3-24 characters. */
export function suggestStorageAccountName(poolName: string, suffix = 'files'): string {
  const base = poolName.toLowerCase().replace(/[^a-z0-9]/g, '')
  return `${base.slice(0, 24 - suffix.length)}${suffix}`.padEnd(3, '0')
}

/** The deployment's name for a pool: the same every time, so a restarted app finds it. */
export function poolDeploymentName(poolName: string): string {
  return `dsvm-pool-${poolName}`.slice(0, 64)
}

/** Validates answers; `problems` maps a dotted path ('storage.accountName') to a message. */
export function validatePoolSpec(
  input: unknown,
): { ok: true; spec: PoolSpec } | { ok: false; problems: Record<string, string> } {
  const result = poolSpecSchema.safeParse(input)
  if (result.success) return { ok: true, spec: result.data }
  const problems: Record<string, string> = {}
  for (const issue of result.error.issues) {
    const path = issue.path.join('.') || '(spec)'
    problems[path] ??= issue.message
  }
  return { ok: false, problems }
}
