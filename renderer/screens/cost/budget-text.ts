import type { BudgetStatus } from '../../../shared/cost/budget'

/** What the app says about a pool's budget: a title, a sentence, and how loud. */
export interface BudgetWarning {
  level: 'warning' | 'over'
  title: string
  text: string
  /** For the pool card's badge. */
  short: string
}

const percent = (ratio: number) => `${Math.round(ratio * 100)} %`

/**
 * The warning for a pool at 80 % or 100 % of its budget, by actual spend or by the month-end
 * projection (the worse one leads); none while both are below 80 %.
 */
export function budgetWarning(
  status: BudgetStatus,
  amounts: { actual: number; projected: number },
  money: (amount: number) => string,
): BudgetWarning | undefined {
  if (status.level === 'ok') return undefined
  const budget = money(status.budget)
  const actualText = `${money(amounts.actual)} spent so far is ${percent(status.actualRatio)} of the ${budget} monthly budget`
  const projectedText = `the month-end projection of ${money(amounts.projected)} is ${percent(status.projectedRatio)} of it`
  if (status.actualRatio >= 1) {
    return {
      level: 'over',
      title: 'Over budget',
      text: `${actualText}.`,
      short: 'Over budget',
    }
  }
  if (status.projectedRatio >= 1) {
    return {
      level: 'over',
      title: 'On course to go over budget',
      text: `${capitalise(projectedText.replace(' of it', ` of the ${budget} monthly budget`))}; ${money(amounts.actual)} is spent so far. Scale down or scale to zero outside working hours to stay within it.`,
      short: 'Projected over budget',
    }
  }
  const byActual = status.actualRatio >= 0.8
  return {
    level: 'warning',
    title: `${byActual ? percent(status.actualRatio) : percent(status.projectedRatio)} of the budget ${byActual ? 'spent' : 'projected'}`,
    text: byActual
      ? `${actualText}; ${projectedText}.`
      : `${capitalise(projectedText.replace(' of it', ` of the ${budget} monthly budget`))}.`,
    short: `${byActual ? percent(status.actualRatio) : percent(status.projectedRatio)} of budget`,
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** What is wrong with a typed monthly budget, in words; undefined when it can be saved. */
export function budgetInputProblem(text: string): string | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const amount = Number(trimmed)
  if (!Number.isFinite(amount)) return 'Enter the budget as a number, such as 250.'
  if (amount <= 0)
    return amount === 0
      ? 'A budget of 0 cannot be kept to. To have no budget, remove it.'
      : 'A budget cannot be negative. Enter the most the pool may cost in a month, such as 250.'
  if (amount > 1e9) return 'A budget can be at most 1,000,000,000 a month.'
  return undefined
}
