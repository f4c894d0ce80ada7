import { describe, expect, it } from 'vitest'
import { budgetStatus } from '../../../shared/cost/budget'
import { budgetInputProblem, budgetWarning } from '../../../renderer/screens/cost/budget-text'

const usd = (n: number) => `$${n.toFixed(0)}`
const warningFor = (budget: number, actual: number, projected: number) =>
  budgetWarning(budgetStatus(budget, actual, projected), { actual, projected }, usd)

describe('budget warning', () => {
  it('says nothing below 80 % of actual and projected spend', () => {
    expect(warningFor(500, 100, 399)).toBeUndefined()
  })

  it('warns at 80 % of the projection', () => {
    expect(warningFor(500, 100, 420)).toEqual({
      level: 'warning',
      title: '84 % of the budget projected',
      text: 'The month-end projection of $420 is 84 % of the $500 monthly budget.',
      short: '84 % of budget',
    })
  })

  it('a projection over the budget leads, with what to do', () => {
    const warning = warningFor(300, 150, 465)
    expect(warning?.level).toBe('over')
    expect(warning?.title).toBe('On course to go over budget')
    expect(warning?.text).toMatch(
      /^The month-end projection of \$465 is 155 % of the \$300 monthly budget; \$150 is spent so far\./,
    )
    expect(warning?.short).toBe('Projected over budget')
  })

  it('actual spend over the budget is said first', () => {
    expect(warningFor(100, 120, 300)).toMatchObject({
      level: 'over',
      title: 'Over budget',
      text: '$120 spent so far is 120 % of the $100 monthly budget.',
    })
  })

  it('at 80 % of actual spend, both figures', () => {
    expect(warningFor(100, 85, 95)?.text).toBe(
      '$85 spent so far is 85 % of the $100 monthly budget; the month-end projection of $95 is 95 % of it.',
    )
  })
})

describe('a typed budget', () => {
  it('says in words what is wrong, and nothing for a budget that can be saved', () => {
    expect(budgetInputProblem('')).toBeUndefined()
    expect(budgetInputProblem('250')).toBeUndefined()
    expect(budgetInputProblem('-5')).toBe(
      'A budget cannot be negative. Enter the most the pool may cost in a month, such as 250.',
    )
    expect(budgetInputProblem('0')).toMatch(/^A budget of 0 cannot be kept to/)
    expect(budgetInputProblem('lots')).toBe('Enter the budget as a number, such as 250.')
    expect(budgetInputProblem('2e9')).toBe('A budget can be at most 1,000,000,000 a month.')
  })
})
