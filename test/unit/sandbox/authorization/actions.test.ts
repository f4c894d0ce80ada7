import { describe, expect, it } from 'vitest'
import { actionOf, scopeCovers } from '../../../../sandbox/arm/authorization/access'
import { roleByName, rolesAllow } from '../../../../sandbox/arm/authorization/role-definitions'

const sub = '/subscriptions/00000000-0000-4000-8000-000000000001'
const group = `${sub}/resourceGroups/rg-pool`

describe('the RBAC action of a request', () => {
  it('names provider, types and verb as Azure does', () => {
    expect(
      actionOf(`${group}/providers/Microsoft.Authorization/roleAssignments/abc`, 'PUT', 'write'),
    ).toBe('Microsoft.Authorization/roleAssignments/write')
    expect(
      actionOf(
        `${group}/providers/Microsoft.Compute/virtualMachineScaleSets/pool/virtualMachines/0`,
        'DELETE',
        'write',
      ),
    ).toBe('Microsoft.Compute/virtualMachineScaleSets/virtualMachines/delete')
    expect(
      actionOf(
        `${group}/providers/Microsoft.Compute/virtualMachineScaleSets/pool/start`,
        'POST',
        'write',
      ),
    ).toBe('Microsoft.Compute/virtualMachineScaleSets/start/action')
    expect(actionOf(group, 'PUT', 'write')).toBe(
      'Microsoft.Resources/subscriptions/resourceGroups/write',
    )
    expect(actionOf(`${sub}/resourcegroups`, 'GET', 'read')).toBe(
      'Microsoft.Resources/subscriptions/resourceGroups/read',
    )
    // A POST that only reads (what-if, cost query) counts as a read.
    expect(actionOf(`${group}/providers/Microsoft.CostManagement/query`, 'POST', 'read')).toBe(
      'Microsoft.CostManagement/query/read',
    )
  })

  it('applies an assignment to its scope and everything below, case-insensitively', () => {
    expect(scopeCovers(sub, group)).toBe(true)
    expect(scopeCovers(group.toUpperCase(), `${group}/providers/x/y/z`)).toBe(true)
    expect(scopeCovers(`${sub}/resourceGroups/rg`, `${sub}/resourceGroups/rg-pool`)).toBe(false)
    expect(scopeCovers(group, sub)).toBe(false)
  })

  it('keeps a Contributor from assigning roles but lets Owner and User Access Administrator', () => {
    const write = 'Microsoft.Authorization/roleAssignments/write'
    expect(rolesAllow([roleByName('Contributor')!], write)).toBe(false)
    expect(
      rolesAllow([roleByName('Contributor')!], 'Microsoft.Compute/virtualMachineScaleSets/write'),
    ).toBe(true)
    expect(rolesAllow([roleByName('Owner')!], write)).toBe(true)
    expect(rolesAllow([roleByName('User Access Administrator')!], write)).toBe(true)
    expect(rolesAllow([roleByName('Reader')!], write)).toBe(false)
    // notActions of one role do not cancel another role's grant.
    expect(
      rolesAllow(
        [roleByName('Contributor')!, roleByName('Role Based Access Control Administrator')!],
        write,
      ),
    ).toBe(true)
  })
})
