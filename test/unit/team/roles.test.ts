import { describe, expect, it } from 'vitest'
import { builtInRoleIds, roleNameOfId, rolesOfTeamRole, teamRoleOf } from '../../../shared/team'

describe('the team role mapping', () => {
  it('maps User and Manager onto Azure built-in roles', () => {
    expect(rolesOfTeamRole.User).toEqual(['Reader', 'Virtual Machine User Login'])
    expect(rolesOfTeamRole.Manager).toEqual([
      'Contributor',
      'Virtual Machine Administrator Login',
      'Role Based Access Control Administrator',
    ])
  })

  it('reads a member back from the roles they hold', () => {
    expect(teamRoleOf(['Reader', 'Virtual Machine User Login'])).toEqual({
      role: 'User',
      missing: [],
    })
    expect(teamRoleOf([...rolesOfTeamRole.Manager])).toEqual({ role: 'Manager', missing: [] })
    // A half-made membership says what is missing.
    expect(teamRoleOf(['Virtual Machine User Login'])).toEqual({
      role: 'User',
      missing: ['Reader'],
    })
    expect(teamRoleOf(['Contributor', 'Reader'])).toEqual({
      role: 'Manager',
      missing: ['Virtual Machine Administrator Login', 'Role Based Access Control Administrator'],
    })
    // Roles outside the mapping are not membership.
    expect(teamRoleOf(['Owner'])).toBeUndefined()
    expect(teamRoleOf([])).toBeUndefined()
  })

  it('recognises a role definition by its full resource id, in any case', () => {
    const id = `/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/${builtInRoleIds['Virtual Machine User Login'].toUpperCase()}`
    expect(roleNameOfId(id)).toBe('Virtual Machine User Login')
    expect(
      roleNameOfId('/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/nope'),
    ).toBeUndefined()
  })
})
