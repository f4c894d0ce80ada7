import { ComputeManagementClient } from '@azure/arm-compute'
import { poolTags } from '../../../shared/pool-tags'
import { AppError } from '../../../shared/errors'
import { armClient, armClientOptions, type ArmContext } from '../arm-context'
import { withChange } from '../pools/change-record'

/**
 * A pool's monthly budget lives in a tag on its scale set (dsvm-pool-budget), so every
 * teammate's app warns at the same figure (DESIGN.md decision 5).
 */

/** The budget a scale set's tags carry, or undefined when none (or not a positive amount). */
export function budgetFromTags(tags: Record<string, string> | undefined): number | undefined {
  const raw = tags?.[poolTags.budget]
  if (raw === undefined || raw.trim() === '') return undefined
  const amount = Number(raw)
  return Number.isFinite(amount) && amount > 0 ? amount : undefined
}

/** The tag value for a budget: at most two decimals, no exponent. */
export function budgetTagValue(budget: number): string {
  if (!(budget > 0) || !Number.isFinite(budget)) throw new RangeError('A budget must be positive')
  return String(Math.round(budget * 100) / 100)
}

export interface SetBudgetResult {
  /** The budget now in Azure (absent: removed). */
  budget?: number
  /** The scale set's ETag after the write. */
  etag?: string
}

/**
 * Writes (or, with null, removes) the budget tag with one PATCH of the scale set, If-Match
 * the ETag the person saw (or the one just read): a teammate's change in between is a
 * Conflict, not overwritten. Other tags are kept as they are in Azure.
 */
export async function setPoolBudget(
  context: ArmContext,
  scaleSet: { resourceGroup: string; name: string },
  budget: number | null,
  options: { etag?: string; updateIntervalInMs?: number; by?: string } = {},
): Promise<SetBudgetResult> {
  const compute = armClient(
    context,
    new ComputeManagementClient(
      context.credential,
      context.subscriptionId,
      armClientOptions(context),
    ),
  )
  const current = await compute.virtualMachineScaleSets.get(scaleSet.resourceGroup, scaleSet.name)
  const { [poolTags.budget]: _old, ...others } = current.tags ?? {}
  const tags = withChange(
    budget === null ? others : { ...others, [poolTags.budget]: budgetTagValue(budget) },
    { by: options.by, now: Date.now },
    { kind: 'budget' },
  )
  const ifMatch = options.etag ?? current.etag
  try {
    const updated = await compute.virtualMachineScaleSets.beginUpdateAndWait(
      scaleSet.resourceGroup,
      scaleSet.name,
      { tags },
      {
        ...(ifMatch ? { ifMatch } : {}),
        ...(options.updateIntervalInMs !== undefined
          ? { updateIntervalInMs: options.updateIntervalInMs }
          : {}),
      },
    )
    const saved = budgetFromTags(updated.tags)
    return {
      ...(saved !== undefined ? { budget: saved } : {}),
      ...(updated.etag ? { etag: updated.etag } : {}),
    }
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 412) {
      throw new AppError(
        'Conflict',
        `Someone else changed ${scaleSet.name} since you last saw it. The pool now shows Azure's current state; set the budget again if you still want it.`,
      )
    }
    throw error
  }
}
