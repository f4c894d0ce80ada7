import type { ResourceSku } from '@azure/arm-compute'
import type { PreflightCheck, PreflightFix, PreflightResult } from '../../../shared/deploy'
import { poolDeploymentName, type PoolSpec } from '../../../shared/pool-spec'
import { failuresOf, type AzureErrorBody } from './azure-errors'
import { limitingQuota, listVmSkus, regionalQuotas, restrictionOf } from './catalog'
import type { ArmClients } from './clients'
import { deploymentBody } from './deployment-body'
import type { TemplateFiles } from './template-files'

/**
 * Checks before Deploy, each answering ok, a warning or a problem with the fixes that solve
 * it: permissions, the resource group, the size in the region, quota, marketplace terms, the
 * storage account name, and Azure's own validation of the template with these answers.
 */

export interface ImagePlan {
  publisher: string
  product: string
  name: string
}

export interface PreflightOptions {
  /** The marketplace plan of the image, when it has one (the current DSVM images do not). */
  plan?: ImagePlan
  /** Random source for suggested names (tests make it predictable). */
  random?: () => number
  /** Poll interval of Azure's validation (long-running); default 2 s. */
  updateIntervalInMs?: number
}

const marketplaceApiVersion = '2021-01-01'
const permissionsApiVersion = '2022-04-01'

type Check = PreflightCheck

const check = (
  id: Check['id'],
  title: string,
  status: Check['status'],
  message: string,
  fixes: PreflightFix[] = [],
): Check => ({ id, title, status, message, fixes })

export async function preflight(
  spec: PoolSpec,
  clients: ArmClients,
  files: TemplateFiles,
  options: PreflightOptions = {},
): Promise<PreflightResult> {
  const group = await checkResourceGroup(spec, clients)
  const [permissions, sizeAndQuota, terms, storage] = await Promise.all([
    checkPermissions(spec, clients, group.exists),
    checkSizeAndQuota(spec, clients),
    checkTerms(spec, clients, options.plan),
    checkStorage(spec, clients, options.random ?? Math.random),
  ])
  const checks = [permissions, group.check, ...sizeAndQuota, terms, storage]
  const blocked = checks.some((c) => c.status === 'problem')
  checks.push(
    blocked
      ? check(
          'template',
          'Azure validation',
          'skipped',
          'Azure validates the deployment once the problems above are solved.',
        )
      : group.exists
        ? await validateTemplate(spec, clients, files, options.updateIntervalInMs ?? 2000)
        : check(
            'template',
            'Azure validation',
            'skipped',
            'The resource group is new: Azure validates the deployment right after Deploy creates it.',
          ),
  )
  return { checks, ready: !checks.some((c) => c.status === 'problem') }
}

// ---- permissions ---------------------------------------------------------------------------

const neededActions = [
  'Microsoft.Resources/deployments/write',
  'Microsoft.Compute/virtualMachineScaleSets/write',
  'Microsoft.Network/virtualNetworks/write',
  'Microsoft.Network/networkSecurityGroups/write',
  'Microsoft.Network/loadBalancers/write',
  'Microsoft.Network/publicIPAddresses/write',
  'Microsoft.Storage/storageAccounts/write',
  'Microsoft.Storage/storageAccounts/listKeys/action',
  'Microsoft.Insights/autoscalesettings/write',
]

interface Permission {
  actions?: string[]
  notActions?: string[]
}

/** Does an action pattern with `*` wildcards (case-insensitive) cover `action`? */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  )
  return regex.test(action)
}

export function allowedBy(permissions: Permission[], action: string): boolean {
  return permissions.some(
    (p) =>
      (p.actions ?? []).some((a) => actionMatches(a, action)) &&
      !(p.notActions ?? []).some((a) => actionMatches(a, action)),
  )
}

async function checkPermissions(
  spec: PoolSpec,
  clients: ArmClients,
  groupExists: boolean,
): Promise<Check> {
  const title = 'Permissions'
  const sub = clients.context.subscriptionId
  const scope = groupExists
    ? `/subscriptions/${sub}/resourcegroups/${encodeURIComponent(spec.resourceGroup.name)}`
    : `/subscriptions/${sub}`
  let permissions: Permission[]
  try {
    const answer = await clients.request<{ value?: Permission[] }>(
      'GET',
      `${scope}/providers/Microsoft.Authorization/permissions?api-version=${permissionsApiVersion}`,
    )
    permissions = answer?.value ?? []
  } catch (error) {
    if (statusOf(error) === 403) return missingRole(title, 'read your permissions')
    return check(
      'permissions',
      title,
      'skipped',
      'Your permissions could not be read; Azure checks them when you deploy.',
    )
  }
  const actions = groupExists
    ? neededActions
    : ['Microsoft.Resources/subscriptions/resourceGroups/write', ...neededActions]
  const missing = actions.filter((action) => !allowedBy(permissions, action))
  if (missing.length === 0)
    return check('permissions', title, 'ok', 'Your account may create everything the pool needs.')
  return missingRole(title, missing.slice(0, 3).join(', '))
}

function missingRole(title: string, what: string): Check {
  return check(
    'permissions',
    title,
    'problem',
    `Your account may not ${what.includes('/') ? `perform ${what}` : what} here. Creating a pool needs the Contributor (or Owner) role on the subscription or resource group: ask an Owner to assign it, or choose a subscription where you have it.`,
  )
}

const statusOf = (error: unknown) => (error as { statusCode?: number } | undefined)?.statusCode

// ---- resource group ------------------------------------------------------------------------

async function checkResourceGroup(
  spec: PoolSpec,
  clients: ArmClients,
): Promise<{ exists: boolean; check: Check }> {
  const title = 'Resource group'
  const name = spec.resourceGroup.name
  let location: string | undefined
  try {
    location = (await clients.resources.resourceGroups.get(name)).location
  } catch (error) {
    if (statusOf(error) !== 404) throw error
  }
  if (location === undefined) {
    return {
      exists: false,
      check:
        spec.resourceGroup.mode === 'new'
          ? check(
              'resourceGroup',
              title,
              'ok',
              `Deploy creates the group '${name}' in ${spec.location}.`,
            )
          : check(
              'resourceGroup',
              title,
              'problem',
              `There is no resource group '${name}' in this subscription.`,
              [
                {
                  kind: 'change',
                  label: `Create '${name}' as a new group`,
                  field: 'resourceGroup.mode',
                  value: 'new',
                },
              ],
            ),
    }
  }
  const elsewhere = location.toLowerCase() !== spec.location.toLowerCase()
  if (spec.resourceGroup.mode === 'new') {
    return {
      exists: true,
      check: check(
        'resourceGroup',
        title,
        'problem',
        `A resource group named '${name}' already exists (in ${location}).`,
        [
          {
            kind: 'change',
            label: `Deploy into the existing '${name}'`,
            field: 'resourceGroup.mode',
            value: 'existing',
          },
        ],
      ),
    }
  }
  return {
    exists: true,
    check: elsewhere
      ? check(
          'resourceGroup',
          title,
          'warning',
          `The group '${name}' is in ${location}, the pool would be in ${spec.location}. Azure allows it, but the group's records then live in another region than its resources.`,
          [
            {
              kind: 'change',
              label: `Put the pool in ${location}`,
              field: 'location',
              value: location,
            },
          ],
        )
      : check('resourceGroup', title, 'ok', `The pool goes into the existing group '${name}'.`),
  }
}

// ---- size and quota ------------------------------------------------------------------------

const vCPUsOf = (sku: ResourceSku) =>
  Number(sku.capabilities?.find((c) => c.name === 'vCPUs')?.value ?? 0)
const gpusOf = (sku: ResourceSku) =>
  Number(sku.capabilities?.find((c) => c.name === 'GPUs')?.value ?? 0)

async function checkSizeAndQuota(spec: PoolSpec, clients: ArmClients): Promise<Check[]> {
  const skus = await listVmSkus(clients, spec.location)
  const wanted = spec.vmSku.toLowerCase()
  const sku = skus.find((s) => s.name!.toLowerCase() === wanted)
  const restriction = sku ? restrictionOf(sku, spec.location) : undefined
  if (!sku || restriction) {
    return [
      await sizeProblem(spec, clients, skus, sku, restriction),
      check('quota', 'Quota', 'skipped', 'Quota is checked once the size is available.'),
    ]
  }
  const sizeOk = check('size', 'VM size', 'ok', `${spec.vmSku} is available in ${spec.location}.`)
  return [sizeOk, await checkQuota(spec, clients, sku)]
}

async function sizeProblem(
  spec: PoolSpec,
  clients: ArmClients,
  regionSkus: ResourceSku[],
  sku: ResourceSku | undefined,
  restriction: string | undefined,
): Promise<Check> {
  const all = await listVmSkus(clients)
  const regions = [
    ...new Set(
      all
        .filter((s) => s.name!.toLowerCase() === spec.vmSku.toLowerCase())
        .flatMap((s) => (s.locations ?? []).filter((l) => !restrictionOf(s, l)))
        .map((l) => l.toLowerCase()),
    ),
  ]
    .filter((l) => l !== spec.location.toLowerCase())
    .sort()
    .slice(0, 3)
  const reference = sku ?? all.find((s) => s.name!.toLowerCase() === spec.vmSku.toLowerCase())
  const vCPUs = reference ? vCPUsOf(reference) : 4
  const gpus = reference ? gpusOf(reference) : 0
  const sizes = regionSkus
    .filter((s) => !restrictionOf(s, spec.location) && gpusOf(s) > 0 === gpus > 0)
    .sort((a, b) => Math.abs(vCPUsOf(a) - vCPUs) - Math.abs(vCPUsOf(b) - vCPUs))
    .slice(0, 3)
  const fixes: PreflightFix[] = [
    ...sizes.map((s): PreflightFix => ({
      kind: 'change',
      label: `Use ${s.name} (${vCPUsOf(s)} vCPUs${gpusOf(s) ? `, ${gpusOf(s)} GPU` : ''})`,
      field: 'vmSku',
      value: s.name!,
    })),
    ...regions.map((region): PreflightFix => ({
      kind: 'change',
      label: `Deploy in ${region}`,
      field: 'location',
      value: region,
    })),
  ]
  const reason = sku
    ? `${spec.vmSku} is listed in ${spec.location} but cannot be used: ${restriction}.`
    : `${spec.vmSku} is not offered in ${spec.location}.`
  return check(
    'size',
    'VM size',
    'problem',
    `${reason} Choose a similar size here${regions.length ? ' or a region where it is available' : ''}.`,
    fixes,
  )
}

async function checkQuota(spec: PoolSpec, clients: ArmClients, sku: ResourceSku): Promise<Check> {
  const title = 'Quota'
  const quotas = await regionalQuotas(clients, spec.location)
  const perInstance = vCPUsOf(sku)
  const limits = [
    limitingQuota(quotas, sku.family ?? '', spec.priority),
    spec.priority === 'Regular' ? quotas.get('cores') : undefined,
  ].filter((q) => q !== undefined)
  const free = Math.min(...limits.map((q) => q.limit - q.used))
  const tightest = limits.find((q) => q.limit - q.used === free)
  if (!tightest)
    return check('quota', title, 'skipped', `No quota figures for ${sku.family} were found.`)
  const needed = spec.instanceCount * perInstance
  const portal = quotaRequestUrl(clients.context.cloud.portalUrl)
  if (needed > free) {
    const fits = Math.floor(Math.max(0, free) / perInstance)
    return check(
      'quota',
      title,
      'problem',
      `${spec.instanceCount} × ${spec.vmSku} need ${needed} vCPUs, but only ${Math.max(0, free)} of your ${tightest.limit} ${tightest.displayName} are free in ${spec.location} (${tightest.used} in use). Request more quota, or start with fewer instances.`,
      [
        { kind: 'link', label: 'Request more quota in the Azure portal', url: portal },
        ...(fits >= 1 && fits < spec.instanceCount
          ? [
              {
                kind: 'change' as const,
                label: `Start with ${fits} instance${fits > 1 ? 's' : ''}`,
                field: 'instanceCount' as const,
                value: fits,
              },
            ]
          : []),
      ],
    )
  }
  const peak = Math.max(spec.instanceCount, spec.autoscale.enabled ? spec.autoscale.maximum : 0)
  if (peak * perInstance > free) {
    return check(
      'quota',
      title,
      'warning',
      `Enough quota to start (${needed} of ${free} free vCPUs), but autoscale's maximum of ${peak} instances needs ${peak * perInstance}: it will stop at ${Math.floor(free / perInstance)}.`,
      [{ kind: 'link', label: 'Request more quota in the Azure portal', url: portal }],
    )
  }
  return check(
    'quota',
    title,
    'ok',
    `${needed} vCPUs needed now, up to ${peak * perInstance} at the autoscale maximum; ${free} of ${tightest.limit} ${tightest.displayName} are free.`,
  )
}

/** The portal's "My quotas" page of the cloud (the place to request more). */
export function quotaRequestUrl(portalUrl: string): string {
  return `${portalUrl.replace(/\/$/, '')}/#view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas`
}

// ---- marketplace terms ---------------------------------------------------------------------

export function termsPath(subscriptionId: string, plan: ImagePlan): string {
  const e = encodeURIComponent
  return `/subscriptions/${subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/${e(plan.publisher)}/offers/${e(plan.product)}/plans/${e(plan.name)}/agreements/current?api-version=${marketplaceApiVersion}`
}

interface Terms {
  properties?: { accepted?: boolean; signature?: string; licenseTextLink?: string }
}

async function checkTerms(
  spec: PoolSpec,
  clients: ArmClients,
  plan: ImagePlan | undefined,
): Promise<Check> {
  const title = 'Marketplace terms'
  if (!plan)
    return check(
      'terms',
      title,
      'ok',
      `The ${spec.osType} Data Science VM image has no marketplace plan: there are no terms to accept.`,
    )
  const terms = await clients.request<Terms>('GET', termsPath(clients.context.subscriptionId, plan))
  if (terms.properties?.accepted)
    return check(
      'terms',
      title,
      'ok',
      `The terms of ${plan.publisher} ${plan.product} (${plan.name}) are accepted on this subscription.`,
    )
  return check(
    'terms',
    title,
    'problem',
    `The image's plan ${plan.publisher} / ${plan.product} / ${plan.name} has terms that are not accepted on this subscription yet${terms.properties?.licenseTextLink ? ` (licence: ${terms.properties.licenseTextLink})` : ''}.`,
    [
      {
        kind: 'acceptTerms',
        label: 'Read and accept the terms',
        publisher: plan.publisher,
        offer: plan.product,
        plan: plan.name,
      },
    ],
  )
}

/** Accepts a plan's terms on the subscription (only after the person confirmed). */
export async function acceptTerms(clients: ArmClients, plan: ImagePlan): Promise<boolean> {
  const path = termsPath(clients.context.subscriptionId, plan)
  const current = await clients.request<Terms>('GET', path)
  const accepted = await clients.request<Terms>('PUT', path, {
    properties: { ...current.properties, accepted: true },
  })
  return accepted.properties?.accepted === true
}

// ---- storage -------------------------------------------------------------------------------

async function checkStorage(
  spec: PoolSpec,
  clients: ArmClients,
  random: () => number,
): Promise<Check> {
  const title = 'Storage account'
  const name = spec.storage.accountName
  if (spec.storage.mode === 'existing') {
    const group = spec.storage.accountResourceGroup ?? spec.resourceGroup.name
    try {
      await clients.storage.storageAccounts.getProperties(group, name)
      return check(
        'storage',
        title,
        'ok',
        `The share '${spec.storage.shareName}' of '${name}' (group ${group}) is mounted on every instance.`,
      )
    } catch (error) {
      if (statusOf(error) !== 404) throw error
      return check(
        'storage',
        title,
        'problem',
        `There is no storage account '${name}' in the group '${group}'. Choose an existing account on the Storage step, or let the pool create a new one.`,
      )
    }
  }
  const answer = await clients.storage.storageAccounts.checkNameAvailability({
    name,
    type: 'Microsoft.Storage/storageAccounts',
  })
  if (answer.nameAvailable)
    return check(
      'storage',
      title,
      'ok',
      `The name '${name}' is free; the pool creates the account and its share.`,
    )
  if (await isOurs(spec, clients))
    return check(
      'storage',
      title,
      'ok',
      `'${name}' already exists in the pool's group; the deployment keeps it.`,
    )
  const suggestion = await freeName(name, clients, random)
  return check(
    'storage',
    title,
    'problem',
    `The storage account name '${name}' is taken: names are unique across all of Azure.`,
    suggestion
      ? [
          {
            kind: 'change',
            label: `Use '${suggestion}'`,
            field: 'storage.accountName',
            value: suggestion,
          },
        ]
      : [],
  )
}

async function isOurs(spec: PoolSpec, clients: ArmClients): Promise<boolean> {
  try {
    await clients.storage.storageAccounts.getProperties(
      spec.resourceGroup.name,
      spec.storage.accountName,
    )
    return true
  } catch {
    return false
  }
}

/** A free name close to `name`: the same start with four digits. */
async function freeName(
  name: string,
  clients: ArmClients,
  random: () => number,
): Promise<string | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const digits = String(Math.floor(random() * 10_000)).padStart(4, '0')
    const candidate = `${name.slice(0, 20)}${digits}`
    const answer = await clients.storage.storageAccounts.checkNameAvailability({
      name: candidate,
      type: 'Microsoft.Storage/storageAccounts',
    })
    if (answer.nameAvailable) return candidate
  }
  return undefined
}

// ---- Azure's validation --------------------------------------------------------------------

async function validateTemplate(
  spec: PoolSpec,
  clients: ArmClients,
  files: TemplateFiles,
  updateIntervalInMs: number,
): Promise<Check> {
  const title = 'Azure validation'
  try {
    const body = await deploymentBody(spec, clients, files)
    const result = await clients.deployments.deployments.validate(
      spec.resourceGroup.name,
      poolDeploymentName(spec.poolName),
      body,
      { updateIntervalInMs },
    )
    const error = (result as { error?: AzureErrorBody }).error
    if (error) return validationProblem(title, error)
    return check('template', title, 'ok', 'Azure accepted the template with these answers.')
  } catch (error) {
    if (statusOf(error) === 403)
      return { ...missingRole(title, 'validate deployments'), id: 'template' }
    const body = errorBody(error)
    if (body) return validationProblem(title, body)
    throw error
  }
}

function validationProblem(title: string, error: AzureErrorBody): Check {
  const failures = failuresOf(error)
  return check(
    'template',
    title,
    'problem',
    failures.map((f) => `${f.code}: ${f.message} — ${f.whatToDo}`).join('\n') ||
      'Azure refused the deployment.',
  )
}

/** The `{ code, message, details }` of an SDK RestError, if it carries one. */
export function errorBody(error: unknown): AzureErrorBody | undefined {
  const e = error as { code?: unknown; message?: unknown; details?: unknown; statusCode?: unknown }
  if (!e || typeof e.statusCode !== 'number' || typeof e.code !== 'string') return undefined
  const details = (e.details as { error?: AzureErrorBody } | undefined)?.error
  return details ?? { code: e.code, message: typeof e.message === 'string' ? e.message : '' }
}
