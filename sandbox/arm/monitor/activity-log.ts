import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { Route, SandboxReply, SandboxRequest } from '../../core/http'
import { parseResourceId } from '../../core/resources'
import { param } from '../compute/request-helpers'

/**
 * The Activity Log's Autoscale category (GET .../providers/Microsoft.Insights/eventtypes/
 * management/values, api-version 2015-04-01): the events Azure's autoscale engine writes when
 * it scales a resource, shaped as Microsoft documents them ("Autoscale" sample event of the
 * activity log schema): caller Microsoft.Insights/autoscaleSettings, the autoscale setting as
 * resourceId, operationName .../Scaleup/Action or .../Scaledown/Action, a Started event and a
 * Succeeded or Failed one, and properties OldInstancesCount, NewInstancesCount, ResourceName,
 * Description and LastScaleActionTime. Kept in the sandbox's state (a restart keeps them).
 */

type Json = Record<string, unknown>

interface StoredEvent {
  subscriptionId: string
  at: number
  event: Json
}

const retentionMs = 90 * 24 * 3_600_000
const localizable = (value: string) => ({ value, localizedValue: value })
const ticks = (ms: number) => String(BigInt(Math.floor(ms)) * 10_000n + 621_355_968_000_000_000n)

function table(ctx: SandboxContext) {
  return ctx.state.table<StoredEvent>('activityLog')
}

/** One scale action of the autoscale engine: its Started event now, its end when it ends. */
export function recordAutoscaleAction(
  ctx: SandboxContext,
  input: { settingId: string; targetId: string; from: number; to: number },
): (outcome: { ok: boolean; message?: string }) => void {
  const parts = parseResourceId(input.settingId)!
  const operationId = ctx.newId()
  const up = input.to > input.from
  const description = `The autoscale engine attempting to scale resource '${input.targetId}' from ${input.from} instances count to ${input.to} instances count.`
  const write = (status: string, at: number, extra: Json = {}) => {
    const eventDataId = ctx.newId()
    const time = new Date(at).toISOString()
    table(ctx).set(eventDataId, {
      subscriptionId: parts.subscriptionId,
      at,
      event: {
        authorization: null,
        caller: 'Microsoft.Insights/autoscaleSettings',
        channels: 'Admin, Operation',
        claims: {
          'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/spn':
            'Microsoft.Insights/autoscaleSettings',
        },
        correlationId: operationId,
        description,
        eventDataId,
        eventName: localizable('AutoscaleAction'),
        category: localizable('Autoscale'),
        id: `${input.settingId}/events/${eventDataId}/ticks/${ticks(at)}`,
        level: status === 'Failed' ? 'Error' : 'Informational',
        resourceGroupName: parts.resourceGroup,
        resourceProviderName: localizable('microsoft.insights'),
        resourceId: input.settingId,
        resourceType: localizable('microsoft.insights/autoscalesettings'),
        operationId,
        operationName: localizable(
          `Microsoft.Insights/AutoscaleSettings/${up ? 'Scaleup' : 'Scaledown'}/Action`,
        ),
        properties: {
          Description: description,
          ResourceName: input.targetId,
          OldInstancesCount: String(input.from),
          NewInstancesCount: String(input.to),
          LastScaleActionTime: new Date(at).toUTCString(),
          ...extra,
        },
        status: localizable(status),
        subStatus: { value: null },
        eventTimestamp: time,
        submissionTimestamp: time,
        subscriptionId: parts.subscriptionId,
      },
    })
  }
  write('Started', ctx.clock.now())
  return ({ ok, message }) =>
    write(ok ? 'Succeeded' : 'Failed', ctx.clock.now(), message ? { StatusMessage: message } : {})
}

/**
 * Azure took a Spot instance back: the Administrative event the platform writes on the scale
 * set (operationName Microsoft.Compute/virtualMachineScaleSets/evictSpotVM/action, no person
 * as caller), Started and Succeeded, as seen in real subscriptions' Activity Logs.
 */
export function recordSpotEviction(
  ctx: SandboxContext,
  input: { scaleSetId: string; instanceId: string },
): void {
  const parts = parseResourceId(input.scaleSetId)!
  const operationId = ctx.newId()
  const at = ctx.clock.now()
  const operationName = 'Microsoft.Compute/virtualMachineScaleSets/evictSpotVM/action'
  for (const status of ['Started', 'Succeeded']) {
    const eventDataId = ctx.newId()
    const time = new Date(at).toISOString()
    table(ctx).set(eventDataId, {
      subscriptionId: parts.subscriptionId,
      at,
      event: {
        authorization: { action: operationName, scope: input.scaleSetId },
        caller: 'Microsoft.Compute',
        channels: 'Operation',
        claims: {},
        correlationId: operationId,
        description: '',
        eventDataId,
        eventName: localizable(status === 'Started' ? 'BeginRequest' : 'EndRequest'),
        category: localizable('Administrative'),
        id: `${input.scaleSetId}/events/${eventDataId}/ticks/${ticks(at)}`,
        level: 'Informational',
        resourceGroupName: parts.resourceGroup,
        resourceProviderName: localizable('Microsoft.Compute'),
        resourceId: input.scaleSetId,
        resourceType: localizable('Microsoft.Compute/virtualMachineScaleSets'),
        operationId,
        operationName: localizable(operationName),
        properties: {
          eventCategory: 'Administrative',
          entity: `${input.scaleSetId}/virtualMachines/${input.instanceId}`,
          message: operationName,
        },
        status: localizable(status),
        subStatus: { value: null },
        eventTimestamp: time,
        submissionTimestamp: time,
        subscriptionId: parts.subscriptionId,
      },
    })
  }
}

/** The clauses of an Activity Log $filter the sandbox understands, joined by 'and'. */
function parseFilter(filter: string | undefined): {
  from: number
  to: number
  resourceGroup?: string
  resourceUri?: string
} {
  if (!filter)
    throw new ArmError(
      400,
      'BadRequest',
      "The $filter query parameter is required and must include 'eventTimestamp ge'.",
    )
  const value = (name: string, op: string) =>
    new RegExp(`${name}\\s+${op}\\s+'([^']*)'`, 'i').exec(filter)?.[1]
  const ge = value('eventTimestamp', 'ge')
  if (!ge || Number.isNaN(Date.parse(ge)))
    throw new ArmError(
      400,
      'BadRequest',
      "The $filter must include 'eventTimestamp ge' with a start time.",
    )
  const le = value('eventTimestamp', 'le')
  const resourceGroup = value('resourceGroupName', 'eq')
  const resourceUri = value('resourceUri', 'eq') ?? value('resourceId', 'eq')
  return {
    from: Date.parse(ge),
    to: le ? Date.parse(le) : Number.POSITIVE_INFINITY,
    ...(resourceGroup ? { resourceGroup } : {}),
    ...(resourceUri ? { resourceUri } : {}),
  }
}

function list(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const subscriptionId = param(req, 'subscriptionId')
  const { from, to, resourceGroup, resourceUri } = parseFilter(req.query('$filter'))
  const now = ctx.clock.now()
  const events = table(ctx)
    .entries()
    .filter(([key, stored]) => {
      if (now - stored.at > retentionMs) {
        table(ctx).delete(key)
        return false
      }
      return true
    })
    .map(([, stored]) => stored)
    .filter(
      (s) =>
        s.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() &&
        s.at >= from &&
        s.at <= to &&
        (!resourceGroup ||
          String(s.event.resourceGroupName).toLowerCase() === resourceGroup.toLowerCase()) &&
        (!resourceUri || String(s.event.resourceId).toLowerCase() === resourceUri.toLowerCase()),
    )
    .sort((a, b) => b.at - a.at)
    .map((s) => s.event)
  return { status: 200, body: { value: events } }
}

export const activityLogRoutes: Route[] = [
  {
    service: 'arm',
    method: 'GET',
    pattern:
      '/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values',
    handler: list,
  },
]
