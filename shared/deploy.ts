import { z } from 'zod'

/*
 * What the create-pool wizard and the deployment service exchange (shared/api.ts, section
 * "create a pool"): the region's VM sizes with quota, pre-flight results with their fixes,
 * the what-if of a deployment, and a deployment's progress.
 */

const guid = z.string().regex(/^[0-9a-fA-F-]{36}$/, 'Expected a GUID')
// Azure refuses a group name that ends with a period; a name of periods only would also
// be read as '.' or '..' in the request's URL and reach another resource.
const groupName = z.string().regex(/^[-\w.()]{0,89}[-\w()]$/, 'Expected a resource group name')
const deploymentName = z.string().regex(/^(?!\.+$)[-\w.()]{1,64}$/, 'Expected a deployment name')

export const regionSchema = z.object({ name: z.string(), displayName: z.string() })
export type Region = z.infer<typeof regionSchema>

export const resourceGroupSchema = z.object({ name: z.string(), location: z.string() })
export type ResourceGroupInfo = z.infer<typeof resourceGroupSchema>

export const storageAccountInfoSchema = z.object({
  name: z.string(),
  resourceGroup: z.string(),
  location: z.string(),
})
export type StorageAccountInfo = z.infer<typeof storageAccountInfoSchema>

export const quotaSchema = z.object({
  /** Usages name, e.g. standardDSv5Family or lowPriorityCores. */
  name: z.string(),
  displayName: z.string(),
  limit: z.number(),
  used: z.number(),
  /** The portal's page to request more (in the wizard's list of sizes). */
  requestUrl: z.string().url().optional(),
})
export type Quota = z.infer<typeof quotaSchema>

export const vmSizeInfoSchema = z.object({
  name: z.string(),
  family: z.string(),
  vCPUs: z.number(),
  memoryGB: z.number(),
  gpus: z.number(),
  /** False when the size is listed in the region but restricted for this subscription. */
  available: z.boolean(),
  restriction: z.string().optional(),
  /** vCPUs still free in the quota that limits this size (family or Spot), when known. */
  quota: quotaSchema.optional(),
})
export type VmSizeInfo = z.infer<typeof vmSizeInfoSchema>

export const sizePriceSchema = z.object({
  name: z.string(),
  perHour: z.number().optional(),
  currency: z.string(),
  /** Why there is no price (no meter found, price list unreachable). */
  problem: z.string().optional(),
})
export type SizePrice = z.infer<typeof sizePriceSchema>

/** A fix the person can apply with one click. */
export const preflightFixSchema = z.discriminatedUnion('kind', [
  /** Opens a page (the portal's quota request). */
  z.object({ kind: z.literal('link'), label: z.string(), url: z.string().url() }),
  /** Accepts a marketplace plan's terms (only on the person's confirmation). */
  z.object({
    kind: z.literal('acceptTerms'),
    label: z.string(),
    publisher: z.string(),
    offer: z.string(),
    plan: z.string(),
  }),
  /** Changes one answer of the wizard, e.g. { field: 'vmSku', value: 'Standard_D4s_v5' }. */
  z.object({
    kind: z.literal('change'),
    label: z.string(),
    field: z.enum([
      'location',
      'vmSku',
      'instanceCount',
      'storage.accountName',
      'resourceGroup.mode',
      'resourceGroup.name',
    ]),
    value: z.union([z.string(), z.number()]),
  }),
])
export type PreflightFix = z.infer<typeof preflightFixSchema>

export const preflightCheckSchema = z.object({
  id: z.enum([
    'permissions',
    'resourceGroup',
    'size',
    'quota',
    'terms',
    'storage',
    'storageKey',
    'template',
  ]),
  title: z.string(),
  status: z.enum(['ok', 'warning', 'problem', 'skipped']),
  message: z.string(),
  fixes: z.array(preflightFixSchema),
})
export type PreflightCheck = z.infer<typeof preflightCheckSchema>

export const preflightResultSchema = z.object({
  checks: z.array(preflightCheckSchema),
  /** True when nothing stands in the way of Deploy. */
  ready: z.boolean(),
})
export type PreflightResult = z.infer<typeof preflightResultSchema>

export const whatIfChangeSchema = z.object({
  resourceType: z.string(),
  name: z.string(),
  changeType: z.enum(['Create', 'Delete', 'Ignore', 'Deploy', 'NoChange', 'Modify', 'Unsupported']),
  /** Changed properties (Modify), e.g. "sku.capacity: 2 → 4". */
  changes: z.array(z.string()),
})
export type WhatIfChange = z.infer<typeof whatIfChangeSchema>

export const whatIfResultSchema = z.object({
  /** 'azure': ARM's what-if; 'newGroup': the group does not exist yet, so all is created. */
  source: z.enum(['azure', 'newGroup']),
  changes: z.array(whatIfChangeSchema),
})
export type WhatIfResult = z.infer<typeof whatIfResultSchema>

export const deploymentRefSchema = z
  .object({ subscriptionId: guid, resourceGroup: groupName, deploymentName })
  .strict()
export type DeploymentRef = z.infer<typeof deploymentRefSchema>

export const deploymentStateSchema = z.enum([
  'Creating group',
  'Accepted',
  'Running',
  'Succeeded',
  'Failed',
  'Canceled',
  'Canceling',
])
export type DeploymentState = z.infer<typeof deploymentStateSchema>

export const failureSchema = z.object({
  /** Azure's error code, e.g. OperationNotAllowed. */
  code: z.string(),
  /** Azure's message. */
  message: z.string(),
  /** What to do about it, in plain words. */
  whatToDo: z.string(),
  /** The resource it happened on, when known. */
  resource: z.string().optional(),
})
export type Failure = z.infer<typeof failureSchema>

export const deploymentResourceSchema = z.object({
  type: z.string(),
  name: z.string(),
  state: z.string(),
  /** Seconds the resource's operation took (or has taken so far). */
  elapsedSeconds: z.number(),
  failure: failureSchema.optional(),
})
export type DeploymentResource = z.infer<typeof deploymentResourceSchema>

export const deploymentOutputsSchema = z.object({
  jupyterHubUrl: z.string().optional(),
  fqdn: z.string().optional(),
  natPortRange: z.string().optional(),
  shareUrl: z.string().optional(),
  /** Resource id of the pool's scale set (the pools list's id for it). */
  scaleSetId: z.string().optional(),
})

export const deploymentStatusSchema = z.object({
  ref: deploymentRefSchema,
  poolName: z.string(),
  location: z.string().optional(),
  state: deploymentStateSchema,
  startedAt: z.string(),
  /** Seconds since the deployment started (until it ended). */
  elapsedSeconds: z.number(),
  resources: z.array(deploymentResourceSchema),
  failures: z.array(failureSchema),
  outputs: deploymentOutputsSchema.optional(),
  /** How JupyterHub signs members in, for pools this app deployed (docs/team.md). */
  signIn: z.string().optional(),
})
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>

export const terminalStates: readonly DeploymentState[] = ['Succeeded', 'Failed', 'Canceled']
