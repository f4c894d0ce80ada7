import type { SandboxContext } from '../../core/context'
import { subscriptions } from '../../seed/directory'
import { scaleInCandidates } from '../compute/lifecycle'
import { countedInstances, getScaleSet, type ScaleSetResource } from '../compute/model'
import { durationMs } from '../compute/request-helpers'
import { recordAutoscaleAction } from './activity-log'
import { autoscaleType, type AutoscaleSetting } from './autoscale-settings'
import { cpuSamples, type CpuSample } from './cpu-samples'
import { activeProfile, capacityOf, type ScaleRule } from './profiles'

/**
 * Applies autoscale settings once a minute of sandbox time, following Azure's documented
 * rules: the active profile's min/max bound the capacity; a scale-out happens when any
 * Increase rule fires, a scale-in only when every Decrease rule fires and the result would not
 * immediately fire a scale-out again (flapping); each rule waits for its cooldown after the
 * last scale action; with no metric data the capacity is raised to the default, never lowered.
 * Changes go through the scale set's own PATCH, so quotas and scale-in protection apply, and
 * each one is written to the Activity Log as Azure's autoscale writes it.
 */

const autoscaleApiVersion = '2024-11-01'

/** The rule's aggregated metric over its time window, or undefined when there is no data. */
export function ruleValue(ctx: SandboxContext, rule: ScaleRule, now: number): number | undefined {
  const trigger = rule.metricTrigger
  if (trigger.metricName.toLowerCase() !== 'percentage cpu') return undefined
  const samples = cpuSamples(
    ctx,
    trigger.metricResourceUri,
    now - durationMs(trigger.timeWindow),
    now + 1,
  )
  if (samples.length === 0) return undefined
  const perGrain = samples.map((s) => statisticOf(trigger.statistic, s))
  switch (trigger.timeAggregation) {
    case 'Minimum':
      return Math.min(...perGrain)
    case 'Maximum':
      return Math.max(...perGrain)
    case 'Total':
      return perGrain.reduce((a, b) => a + b, 0)
    case 'Count':
      return perGrain.length
    case 'Last':
      return perGrain[perGrain.length - 1]
    default:
      return perGrain.reduce((a, b) => a + b, 0) / perGrain.length
  }
}

function statisticOf(statistic: string, sample: CpuSample): number {
  switch (statistic) {
    case 'Min':
      return sample.minimum
    case 'Max':
      return sample.maximum
    case 'Sum':
      return sample.average * sample.count
    case 'Count':
      return sample.count
    default:
      return sample.average
  }
}

export function fires(operator: string, value: number, threshold: number): boolean {
  switch (operator) {
    case 'Equals':
      return value === threshold
    case 'NotEquals':
      return value !== threshold
    case 'GreaterThan':
      return value > threshold
    case 'GreaterThanOrEqual':
      return value >= threshold
    case 'LessThan':
      return value < threshold
    case 'LessThanOrEqual':
      return value <= threshold
    default:
      return false
  }
}

export function capacityAfter(rule: ScaleRule, current: number): number {
  const action = rule.scaleAction
  const value = Number(action.value ?? 1)
  const sign = action.direction === 'Decrease' ? -1 : action.direction === 'Increase' ? 1 : 0
  switch (action.type) {
    case 'ExactCount':
      return value
    case 'PercentChangeCount':
      return current + sign * Math.max(1, Math.ceil((current * value) / 100))
    default:
      return current + sign * value
  }
}

/** The capacity the setting wants now, or undefined to leave the scale set alone. */
export function desiredCapacity(
  ctx: SandboxContext,
  setting: AutoscaleSetting,
  scaleSet: ScaleSetResource,
  now: number,
): number | undefined {
  const profile = activeProfile(setting.properties.profiles, now)
  if (!profile) return undefined
  const { minimum, maximum, default: defaultCapacity } = capacityOf(profile)
  const current = countedInstances(scaleSet).length
  const clamp = (n: number) => Math.min(maximum, Math.max(minimum, n))
  const rules = profile.rules ?? []
  if (rules.length === 0) return clamp(current)

  // Evaluations run once a minute; half a minute of slack keeps 'PT10M' meaning ten evaluations.
  const cooledDown = (rule: ScaleRule) =>
    setting.sandbox.lastScaleAt === undefined ||
    now - setting.sandbox.lastScaleAt >= durationMs(rule.scaleAction.cooldown) - 30_000
  const evaluated = rules.map((rule) => ({ rule, value: ruleValue(ctx, rule, now) }))
  if (evaluated.some((e) => e.value === undefined)) return clamp(Math.max(current, defaultCapacity))

  const firing = evaluated.filter((e) =>
    fires(e.rule.metricTrigger.operator, e.value!, e.rule.metricTrigger.threshold),
  )
  const increases = firing.filter(
    (e) => e.rule.scaleAction.direction === 'Increase' && cooledDown(e.rule),
  )
  if (increases.length > 0)
    return clamp(Math.max(...increases.map((e) => capacityAfter(e.rule, current))))

  const decreaseRules = evaluated.filter((e) => e.rule.scaleAction.direction === 'Decrease')
  const allDecreasesFire =
    decreaseRules.length > 0 && decreaseRules.every((e) => firing.includes(e) && cooledDown(e.rule))
  if (allDecreasesFire) {
    const target = clamp(Math.min(...decreaseRules.map((e) => capacityAfter(e.rule, current))))
    if (target < current && !wouldFlap(evaluated, current, target)) return target
  }
  return clamp(current)
}

/** Azure's flapping guard: the load spread over fewer instances must not trigger a scale-out. */
function wouldFlap(
  evaluated: Array<{ rule: ScaleRule; value: number | undefined }>,
  current: number,
  target: number,
): boolean {
  if (target <= 0) return false
  return evaluated.some(
    (e) =>
      e.rule.scaleAction.direction === 'Increase' &&
      fires(
        e.rule.metricTrigger.operator,
        (e.value! * current) / target,
        e.rule.metricTrigger.threshold,
      ),
  )
}

/** One evaluation of every enabled setting. */
export function evaluateAutoscale(ctx: SandboxContext, now: number): void {
  for (const subscription of subscriptions) {
    for (const resource of ctx.resources.list({
      subscriptionId: subscription.id,
      type: autoscaleType,
    })) {
      const setting = resource as AutoscaleSetting
      if (!setting.properties.enabled) continue
      const scaleSet = getScaleSet(ctx, setting.properties.targetResourceUri)
      if (
        !scaleSet ||
        scaleSet.sandbox.deleting ||
        scaleSet.properties.provisioningState === 'Creating'
      )
        continue
      const current = countedInstances(scaleSet).length
      const wanted = desiredCapacity(ctx, setting, scaleSet, now)
      if (wanted === undefined) continue
      // Protected instances cannot go; asking for less than they allow would change nothing.
      const target = Math.max(wanted, current - scaleInCandidates(scaleSet).length)
      if (target === current) continue
      setting.sandbox.lastScaleAt = now
      ctx.resources.touch()
      const ended = recordAutoscaleAction(ctx, {
        settingId: setting.id,
        targetId: scaleSet.id,
        from: current,
        to: target,
      })
      void ctx
        .dispatch({
          method: 'PATCH',
          path: `${scaleSet.id}?api-version=${autoscaleApiVersion}`,
          body: { sku: { capacity: target } },
          principal: {
            ...setting.sandbox.principal,
            username: 'Microsoft.Insights/autoscaleSettings',
          },
        })
        .then((reply) => {
          const error =
            reply.status >= 400
              ? (reply.body as { error?: { code?: string; message?: string } })?.error
              : undefined
          if (error) setting.sandbox.lastError = `${error.code}: ${error.message}`
          else delete setting.sandbox.lastError
          ended(error ? { ok: false, message: `${error.code}: ${error.message}` } : { ok: true })
          ctx.resources.touch()
        })
    }
  }
}
