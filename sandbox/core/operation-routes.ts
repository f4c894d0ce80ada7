import type { Route } from './http'
import type { LongRunningOperations } from './lro'

/** Azure-AsyncOperation and Location: where clients poll a long-running operation. */
export function operationRoutes(lro: LongRunningOperations): Route[] {
  const pattern = '/subscriptions/{subscriptionId}/providers/{namespace}/locations/{location}'
  return [
    {
      service: 'arm',
      method: 'GET',
      pattern: `${pattern}/operations/{operationId}`,
      handler: (req) =>
        lro.statusReply(lro.find(req.params.operationId!, req.params.subscriptionId!)),
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${pattern}/operationResults/{operationId}`,
      handler: (req) =>
        lro.resultReply(
          lro.find(req.params.operationId!, req.params.subscriptionId!),
          req.query('api-version') ?? '',
        ),
    },
  ]
}
