import { z } from 'zod'
import { call, event, type CallSpec, type EventSpec } from './contract'
import { cloudNameSchema } from './clouds'
import {
  costPoolSpecSchema,
  estimateResultSchema,
  poolSpendSchema,
  workingHoursSchema,
} from './cost/schemas'

/*
 * The whole API between the renderer and main, declared once (DESIGN.md decision 1).
 * Main validates every input against these schemas before any service sees it; the
 * renderer's client is typed from the same declarations. Add a feature's calls in its
 * own section, named `<room>.<verb>`.
 */

const none = z.object({}).strict()
const guid = z.string().regex(/^[0-9a-fA-F-]{36}$/, 'Expected a GUID')
/** MSAL's homeAccountId: "<oid>.<tid>". */
const accountId = z.string().min(3).max(200).regex(/^[\w.-]+$/, 'Expected an account id')

// ---- domain schemas ---------------------------------------------------------------

export const accountSchema = z.object({
  id: accountId,
  username: z.string(),
  name: z.string(),
  tenantId: z.string(),
  cloud: cloudNameSchema,
  /** False when a silent token renewal failed and the user must sign in again. */
  signedIn: z.boolean(),
})
export type Account = z.infer<typeof accountSchema>

export const subscriptionSchema = z.object({
  id: guid,
  displayName: z.string(),
  tenantId: z.string(),
  state: z.string(),
  accountId,
})
export type Subscription = z.infer<typeof subscriptionSchema>

export const tenantSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  defaultDomain: z.string().optional(),
  subscriptions: z.array(subscriptionSchema),
  /** Set when the tenant could not be read, e.g. MFA or consent is required there. */
  problem: z.string().optional(),
})
export type Tenant = z.infer<typeof tenantSchema>

export const deviceCodeSchema = z.object({
  userCode: z.string(),
  verificationUri: z.string().url(),
  message: z.string(),
  expiresOn: z.string(),
})
export type DeviceCode = z.infer<typeof deviceCodeSchema>

export const settingsSchema = z.object({
  cloud: cloudNameSchema,
  /** Overrides the built-in public client id (app registration). */
  clientId: guid.optional(),
  chosenSubscriptionIds: z.array(guid),
  closeToTray: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
})
export type Settings = z.infer<typeof settingsSchema>

/** A partial change of settings; `clientId: null` goes back to the built-in registration. */
export const settingsUpdateSchema = settingsSchema
  .partial()
  .extend({ clientId: guid.nullable().optional() })
  .strict()
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>

export const appInfoSchema = z.object({
  version: z.string(),
  platform: z.enum(['win32', 'darwin', 'linux', 'other']),
  /** How the renderer is hosted: the Electron window or a browser through the web host. */
  shell: z.enum(['electron', 'web']),
  /** True when the embedded sandbox is running (Explore with a sandbox). */
  sandboxRunning: z.boolean(),
  /** Set when tokens cannot be stored encrypted on this machine (Linux without a keyring). */
  secretStorageWarning: z.string().optional(),
})
export type AppInfo = z.infer<typeof appInfoSchema>

// ---- calls ------------------------------------------------------------------------

export const calls = {
  'app.info': call(none, appInfoSchema),

  'settings.get': call(none, settingsSchema),
  'settings.update': call(settingsUpdateSchema, settingsSchema),

  /** Starts the embedded sandbox (if needed) and switches the cloud to it. */
  'sandbox.start': call(none, z.object({ cloud: z.literal('Sandbox') })),

  'auth.accounts': call(none, z.array(accountSchema)),
  /**
   * Interactive sign-in in the system browser; device code when `method` says so. With
   * `tenantId`, signs in through that directory (for a tenant whose `problem` asks for MFA
   * or consent).
   */
  'auth.signIn': call(
    z.object({ method: z.enum(['browser', 'deviceCode']), tenantId: guid.optional() }).strict(),
    accountSchema,
  ),
  'auth.cancelSignIn': call(none, z.object({ cancelled: z.boolean() })),
  'auth.signOut': call(z.object({ accountId }).strict(), z.object({ signedOut: z.boolean() })),

  /** Tenants and subscriptions every signed-in account can see. */
  'subscriptions.list': call(none, z.array(tenantSchema)),

  /** Opens a URL in the system browser if the link allow-list accepts it. */
  'links.open': call(z.object({ url: z.string().url().max(2048) }).strict(), z.object({ opened: z.boolean() })),

  // ---- cost
  /**
   * Estimate for a pool spec (and working hours): per hour running, per month always on and
   * on the schedule, the saving, the parts; with the unit prices and how current they are.
   * Prices come from the Retail Prices API (no sign-in), cached for a day.
   */
  'cost.estimate': call(
    z
      .object({
        spec: costPoolSpecSchema,
        schedule: workingHoursSchema.optional(),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'Expected a currency code such as USD')
          .optional(),
      })
      .strict(),
    estimateResultSchema,
  ),
  /**
   * A pool's actual spend this month by day and service, with a month-end projection. While
   * Cost Management throttles, the saved figures come back with `throttled`.
   */
  'cost.spend': call(
    z
      .object({
        accountId,
        tenantId: guid.optional(),
        subscriptionId: guid,
        resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'Expected a resource group name'),
        /** Ask Cost Management again even if the last figures are recent. */
        refresh: z.boolean().optional(),
      })
      .strict(),
    poolSpendSchema,
  ),
} satisfies Record<string, CallSpec>

// ---- events -----------------------------------------------------------------------

export const events = {
  /** A device code to show while `auth.signIn` with method deviceCode waits. */
  'auth.deviceCode': event(deviceCodeSchema),
  'auth.accountsChanged': event(z.array(accountSchema)),
  'settings.changed': event(settingsSchema),
} satisfies Record<string, EventSpec>

export type Calls = typeof calls
export type CallName = keyof Calls
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>
export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>

export const callNames = Object.keys(calls) as CallName[]
export const eventNames = Object.keys(events) as EventName[]
export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name)
}
