import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { SandboxReply, SandboxRequest } from '../../core/http'
import type { SandboxModule } from '../../core/module'
import { seedCostHistory } from '../../seed/cost-history'
import { parseQueryDefinition } from './definition'
import { evaluateQuery } from './evaluate'
import { costRecords } from './records'
import { CostQueryThrottle } from './throttle'

const month = 31 * 24 * 60 * 60 * 1000

/**
 * Microsoft.CostManagement query at subscription and resource-group scope: actual cost
 * computed from the sandbox's metered usage, priced with its own retail price table.
 */
export const costModule: SandboxModule = {
  name: 'cost',
  install(_ctx, router) {
    const throttle = new CostQueryThrottle()
    const handler = (req: SandboxRequest, context: SandboxContext) => query(req, context, throttle)
    router.add(
      {
        service: 'arm',
        method: 'POST',
        pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.CostManagement/query',
        handler,
        access: 'read',
      },
      {
        service: 'arm',
        method: 'POST',
        pattern:
          '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.CostManagement/query',
        handler,
        access: 'read',
      },
    )
  },
  seed(ctx, seed) {
    if (seed === 'demo') seedCostHistory(ctx)
  },
}

function query(
  req: SandboxRequest,
  ctx: SandboxContext,
  throttle: CostQueryThrottle,
): SandboxReply {
  const { subscriptionId = '', resourceGroupName } = req.params
  const now = ctx.clock.now()
  const definition = parseQueryDefinition(req.json(), now)
  const intervals = ctx.usage.list({
    subscriptionId,
    ...(resourceGroupName ? { resourceGroup: resourceGroupName } : {}),
  })
  if (
    resourceGroupName &&
    intervals.length === 0 &&
    !resourceGroupExists(ctx, subscriptionId, resourceGroupName)
  ) {
    throw new ArmError(
      404,
      'ResourceGroupNotFound',
      `Resource group '${resourceGroupName}' could not be found.`,
    )
  }

  const scope = resourceGroupName
    ? `subscriptions/${subscriptionId}/resourcegroups/${resourceGroupName}`
    : `subscriptions/${subscriptionId}`
  const qpu = Math.max(1, Math.ceil((definition.to - definition.from) / month))
  const decision = throttle.take(req.principal?.tenantId ?? 'sandbox', scope, qpu)
  if (!decision.allowed) {
    throw new ArmError(429, '429', 'Too many requests. Please retry.', {
      headers: decision.headers,
    })
  }

  const tagsOf = (resourceId: string) => ctx.resources.get(resourceId)?.tags ?? {}
  const records = costRecords(intervals, definition, now, tagsOf)
  const { columns, rows } = evaluateQuery(definition, records)
  const name = ctx.newId()
  return {
    status: 200,
    headers: decision.headers,
    body: {
      id: `${scope}/providers/Microsoft.CostManagement/query/${name}`,
      name,
      type: 'Microsoft.CostManagement/query',
      location: null,
      sku: null,
      eTag: null,
      properties: { nextLink: null, columns, rows },
    },
  }
}

function resourceGroupExists(
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup: string,
): boolean {
  if (ctx.resources.get(`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`))
    return true
  return ctx.resources.list({ subscriptionId, resourceGroup }).length > 0
}
