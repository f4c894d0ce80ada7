import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BudgetAlerts, type BudgetCheck } from '../../../electron/azure/cost/budget-alerts'
import { BudgetWatch } from '../../../electron/azure/cost/budget-watch'
import { budgetFromTags, budgetTagValue } from '../../../electron/azure/cost/pool-budget'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function alertsFile() {
  const dir = mkdtempSync(join(tmpdir(), 'budget-alerts-'))
  dirs.push(dir)
  return join(dir, 'budget-alerts.json')
}

const poolId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool'
const check = (over: Partial<BudgetCheck> = {}): BudgetCheck => ({
  poolId,
  poolName: 'team-pool',
  budget: 300,
  currency: 'USD',
  month: '2026-11',
  actual: 150,
  projected: 465,
  ...over,
})

describe('budget notifications', () => {
  it('notifies once per month and threshold, and remembers it across restarts', () => {
    const file = alertsFile()
    const notify = vi.fn()
    const status = new BudgetAlerts(file, notify).check(check())
    expect(status.level).toBe('over')
    expect(notify).toHaveBeenCalledTimes(1)
    expect(notify).toHaveBeenCalledWith({
      title: 'team-pool is over its budget',
      body: 'team-pool is on course to spend $465.00 this month; its monthly budget is $300.00.',
    })

    // The same figures again, in this run or after a restart: no second notification.
    new BudgetAlerts(file, notify).check(check())
    expect(notify).toHaveBeenCalledTimes(1)

    // Actual spend reaching 80 % is a new threshold.
    new BudgetAlerts(file, notify).check(check({ actual: 250 }))
    expect(notify).toHaveBeenCalledTimes(2)
    expect(notify.mock.calls[1]![0].title).toBe('team-pool is at 80 % of its budget')

    // A new month starts over, and last month's keys are dropped from the file.
    new BudgetAlerts(file, notify).check(check({ month: '2026-12', actual: 10, projected: 250 }))
    expect(notify).toHaveBeenCalledTimes(3)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { sent: string[] }
    expect(saved.sent).toEqual([`${poolId.toLowerCase()}|2026-12:projected:80`])
  })

  it('below 80 % nothing is notified or written', () => {
    const notify = vi.fn()
    const file = alertsFile()
    expect(new BudgetAlerts(file, notify).check(check({ actual: 10, projected: 100 })).level).toBe(
      'ok',
    )
    expect(notify).not.toHaveBeenCalled()
    expect(() => readFileSync(file)).toThrow()
  })

  it('without a notifier (the web shell) the status is still computed', () => {
    expect(new BudgetAlerts(alertsFile(), undefined).check(check()).alerts).toHaveLength(2)
  })
})

describe('budget tag', () => {
  it('reads a positive amount and ignores anything else', () => {
    expect(budgetFromTags({ 'dsvm-pool-budget': '500' })).toBe(500)
    expect(budgetFromTags({ 'dsvm-pool-budget': '120.5' })).toBe(120.5)
    expect(budgetFromTags({ 'dsvm-pool-budget': 'lots' })).toBeUndefined()
    expect(budgetFromTags({ 'dsvm-pool-budget': '0' })).toBeUndefined()
    expect(budgetFromTags({ 'dsvm-pool-budget': '' })).toBeUndefined()
    expect(budgetFromTags(undefined)).toBeUndefined()
  })

  it('writes at most two decimals', () => {
    expect(budgetTagValue(500)).toBe('500')
    expect(budgetTagValue(99.999)).toBe('100')
    expect(budgetTagValue(12.345)).toBe('12.35')
    expect(() => budgetTagValue(0)).toThrow(RangeError)
  })
})

describe('background budget checks', () => {
  it('checks a pool with a budget when it appears, when the budget changes, then hourly', async () => {
    let now = 0
    const checked: string[] = []
    const watch = new BudgetWatch(async (id) => void checked.push(id), { now: () => now })
    watch.consider({ id: 'a', budget: 100 })
    watch.consider({ id: 'a', budget: 100 })
    watch.consider({ id: 'b' })
    expect(checked).toEqual(['a'])
    watch.consider({ id: 'a', budget: 200 })
    expect(checked).toEqual(['a', 'a'])
    now = 3_599_999
    watch.consider({ id: 'a', budget: 200 })
    expect(checked).toHaveLength(2)
    now = 3_600_000
    watch.consider({ id: 'a', budget: 200 })
    expect(checked).toHaveLength(3)
  })

  it('reports a failed check instead of throwing', async () => {
    const onError = vi.fn()
    const watch = new BudgetWatch(() => Promise.reject(new Error('403')), { onError })
    watch.consider({ id: 'a', budget: 1 })
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith('a', expect.any(Error)), {
      timeout: 30_000,
    })
  })
})
