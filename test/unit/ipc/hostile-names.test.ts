import { describe, expect, it } from 'vitest'
import { calls } from '../../../shared/api'
import { validName, validPath } from '../../../electron/azure/files/paths'

/*
 * Inputs the IPC fuzz (test/integration/fuzz) found reaching Azure requests as raw errors:
 * a name of periods only resolved as '.' or '..' in the request URL, an ETag with characters
 * a header cannot carry, half of a surrogate pair in a share path. Each is now a Validation
 * answer before any request.
 */

const poolId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool'
const subscriptionId = '00000000-0000-4000-8000-000000000001'

describe('names that would change the request URL', () => {
  it.each(['.', '..', '...'])('refuses the deployment name %j', (deploymentName) => {
    const ref = { subscriptionId, resourceGroup: 'rg-team-pool', deploymentName }
    expect(calls['deploy.cancel'].input.safeParse(ref).success).toBe(false)
    expect(calls['deploy.status'].input.safeParse(ref).success).toBe(false)
  })

  it.each(['.', '..', 'rg-pool.'])('refuses the resource group name %j', (resourceGroup) => {
    const ref = { subscriptionId, resourceGroup, deploymentName: 'dsvm-pool' }
    expect(calls['deploy.status'].input.safeParse(ref).success).toBe(false)
    const spend = { accountId: 'oid.tid', subscriptionId, resourceGroup }
    expect(calls['cost.spend'].input.safeParse(spend).success).toBe(false)
    const id = poolId.replace('rg-team-pool', resourceGroup)
    expect(calls['pools.instances'].input.safeParse({ poolId: id }).success).toBe(false)
  })

  it.each(['..', 'pool.'])('refuses the scale set name %j in a pool id', (name) => {
    const id = poolId.replace(/team-pool$/, name)
    expect(calls['pools.instances'].input.safeParse({ poolId: id }).success).toBe(false)
  })

  it('still takes names with periods inside', () => {
    const ref = { subscriptionId, resourceGroup: 'rg.team(1)', deploymentName: 'dsvm.pool.1' }
    expect(calls['deploy.status'].input.safeParse(ref).success).toBe(true)
    const id = poolId.replace('rg-team-pool', 'rg.team').replace(/team-pool$/, 'team.pool')
    expect(calls['pools.instances'].input.safeParse({ poolId: id }).success).toBe(true)
  })
})

describe('ETags sent back in If-Match', () => {
  it.each(['a\u0000b', 'line\r\nX-Injected: 1', '\u001b[31m', 'name\u202egnp', '\ud800'])(
    'refuses %j',
    (etag) => {
      expect(calls['pools.scale'].input.safeParse({ poolId, capacity: 1, etag }).success).toBe(
        false,
      )
      expect(calls['cost.setBudget'].input.safeParse({ poolId, budget: 1, etag }).success).toBe(
        false,
      )
    },
  )

  it("takes Azure's weak and strong ETags", () => {
    for (const etag of ['W/"datetime\'2026-12-06T08%3A00%3A00.0000000Z\'"', '"3"']) {
      expect(calls['pools.scale'].input.safeParse({ poolId, capacity: 1, etag }).success).toBe(true)
    }
  })
})

describe('share paths', () => {
  it('refuses half of a surrogate pair with a Validation error', () => {
    expect(() => validName('a\ud800b')).toThrow(expect.objectContaining({ code: 'Validation' }))
    expect(() => validPath('notes/\udc00.txt')).toThrow(
      expect.objectContaining({ code: 'Validation' }),
    )
  })

  it('takes whole characters outside the basic plane', () => {
    expect(validPath('notes/😀.txt')).toBe('notes/😀.txt')
  })
})
