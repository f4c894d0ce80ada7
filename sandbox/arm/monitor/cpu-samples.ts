import type { SandboxContext } from '../../core/context'
import { listScaleSets, type ScaleSetResource } from '../compute/model'
import { subscriptions } from '../../seed/directory'

/**
 * Percentage CPU of each scale set, one sample a minute of sandbox time across its running
 * instances (the metric Azure Monitor keeps at PT1M grain). Minutes with no running instance
 * have no sample, as Azure has no data points for them.
 */

export interface CpuSample {
  /** Start of the minute, sandbox ms. */
  t: number
  average: number
  minimum: number
  maximum: number
  /** Running instances in that minute. */
  count: number
}

const keepMs = 24 * 3_600_000
export const minuteMs = 60_000

const table = (ctx: SandboxContext) => ctx.state.table<CpuSample[]>('cpuSamples')

export function runningCpu(scaleSet: ScaleSetResource): number[] {
  return scaleSet.sandbox.instances
    .filter(
      (i) =>
        i.powerState === 'running' &&
        i.provisioningState !== 'Deleting' &&
        i.provisioningState !== 'Failed',
    )
    .map((i) => i.cpuPercent)
}

/** Records this minute's sample for every scale set (idempotent within a minute). */
export function recordCpuSamples(ctx: SandboxContext, now: number): void {
  const minute = Math.floor(now / minuteMs) * minuteMs
  const samples = table(ctx)
  for (const subscription of subscriptions) {
    for (const scaleSet of listScaleSets(ctx, subscription.id)) {
      const values = runningCpu(scaleSet)
      const series = (samples.get(scaleSet.id) ?? []).filter(
        (s) => s.t > minute - keepMs && s.t !== minute,
      )
      if (values.length > 0) {
        series.push({
          t: minute,
          average: values.reduce((a, b) => a + b, 0) / values.length,
          minimum: Math.min(...values),
          maximum: Math.max(...values),
          count: values.length,
        })
      }
      samples.set(scaleSet.id, series)
    }
  }
}

export function cpuSamples(
  ctx: SandboxContext,
  scaleSetId: string,
  from: number,
  to: number,
): CpuSample[] {
  return (table(ctx).get(scaleSetId) ?? []).filter((s) => s.t >= from && s.t < to)
}

export function forgetSamples(ctx: SandboxContext, scaleSetId: string): void {
  table(ctx).delete(scaleSetId)
}
