export {
  CostQueryClient,
  type CostQueryClientOptions,
  type CostScope,
  type CostTokens,
} from './cost-query-client'
export {
  costManagementApiVersion,
  costRows,
  monthToDateByService,
  usageDateText,
  type CostRow,
} from './query'
export { spendOf, type DailySpend, type PoolSpend } from './spend'
export { createCostServices, type CostServices, type CostServicesOptions } from './cost-services'
export { liveBurnRate, type LiveBurnRate, type LivePool } from './burn-rate'
