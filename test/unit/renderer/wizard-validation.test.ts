import { describe, expect, it } from 'vitest'
import type { VmSizeInfo } from '../../../shared/deploy'
import {
  initialDraft,
  problemsOf,
  renamePool,
  stepProblems,
  visibleProblems,
  withField,
} from '../../../renderer/screens/wizard/draft'
import { quotaShortfall } from '../../../renderer/screens/wizard/quota'
import { lookUpPublicAddress } from '../../../electron/azure/public-address'

const subscriptionId = '00000000-0000-4000-8000-000000000001'

describe('which wizard problems show, and how they read', () => {
  it('starts with an autoscale maximum equal to the instance count', () => {
    const draft = initialDraft(subscriptionId)
    expect(draft.autoscale.maximum).toBe(draft.instanceCount)
    expect(draft.autoscale.default).toBe(draft.instanceCount)
  })

  it('shows nothing the person has not touched until Next, then everything of the step', () => {
    const draft = renamePool(initialDraft(subscriptionId), 'My Pool!')
    const problems = problemsOf(draft)
    // The group name follows the pool name, so it is invalid too, but untouched.
    expect(Object.keys(stepProblems(problems, 'basics')).sort()).toEqual([
      'poolName',
      'resourceGroup.name',
    ])
    const before = visibleProblems(draft, problems, {
      checked: false,
      touched: ['poolName'],
      found: {},
    })
    expect(Object.keys(stepProblems(before, 'basics'))).toEqual(['poolName'])
    expect(before.poolName).toMatch(/use lowercase letters; spaces and '!' are not allowed/)
    // After Next: the group says why it is wrong (it is made from the pool name).
    const after = visibleProblems(draft, problems, { checked: true, touched: [], found: {} })
    expect(after['resourceGroup.name']).toBe(
      'Made from the pool name “My Pool!”, which is not valid yet: it follows once the pool name is fixed on Basics.',
    )
  })

  it('shows a problem that follows from a touched answer, with its reason', () => {
    const draft = withField(
      withField(initialDraft(subscriptionId), 'autoscale.minimum', 5),
      'autoscale.maximum',
      3,
    )
    const shown = visibleProblems(draft, problemsOf(draft), {
      checked: false,
      touched: ['autoscale.maximum'],
      found: {},
    })
    expect(shown).toEqual({
      'autoscale.minimum': 'The minimum (5) cannot be above the maximum (3).',
    })
  })

  it('always shows problems found from loaded data (quota)', () => {
    const draft = initialDraft(subscriptionId)
    expect(
      visibleProblems(draft, {}, { checked: false, touched: [], found: { instanceCount: 'x' } }),
    ).toEqual({ instanceCount: 'x' })
  })
})

describe('quota on the Machines step', () => {
  const size = (free: number): VmSizeInfo => ({
    name: 'Standard_D4s_v5',
    family: 'standardDSv5Family',
    vCPUs: 4,
    memoryGB: 16,
    gpus: 0,
    available: true,
    quota: {
      name: 'standardDSv5Family',
      displayName: 'Standard DSv5 Family vCPUs',
      limit: 100,
      used: 100 - free,
    },
  })

  it('is a problem when the count needs more vCPUs than are free, and says the numbers', () => {
    expect(quotaShortfall(size(64), 16)).toBeUndefined()
    expect(quotaShortfall(size(64), 100)).toBe(
      'Not enough quota: 100 instances of Standard_D4s_v5 need 400 vCPUs, but only 64 of your 100 Standard DSv5 Family vCPUs are free in this region.',
    )
    expect(quotaShortfall(size(0), 1)).toBe(
      'None of your 100 Standard DSv5 Family vCPUs are free in this region, so no Standard_D4s_v5 can start (1 instance need 4).',
    )
  })
})

describe('looking up the public address', () => {
  const reply = (status: number, text: string) => async () => ({ status, headers: {}, text })

  it('turns the service’s answer into a range of one address', async () => {
    await expect(
      lookUpPublicAddress(reply(200, '{"ip":"198.51.100.7"}'), 'https://x'),
    ).resolves.toEqual({ address: '198.51.100.7', range: '198.51.100.7/32' })
    await expect(
      lookUpPublicAddress(reply(200, '{"ip":"2001:db8::1"}'), 'https://x'),
    ).resolves.toEqual({ address: '2001:db8::1', range: '2001:db8::1/128' })
  })

  it.each([
    ['a failed answer', reply(503, 'busy')],
    ['not JSON', reply(200, '<html>')],
    ['not an address', reply(200, '{"ip":"1.2.3.4; rm -rf"}')],
    [
      'no answer',
      async () => {
        throw new Error('ENOTFOUND')
      },
    ],
  ])('says in words that it failed on %s', async (_what, get) => {
    await expect(lookUpPublicAddress(get, 'https://x')).rejects.toThrow(
      'Your public address could not be looked up. Add your address range by hand, or try again.',
    )
  })
})
