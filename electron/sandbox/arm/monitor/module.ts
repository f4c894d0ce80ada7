import type { SandboxModule } from '../../core/module'
import { scaleSetType } from '../compute/model'
import { evaluateAutoscale } from './autoscale-engine'
import { autoscaleRoutes } from './autoscale-settings'
import { forgetSamples, minuteMs, recordCpuSamples } from './cpu-samples'
import { metricsRoutes } from './metrics'

/** Microsoft.Insights: autoscale settings the sandbox applies, and Percentage CPU metrics. */
export const monitorModule: SandboxModule = {
  name: 'monitor',
  install(ctx, router) {
    router.add(...autoscaleRoutes, ...metricsRoutes)
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
