import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, type Route, type SandboxReply, type SandboxRequest } from '../../core/http'
import { view, type ArmResource } from '../../core/resources'
import {
  clone,
  durationMs,
  notFoundIn,
  nothingToDelete,
  param,
  requireLocation,
  requireResourceGroup,
} from '../compute/request-helpers'
import type { AutoscaleProfile } from './profiles'
import { ianaZone } from '../../../shared/time-zones'

/** Microsoft.Insights/autoscaleSettings: stored as Azure returns them; applied by the engine. */

type Json = Record<string, unknown>

export const autoscaleType = 'Microsoft.Insights/autoscaleSettings'

export interface AutoscaleBookkeeping {
  /** The principal whose rights the engine's capacity changes use (the last writer). */
  principal: NonNullable<SandboxRequest['principal']>
  lastScaleAt?: number
  lastError?: string
  [key: string]: unknown
}

export interface AutoscaleSetting extends ArmResource {
  properties: {
    profiles: AutoscaleProfile[]
    enabled: boolean
    targetResourceUri: string
    name: string
    [key: string]: unknown
  }
  sandbox: AutoscaleBookkeeping
}

const badRequest = (message: string) => new ArmError(400, 'BadRequest', message)

const settingId = (subscriptionId: string, resourceGroup: string, name: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/microsoft.insights/autoscalesettings/${name}`

function capacityNumber(value: unknown, field: string, profile: string): number {
  const n = Number(value)
  if (
    value === undefined ||
    value === null ||
    value === '' ||
    !Number.isInteger(n) ||
    n < 0 ||
    n > 1000
  ) {
    throw badRequest(
      `The ${field} capacity '${String(value)}' of profile '${profile}' must be a whole number between 0 and 1000.`,
    )
  }
  return n
}

function checkDuration(value: unknown, field: string, minMs: number, maxMs: number): void {
  if (typeof value !== 'string') throw badRequest(`The ${field} is required.`)
  const ms = durationMs(value)
  if (ms < minMs || ms > maxMs)
    throw badRequest(
      `The ${field} '${value}' must be between ${minMs / 60_000} minutes and ${maxMs / 60_000} minutes.`,
    )
}

const operators = [
  'Equals',
  'NotEquals',
  'GreaterThan',
  'GreaterThanOrEqual',
  'LessThan',
  'LessThanOrEqual',
]
const aggregations = ['Average', 'Minimum', 'Maximum', 'Total', 'Count', 'Last']
const statistics = ['Average', 'Min', 'Max', 'Sum', 'Count']

function validateProfiles(profiles: unknown): AutoscaleProfile[] {
  if (!Array.isArray(profiles) || profiles.length === 0 || profiles.length > 20) {
    throw badRequest('An autoscale setting must have between 1 and 20 profiles.')
  }
  for (const profile of profiles as Json[]) {
    const name = String(profile.name ?? '')
    if (!name) throw badRequest('Every autoscale profile needs a name.')
    const capacity = (profile.capacity as Json | undefined) ?? {}
    const min = capacityNumber(capacity.minimum, 'minimum', name)
    const max = capacityNumber(capacity.maximum, 'maximum', name)
    const def = capacityNumber(capacity.default, 'default', name)
    if (min > max)
      throw badRequest(
        `The minimum capacity ${min} of profile '${name}' is greater than its maximum capacity ${max}.`,
      )
    if (def < min || def > max)
      throw badRequest(
        `The default capacity ${def} of profile '${name}' must be between the minimum ${min} and the maximum ${max}.`,
      )
    const rules = (profile.rules as Json[] | undefined) ?? []
    if (!Array.isArray(rules) || rules.length > 10)
      throw badRequest(`Profile '${name}' can have at most 10 rules.`)
    for (const rule of rules) {
      const trigger = (rule.metricTrigger as Json | undefined) ?? {}
      const action = (rule.scaleAction as Json | undefined) ?? {}
      if (typeof trigger.metricName !== 'string' || typeof trigger.metricResourceUri !== 'string') {
        throw badRequest(
          `A rule of profile '${name}' needs metricTrigger.metricName and metricTrigger.metricResourceUri.`,
        )
      }
      checkDuration(trigger.timeGrain, 'timeGrain', 60_000, 12 * 3_600_000)
      checkDuration(trigger.timeWindow, 'timeWindow', 5 * 60_000, 12 * 3_600_000)
      if (!operators.includes(String(trigger.operator)))
        throw badRequest(`Operator '${String(trigger.operator)}' is not supported.`)
      if (!aggregations.includes(String(trigger.timeAggregation)))
        throw badRequest(`Time aggregation '${String(trigger.timeAggregation)}' is not supported.`)
      if (!statistics.includes(String(trigger.statistic)))
        throw badRequest(`Statistic '${String(trigger.statistic)}' is not supported.`)
      if (typeof trigger.threshold !== 'number')
        throw badRequest('The metric trigger threshold must be a number.')
      if (!['Increase', 'Decrease', 'None'].includes(String(action.direction)))
        throw badRequest(`Scale direction '${String(action.direction)}' is not supported.`)
      if (
        !['ChangeCount', 'PercentChangeCount', 'ExactCount', 'ServiceAllowedNextValue'].includes(
          String(action.type),
        )
      ) {
        throw badRequest(`Scale type '${String(action.type)}' is not supported.`)
      }
      checkDuration(action.cooldown, 'cooldown', 60_000, 7 * 24 * 3_600_000)
    }
    for (const schedule of [
      (profile.recurrence as Json | undefined)?.schedule,
      profile.fixedDate,
    ] as Array<Json | undefined>) {
      if (schedule && !ianaZone(schedule.timeZone as string | undefined)) {
        throw badRequest(`The time zone '${String(schedule.timeZone)}' is not supported.`)
      }
    }
    const recurrence = profile.recurrence as Json | undefined
    if (recurrence && String(recurrence.frequency ?? 'Week') !== 'Week') {
      throw badRequest(
        `Recurrence frequency '${String(recurrence.frequency)}' is not supported; use 'Week'.`,
      )
    }
  }
  return profiles as AutoscaleProfile[]
}

export function getSetting(ctx: SandboxContext, id: string): AutoscaleSetting | undefined {
  const resource = ctx.resources.get(id)
  return resource && resource.type.toLowerCase() === autoscaleType.toLowerCase()
    ? (resource as AutoscaleSetting)
    : undefined
}

function findOrThrow(ctx: SandboxContext, req: SandboxRequest): AutoscaleSetting {
  const setting = getSetting(
    ctx,
    settingId(param(req, 'subscriptionId'), param(req, 'resourceGroupName'), param(req, 'name')),
  )
  if (!setting) {
    throw notFoundIn(
      ctx,
      param(req, 'subscriptionId'),
      param(req, 'resourceGroupName'),
      new ArmError(
        404,
        'ResourceNotFound',
        `The Resource 'microsoft.insights/autoscalesettings/${param(req, 'name')}' under resource group '${param(req, 'resourceGroupName')}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      ),
    )
  }
  return setting
}

function present(setting: AutoscaleSetting): Json {
  return view(setting) as Json
}

/** The target must exist, and a setting keeps the target it was created for, as in Azure. */
function checkTarget(
  ctx: SandboxContext,
  target: string,
  existing: AutoscaleSetting | undefined,
  resourceGroup: string,
): void {
  if (existing && existing.properties.targetResourceUri.toLowerCase() !== target.toLowerCase()) {
    throw new ArmError(
      400,
      'TargetResourceIdIsImmutable',
      `The autoscale setting '${existing.name}' under resource group '${resourceGroup}' is referencing target resource '${existing.properties.targetResourceUri}'. The target resource reference is immutable. If you want to change it, please create a new autoscale setting with a different name.`,
    )
  }
  if (!ctx.resources.get(target)) {
    throw new ArmError(
      400,
      'TargetResourceNotFound',
      `The target resource id '${target}' was not found.`,
    )
  }
}

function buildProperties(input: Json, name: string): AutoscaleSetting['properties'] {
  const profiles = validateProfiles(input.profiles)
  if (typeof input.targetResourceUri !== 'string' || !input.targetResourceUri) {
    throw new ArmError(
      400,
      'UnsupportedRequestContent',
      'Request format is unexpected: the targetResourceUri of the autoscale setting is required.',
    )
  }
  return {
    profiles: clone(profiles),
    ...(input.notifications ? { notifications: clone(input.notifications) } : {}),
    enabled: input.enabled === true,
    predictiveAutoscalePolicy: clone(
      (input.predictiveAutoscalePolicy as Json | undefined) ?? { scaleMode: 'Disabled' },
    ),
    name,
    targetResourceUri: input.targetResourceUri,
    ...(input.targetResourceLocation
      ? { targetResourceLocation: input.targetResourceLocation }
      : {}),
  }
}

function put(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const subscriptionId = param(req, 'subscriptionId')
  const resourceGroup = param(req, 'resourceGroupName')
  const name = param(req, 'name')
  requireResourceGroup(ctx, subscriptionId, resourceGroup)
  const body = bodyObject(req)
  const location = requireLocation(body)
  const id = settingId(subscriptionId, resourceGroup, name)
  const existing = getSetting(ctx, id)
  const properties = buildProperties((body.properties as Json | undefined) ?? {}, name)
  checkTarget(ctx, properties.targetResourceUri, existing, resourceGroup)
  const setting: AutoscaleSetting = {
    id,
    name,
    type: autoscaleType,
    location,
    tags: clone((body.tags as Record<string, string> | undefined) ?? {}),
    properties,
    sandbox: { ...(existing?.sandbox ?? {}), principal: req.principal! },
  }
  ctx.resources.put(setting)
  return { status: existing ? 200 : 201, body: present(setting) }
}

function patch(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const setting = findOrThrow(ctx, req)
  const body = bodyObject(req)
  const merged = { ...setting.properties, ...((body.properties as Json | undefined) ?? {}) }
  const properties = buildProperties(merged, setting.name)
  checkTarget(ctx, properties.targetResourceUri, setting, param(req, 'resourceGroupName'))
  setting.properties = properties
  if (body.tags !== undefined) setting.tags = clone((body.tags ?? {}) as Record<string, string>)
  setting.sandbox.principal = req.principal!
  ctx.resources.touch()
  return { status: 200, body: present(setting) }
}

function remove(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const id = settingId(
    param(req, 'subscriptionId'),
    param(req, 'resourceGroupName'),
    param(req, 'name'),
  )
  return ctx.resources.delete(id)
    ? { status: 200 }
    : nothingToDelete(ctx, param(req, 'subscriptionId'), param(req, 'resourceGroupName'))
}

function list(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const subscriptionId = param(req, 'subscriptionId')
  const resourceGroup = req.params.resourceGroupName
  if (resourceGroup) requireResourceGroup(ctx, subscriptionId, resourceGroup)
  const items = ctx.resources.list({
    subscriptionId,
    type: autoscaleType,
    ...(resourceGroup ? { resourceGroup } : {}),
  })
  return { status: 200, body: { value: items.map((s) => present(s as AutoscaleSetting)) } }
}

const one =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Insights/autoscalesettings/{name}'

export const autoscaleRoutes: Route[] = [
  { service: 'arm', method: 'PUT', pattern: one, handler: put },
  { service: 'arm', method: 'PATCH', pattern: one, handler: patch },
  {
    service: 'arm',
    method: 'GET',
    pattern: one,
    handler: (req, ctx) => ({ status: 200, body: present(findOrThrow(ctx, req)) }),
  },
  { service: 'arm', method: 'DELETE', pattern: one, handler: remove },
  {
    service: 'arm',
    method: 'GET',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Insights/autoscalesettings',
    handler: list,
  },
  {
    service: 'arm',
    method: 'GET',
    pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.Insights/autoscalesettings',
    handler: list,
  },
]
