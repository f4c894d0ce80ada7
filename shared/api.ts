import { z } from 'zod'
import { call, event, type CallSpec, type EventSpec } from './contract'
import {
  actionDoneSchema,
  etagSchema,
  autoscaleViewSchema,
  instancesChangedSchema,
  poolActionStartedSchema,
  pollerStatusSchema,
  poolIdSchema,
  poolInstanceSchema,
  poolsChangedSchema,
  poolsListSchema,
  saveAutoscaleInputSchema,
  scaleInputSchema,
  poolActivityEventSchema,
  keepUntilInputSchema,
  setScaledToZeroInputSchema,
  startAllInputSchema,
} from './pools'
import {
  deploymentRefSchema,
  deploymentStatusSchema,
  preflightResultSchema,
  regionSchema,
  resourceGroupSchema,
  sizePriceSchema,
  storageAccountInfoSchema,
  vmSizeInfoSchema,
  whatIfResultSchema,
} from './deploy'
import { poolSpecSchema } from './pool-spec'
import { cloudNameSchema } from './clouds'
import {
  budgetStatusSchema,
  costPoolSpecSchema,
  estimateResultSchema,
  poolSpendSchema,
  costScheduleSchema,
} from './cost/schemas'
import { directoryUserSchema, joinRequestSchema, teamRoleSchema, teamViewSchema } from './team'

/*
 * The whole API between the renderer and main, declared once (DESIGN.md decision 1).
 * Main validates every input against these schemas before any service sees it; the
 * renderer's client is typed from the same declarations. Add a feature's calls in its
 * own section, named `<room>.<verb>`.
 */

const none = z.object({}).strict()
const guid = z.string().regex(/^[0-9a-fA-F-]{36}$/, 'Expected a GUID')
/** MSAL's homeAccountId: "<oid>.<tid>". */
const accountId = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[\w.-]+$/, 'Expected an account id')

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

/** A pool, or one of its instances, to connect to. */
const connectTargetSchema = z
  .object({
    poolId: poolIdSchema,
    instanceId: z
      .string()
      .regex(/^\d{1,6}$/, 'Expected an instance id')
      .optional(),
  })
  .strict()

/** A path inside a file share: '' for the root, names joined by '/'. */
const noControlCharacters = (text: string) => ![...text].some((c) => c.charCodeAt(0) < 32)
const sharePathSchema = z
  .string()
  .max(2048)
  .regex(/^(?!\/)(?!.*\/\/)(?!.*\/$)[^\\:*?"<>|]*$/, 'Expected a path in the share')
  .refine(noControlCharacters, 'Expected a path in the share')
export const shareNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\:*?"<>|]+$/, 'Expected a file or folder name')
  .refine(noControlCharacters, 'Expected a file or folder name')
export const shareEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['file', 'folder']),
  size: z.number().optional(),
})
export type ShareEntry = z.infer<typeof shareEntrySchema>
export const transferProgressSchema = z.object({
  transferId: z.string(),
  direction: z.enum(['upload', 'download']),
  path: z.string(),
  bytes: z.number(),
  total: z.number(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  message: z.string().optional(),
  savedTo: z.string().optional(),
})
export type TransferProgress = z.infer<typeof transferProgressSchema>

/** What already has a name an upload wants: when and (if this app wrote it) by whom. */
export const existingEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['file', 'folder']),
  size: z.number().optional(),
  etag: z.string(),
  /** When its content last changed (x-ms-file-last-write-time), ISO 8601. */
  lastChanged: z.string(),
  /** Who wrote it, only while its content is still what this app wrote (Azure Files keeps no author). */
  changedBy: z.string().optional(),
  /** The name "Keep both" would give the upload now: "name (1).ext". */
  keepBothName: z.string(),
})
export type ExistingEntry = z.infer<typeof existingEntrySchema>
/** What an upload does when its name is taken: refuse and ask, number it, or replace the file seen (its ETag). */
export const onExistingSchema = z.union([
  z.literal('ask'),
  z.literal('keepBoth'),
  z.object({ replace: z.string().min(1).max(200) }).strict(),
])
export type OnExisting = z.infer<typeof onExistingSchema>
/** Where an upload stands after its last chunk, or after a choice on its conflict. */
export const uploadCommitSchema = z.object({
  /** Where the file is now, once it is in place. */
  path: z.string().optional(),
  /** The name was taken or the file changed while the bytes were sent: ask again. */
  conflict: existingEntrySchema.optional(),
  changed: z.boolean().optional(),
})

// ---- calls ------------------------------------------------------------------------

const poolAccountsViewSchema = z.object({
  accounts: z.array(z.object({ user: z.string(), keyComment: z.string() })),
})

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
  'links.open': call(
    z.object({ url: z.string().url().max(2048) }).strict(),
    z.object({ opened: z.boolean() }),
  ),

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
        schedule: costScheduleSchema.optional(),
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
        resourceGroup: z
          .string()
          .regex(/^[-\w.()]{0,89}[-\w()]$/, 'Expected a resource group name'),
        /** Ask Cost Management again even if the last figures are recent. */
        refresh: z.boolean().optional(),
      })
      .strict(),
    poolSpendSchema,
  ),
  /**
   * A pool's spend this month (as cost.spend, found by the pool) with where it stands against
   * the budget in its dsvm-pool-budget tag; a threshold reached for the first time this month
   * is also a desktop notification.
   */
  'cost.poolSpend': call(
    z.object({ poolId: poolIdSchema, refresh: z.boolean().optional() }).strict(),
    poolSpendSchema.extend({ budget: budgetStatusSchema.optional() }),
  ),
  /** Writes the pool's monthly budget into its scale set's tags (null removes it), If-Match. */
  'cost.setBudget': call(
    z
      .object({
        poolId: poolIdSchema,
        budget: z.number().positive().max(1e9).nullable(),
        etag: etagSchema.optional(),
      })
      .strict(),
    z.object({ budget: z.number().optional() }),
  ),
  // ---- create a pool
  /** Regions, resource groups and storage accounts of a subscription, for the wizard. */
  'wizard.regions': call(z.object({ subscriptionId: guid }).strict(), z.array(regionSchema)),
  'wizard.resourceGroups': call(
    z.object({ subscriptionId: guid }).strict(),
    z.array(resourceGroupSchema),
  ),
  'wizard.storageAccounts': call(
    z.object({ subscriptionId: guid }).strict(),
    z.array(storageAccountInfoSchema),
  ),
  /** VM sizes of a region with restrictions and the quota each draws from. */
  'wizard.vmSizes': call(
    z
      .object({
        subscriptionId: guid,
        location: z.string().regex(/^[a-z0-9]{2,40}$/, 'Expected a region name'),
        priority: z.enum(['Regular', 'Spot']),
      })
      .strict(),
    z.array(vmSizeInfoSchema),
  ),
  /** Hourly price of one instance per size (Retail Prices, cached for a day). */
  'wizard.sizePrices': call(
    z
      .object({
        location: z.string().regex(/^[a-z0-9]{2,40}$/, 'Expected a region name'),
        osType: z.enum(['Linux', 'Windows']),
        priority: z.enum(['Regular', 'Spot']),
        sizes: z.array(z.string().regex(/^[A-Za-z0-9_]{2,64}$/)).max(60),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .optional(),
      })
      .strict(),
    z.array(sizePriceSchema),
  ),
  /** A new ed25519 key pair in ~/.ssh (private key stays there); returns the public key. */
  'wizard.generateSshKey': call(
    z.object({ poolName: z.string().regex(/^[a-z0-9-]{1,40}$/, 'Expected a pool name') }).strict(),
    z.object({ publicKey: z.string(), privateKeyPath: z.string(), publicKeyPath: z.string() }),
  ),
  /** Checks the text of a public key file the person picked. */
  'wizard.readPublicKey': call(
    z
      .object({ text: z.string().max(16_384, 'A public key file is far smaller than this.') })
      .strict(),
    z.object({ publicKey: z.string(), comment: z.string().optional() }),
  ),
  /** Reads a parameter file (ours or Microsoft's dsvm-vmss-cluster) into wizard answers. */
  /**
   * The address this computer reaches the internet from, as a range of one, for "Use my
   * current address" (asked only after the person agreed; the sandbox gives a stand-in).
   */
  'wizard.publicAddress': call(
    none,
    z.object({ address: z.string(), range: z.string(), source: z.string() }),
  ),
  'wizard.importParameters': call(
    z
      .object({ text: z.string().max(262_144, 'A parameter file is far smaller than this.') })
      .strict(),
    z.object({
      format: z.enum(['dsvm-pool', 'dsvm-vmss-cluster']),
      spec: z.record(z.string(), z.unknown()),
      notUnderstood: z.array(z.object({ parameter: z.string(), message: z.string() })),
    }),
  ),
  /** Access step: how teammates sign in by default, from the person's rights, and why. */
  'wizard.teamAccessDefault': call(
    z
      .object({ subscriptionId: guid, resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/) })
      .strict(),
    z.object({ choice: z.enum(['entra', 'poolAccounts']), reason: z.string() }),
  ),
  /** The Review step: parameter file (secrets masked), export without secrets, az commands. */
  'wizard.review': call(
    z.object({ spec: poolSpecSchema }).strict(),
    z.object({
      deploymentName: z.string(),
      parameterFile: z.record(z.string(), z.unknown()),
      exportFile: z.record(z.string(), z.unknown()),
      azCommands: z.array(z.string()),
    }),
  ),
  /** Checks before Deploy, each with the fixes that solve it. */
  'deploy.preflight': call(z.object({ spec: poolSpecSchema }).strict(), preflightResultSchema),
  'deploy.whatIf': call(z.object({ spec: poolSpecSchema }).strict(), whatIfResultSchema),
  /** Accepts a marketplace plan's terms on a subscription (after the person confirmed). */
  'deploy.acceptTerms': call(
    z
      .object({
        subscriptionId: guid,
        publisher: z.string().regex(/^[\w.-]{1,100}$/),
        offer: z.string().regex(/^[\w.-]{1,100}$/),
        plan: z.string().regex(/^[\w.-]{1,100}$/),
      })
      .strict(),
    z.object({ accepted: z.boolean() }),
  ),
  /** Creates the group if new and starts the pool's deployment; progress follows as events. */
  'deploy.start': call(z.object({ spec: poolSpecSchema }).strict(), deploymentStatusSchema),
  'deploy.status': call(deploymentRefSchema, deploymentStatusSchema),
  'deploy.cancel': call(deploymentRefSchema, deploymentStatusSchema),
  /**
   * Pool deployments the app watches: running ones in the chosen subscriptions (found again
   * after a restart) and those started since.
   */
  'deploy.list': call(none, z.array(deploymentStatusSchema)),
  // ---- run a pool
  /** The pools in the chosen subscriptions, as the poller last saw them (starts it). */
  'pools.list': call(none, poolsListSchema),
  /** Finds pools again and polls now. */
  'pools.refresh': call(none, z.object({ refreshed: z.boolean() })),
  'pools.instances': call(z.object({ poolId: poolIdSchema }).strict(), z.array(poolInstanceSchema)),
  /** Scale to N instances; `etag` is the scale set's ETag the person saw (If-Match). */
  'pools.scale': call(scaleInputSchema, poolActionStartedSchema),
  /** Starts every instance; on a pool with autoscale on, keeps them until `until`. */
  'pools.startAll': call(startAllInputSchema, poolActionStartedSchema),
  /** Deallocates every instance (disks still cost money). */
  'pools.stopAll': call(startAllInputSchema, poolActionStartedSchema),
  'pools.instanceAction': call(
    z
      .object({
        poolId: poolIdSchema,
        instanceId: z.string().regex(/^\d{1,6}$/, 'Expected an instance id'),
        action: z.enum(['restart', 'delete', 'protect', 'unprotect', 'start', 'stop']),
      })
      .strict(),
    poolActionStartedSchema,
  ),
  /**
   * Regenerates the storage key not in use (the safe two-key rotation); instances switch to
   * it within a minute. Pools whose instances read the key through a managed identity only.
   */
  'pools.rotateStorageKey': call(
    z.object({ poolId: poolIdSchema }).strict(),
    z.object({ keyName: z.enum(['key1', 'key2']), message: z.string() }),
  ),
  /** Deletes what the pool created; `confirmName` must be the pool's name. */
  'pools.delete': call(
    z.object({ poolId: poolIdSchema, confirmName: z.string().max(100) }).strict(),
    poolActionStartedSchema,
  ),
  /** The scale-to-zero switch: on records the capacity in a tag and holds autoscale off. */
  'pools.setScaledToZero': call(setScaledToZeroInputSchema, poolActionStartedSchema),
  /** "Start now until …" / "Keep running until …": autoscale keeps the pool's size until then. */
  'pools.keepUntil': call(keepUntilInputSchema, poolActionStartedSchema),
  /** Ends a kept size early: the pool follows its autoscale schedule again. */
  'pools.endOverride': call(z.object({ poolId: poolIdSchema }).strict(), poolActionStartedSchema),
  'pools.autoscale': call(z.object({ poolId: poolIdSchema }).strict(), autoscaleViewSchema),
  /** Writes the schedule; `version` is the one the editor read (a teammate's change is told). */
  'pools.saveAutoscale': call(saveAutoscaleInputSchema, autoscaleViewSchema),
  // ---- connect
  /** What this computer can open: VS Code (its Remote-SSH link) when installed. */
  'connect.available': call(none, z.object({ vscode: z.boolean() })),
  /**
   * The pool's JupyterHub (https, port 8000) in the system browser. The first time, returns
   * the note on its self-signed certificate instead; with `acknowledgeCertificateNote` the
   * note is remembered and the page opens.
   */
  'connect.openJupyterHub': call(
    z.object({ poolId: poolIdSchema, acknowledgeCertificateNote: z.boolean().optional() }).strict(),
    z.object({ opened: z.boolean(), url: z.string(), certificateNote: z.string().optional() }),
  ),
  /** A terminal running ssh to the pool (its first running instance) or one instance. */
  'connect.ssh': call(
    connectTargetSchema,
    z.object({ opened: z.boolean(), terminal: z.string().optional(), command: z.string() }),
  ),
  /** The ssh command as text, for the renderer to put on the clipboard. */
  'connect.copySshCommand': call(connectTargetSchema, z.object({ command: z.string() })),
  /** VS Code Remote-SSH on the pool's host alias in ~/.ssh/config (written first). */
  'connect.vscode': call(connectTargetSchema, z.object({ uri: z.string() })),
  /** Windows pools: an .rdp file for the instance, opened by the platform's RDP client. */
  'connect.rdp': call(connectTargetSchema, z.object({ file: z.string() })),
  /** Whether SMB (TCP 445) reaches the pool's storage account from this computer. */
  'connect.checkMount': call(
    z.object({ poolId: poolIdSchema }).strict(),
    z.object({ host: z.string(), reachable: z.boolean(), reason: z.string().optional() }),
  ),
  /** Mounts the pool's share the platform's way (the key only on a child's standard input). */
  'connect.mount': call(
    z.object({ poolId: poolIdSchema }).strict(),
    z.object({ where: z.string() }),
  ),
  // ---- files
  /** Opens the pool's share at the user's notebooks/<user> folder (created the first time). */
  'files.open': call(
    z.object({ poolId: poolIdSchema }).strict(),
    z.object({
      account: z.string(),
      share: z.string(),
      home: z.string(),
      entries: z.array(shareEntrySchema),
    }),
  ),
  'files.list': call(
    z.object({ poolId: poolIdSchema, path: sharePathSchema }).strict(),
    z.array(shareEntrySchema),
  ),
  'files.createFolder': call(
    z.object({ poolId: poolIdSchema, parent: sharePathSchema, name: shareNameSchema }).strict(),
    z.object({ path: z.string() }),
  ),
  'files.rename': call(
    z
      .object({
        poolId: poolIdSchema,
        path: sharePathSchema.min(1),
        kind: z.enum(['file', 'folder']),
        newName: shareNameSchema,
      })
      .strict(),
    z.object({ path: z.string() }),
  ),
  /** Deletes a file, or a folder with everything in it (the renderer asked first). */
  'files.delete': call(
    z
      .object({
        poolId: poolIdSchema,
        path: sharePathSchema.min(1),
        kind: z.enum(['file', 'folder']),
      })
      .strict(),
    z.object({ deleted: z.boolean() }),
  ),
  /** Creates the file at its size; its bytes follow in files.uploadChunk calls, in order. */
  'files.uploadStart': call(
    z
      .object({
        poolId: poolIdSchema,
        path: sharePathSchema.min(1),
        size: z
          .number()
          .int()
          .min(0)
          .max(10 * 1024 ** 3),
        /** When the name is taken; 'ask' (the default) answers Conflict with details.existing. */
        onExisting: onExistingSchema.optional(),
      })
      .strict(),
    z.object({ transferId: z.string(), chunkBytes: z.number().int() }),
  ),
  /** One chunk (base64, at most 512 KiB of bytes) written at its offset, with retry. */
  'files.uploadChunk': call(
    z
      .object({
        transferId: z.uuid(),
        offset: z.number().int().min(0),
        data: z
          .string()
          .max(699_052)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Expected base64'),
      })
      .strict(),
    z.object({ received: z.number(), done: z.boolean() }).extend(uploadCommitSchema.shape),
  ),
  /** A choice on an upload whose last chunk answered with a conflict ('skip' drops its bytes). */
  'files.uploadResolve': call(
    z
      .object({
        transferId: z.uuid(),
        onExisting: z.union([onExistingSchema, z.literal('skip')]),
      })
      .strict(),
    uploadCommitSchema,
  ),
  /** Which of these names are taken in a folder, with who/when: asked before uploading them. */
  'files.existing': call(
    z
      .object({
        poolId: poolIdSchema,
        folder: sharePathSchema,
        names: z.array(shareNameSchema).min(1).max(1000),
      })
      .strict(),
    z.array(existingEntrySchema),
  ),
  /** How much a folder holds, said before it is deleted (counting stops at 10,000 entries). */
  'files.folderSummary': call(
    z.object({ poolId: poolIdSchema, path: sharePathSchema.min(1) }).strict(),
    z.object({
      files: z.number().int(),
      folders: z.number().int(),
      bytes: z.number(),
      /** False when counting stopped early: there is more than the numbers say. */
      complete: z.boolean(),
    }),
  ),
  /** Shows a finished download in the system's file manager. */
  'files.showDownload': call(
    z.object({ transferId: z.uuid() }).strict(),
    z.object({ shown: z.boolean() }),
  ),
  /** Downloads to this computer's Downloads folder; progress follows as files.progress. */
  'files.download': call(
    z.object({ poolId: poolIdSchema, path: sharePathSchema.min(1) }).strict(),
    z.object({ transferId: z.string() }),
  ),
  'files.cancel': call(
    z.object({ transferId: z.uuid() }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),
  // ---- team (docs/team.md)
  /** Members of the pool (role assignments on its group, named via Graph) and my rights. */
  'team.members': call(z.object({ poolId: poolIdSchema }).strict(), teamViewSchema),
  /** People in the directory (guests included) whose name or email starts with `text`. */
  'team.search': call(
    z
      .object({
        poolId: poolIdSchema,
        text: z
          .string()
          .trim()
          .min(1, 'Type part of a name or an email address.')
          .max(100)
          .refine(noControlCharacters, 'Type part of a name or an email address.'),
      })
      .strict(),
    z.array(directoryUserSchema),
  ),
  'team.add': call(
    z.object({ poolId: poolIdSchema, userId: guid, role: teamRoleSchema }).strict(),
    teamViewSchema,
  ),
  'team.setRole': call(
    z.object({ poolId: poolIdSchema, userId: guid, role: teamRoleSchema }).strict(),
    teamViewSchema,
  ),
  'team.remove': call(z.object({ poolId: poolIdSchema, userId: guid }).strict(), teamViewSchema),
  /** For a non-member: the exact message to send a Manager, and to whom. */
  'team.joinRequest': call(z.object({ poolId: poolIdSchema }).strict(), joinRequestSchema),
  /**
   * "Set up team access": adds Microsoft's Entra ID login to an existing pool's scale set
   * (model and running instances) where it is missing.
   */
  'team.setUpEntra': call(
    z.object({ poolId: poolIdSchema }).strict(),
    z.object({
      added: z.boolean(),
      upgradedInstances: z.array(z.string()),
      /** Linux pools: JupyterHub sign-in with Microsoft accounts (added, already, or why not). */
      jupyterHub: z
        .object({ state: z.enum(['added', 'already', 'skipped']), message: z.string() })
        .optional(),
    }),
  ),
  /** What "Set up team access" would still do, and when the JupyterHub secret ends. */
  'team.accessStatus': call(
    z.object({ poolId: poolIdSchema }).strict(),
    z.object({
      entraLogin: z.boolean(),
      jupyterHub: z
        .object({
          microsoftAccounts: z.boolean(),
          appId: z.string().optional(),
          secretEndsAt: z.string().optional(),
          renewDue: z.boolean(),
          /** Why JupyterHub sign-in with Microsoft accounts cannot be set up on this pool. */
          unavailable: z.string().optional(),
        })
        .optional(),
    }),
  ),
  /** A new JupyterHub client secret, sent to the pool; the old one is then removed. */
  'team.renewJupyterHubSecret': call(
    z.object({ poolId: poolIdSchema }).strict(),
    z.object({ secretEndsAt: z.string(), upgradedInstances: z.array(z.string()) }),
  ),
  // ---- pool accounts (docs/team.md: the fallback without Entra sign-in; Linux pools)
  /**
   * Whether pool accounts are the pool's way in or a fallback beside Microsoft sign-in;
   * refused, with what to do, on a pool that cannot take them. Needs no storage key.
   */
  'team.poolAccounts.wayIn': call(
    z.object({ poolId: poolIdSchema }).strict(),
    z.object({ mode: z.enum(['accounts', 'fallback']) }),
  ),
  /** The pool's accounts: user names and key comments only, never a hash. */
  'team.poolAccounts': call(z.object({ poolId: poolIdSchema }).strict(), poolAccountsViewSchema),
  /**
   * My own pool account: the app makes my key pair and hashes my JupyterHub password here;
   * only the public key and the hash go to Azure. The password is never stored or logged.
   */
  'team.poolAccounts.setMine': call(
    z
      .object({
        poolId: poolIdSchema,
        user: z
          .string()
          .regex(
            /^[a-z_][a-z0-9_-]{0,31}$/,
            'Use 1 to 32 lowercase letters, digits, - or _, starting with a letter.',
          ),
        password: z.string().min(12, 'Use 12 or more characters.').max(256),
      })
      .strict(),
    poolAccountsViewSchema.extend({ user: z.string(), privateKeyPath: z.string() }),
  ),
  'team.poolAccounts.remove': call(
    z.object({ poolId: poolIdSchema, user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/) }).strict(),
    poolAccountsViewSchema,
  ),
} satisfies Record<string, CallSpec>

// ---- events -----------------------------------------------------------------------

export const events = {
  /** A device code to show while `auth.signIn` with method deviceCode waits. */
  'auth.deviceCode': event(deviceCodeSchema),
  'auth.accountsChanged': event(z.array(accountSchema)),
  /**
   * The sign-in page of a browser sign-in, and whether the system browser opened it; the
   * renderer shows the address to click or copy either way.
   */
  'auth.signInPage': event(z.object({ url: z.string().url(), opened: z.boolean() })),
  'settings.changed': event(settingsSchema),
  // ---- create a pool
  /** A watched deployment changed (state, a resource's progress, a failure, the outputs). */
  'deploy.progress': event(deploymentStatusSchema),
  // ---- run a pool
  /** Pools that changed (whole summaries) and ids of pools that are gone. */
  'pools.changed': event(poolsChangedSchema),
  /** A pool's instances that changed or appeared, and ids of those gone. */
  'pools.instancesChanged': event(instancesChangedSchema),
  'pools.pollerStatus': event(pollerStatusSchema),
  /** An action's long-running operation ended (ok) or failed (message says why). */
  'pools.actionDone': event(actionDoneSchema),
  /** Autoscale (or someone outside the app) changed a pool's size: for notifications. */
  'pools.activity': event(poolActivityEventSchema),
  // ---- files
  /** An upload or download moved on, finished, failed or was cancelled. */
  'files.progress': event(transferProgressSchema),
  // ---- team
  /** A step of "Set up team access" or of renewing the JupyterHub secret, in words. */
  'team.accessProgress': event(z.object({ poolId: z.string(), text: z.string() })),
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
