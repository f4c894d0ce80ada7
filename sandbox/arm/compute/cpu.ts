import type { SandboxContext } from '../../core/context'
import { getScaleSet } from './model'

/**
 * Sets the Percentage CPU that running instances report (all of the scale set's, or one):
 * what the metrics API returns and what autoscale rules react to.
 */
export function setInstanceCpu(
  ctx: SandboxContext,
  scaleSetId: string,
  percent: number,
  instanceId?: string,
): void {
  const scaleSet = getScaleSet(ctx, scaleSetId)
  if (!scaleSet) throw new Error(`No scale set '${scaleSetId}' in the sandbox`)
  if (!(percent >= 0 && percent <= 100))
    throw new RangeError('CPU percentage must be between 0 and 100')
  const targets = scaleSet.sandbox.instances.filter(
    (i) => instanceId === undefined || i.instanceId === instanceId,
  )
  if (instanceId !== undefined && targets.length === 0)
    throw new Error(`No instance '${instanceId}' in '${scaleSetId}'`)
  for (const instance of targets) instance.cpuPercent = percent
  // New instances of this scale set start at the same load, as a busy pool's newcomers would.
  scaleSet.sandbox.defaultCpuPercent =
    instanceId === undefined ? percent : scaleSet.sandbox.defaultCpuPercent
  ctx.resources.touch()
}
