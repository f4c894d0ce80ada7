import type { SandboxModule } from '../../core/module'
import { scaleSetType } from '../compute/model'
import { evaluateAutoscale } from './autoscale-engine'
import { activityLogRoutes } from './activity-log'
import { autoscaleRoutes } from './autoscale-settings'
import { forgetSamples, minuteMs, recordCpuSamples } from './cpu-samples'
import { metricsRoutes } from './metrics'

/**
 * Microsoft.Insights: autoscale settings the sandbox applies, Percentage CPU metrics, and the
 * Activity Log entries autoscale writes.
 */
export const monitorModule: SandboxModule = {
  name: 'monitor',
  install(ctx, router) {
    router.add(...autoscaleRoutes, ...metricsRoutes, ...activityLogRoutes)
    ctx.resources.onDelete(scaleSetType, (resource) => forgetSamples(ctx, resource.id))
  },
  start(ctx) {
    ctx.clock.every(minuteMs, () => {
      const now = ctx.clock.now()
      recordCpuSamples(ctx, now)
      evaluateAutoscale(ctx, now)
    })
  },
}
