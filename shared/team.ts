import { z } from 'zod'

/**
 * Who may use a pool, from Azure's truth: role assignments on the pool's resource group.
 * A member is a User or a Manager; each is a fixed set of Azure built-in roles (docs/team.md).
 */
export const teamRoles = ['User', 'Manager'] as const
export const teamRoleSchema = z.enum(teamRoles)
export type TeamRole = z.infer<typeof teamRoleSchema>

/** Azure built-in role definition ids (the same in every tenant and cloud). */
export const builtInRoleIds = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  'Role Based Access Control Administrator': 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  'Virtual Machine User Login': 'fb879df8-f326-4884-b1cf-06f3ad86be52',
  'Virtual Machine Administrator Login': '1c0163c0-47e6-4577-8991-ea5c82e286e4',
} as const
export type BuiltInRoleName = keyof typeof builtInRoleIds

/**
 * User: connect (sign in to instances as a regular user), see instances and cost.
 * Manager: also scale, schedule, budget and members; administrator on the instances.
 */
export const rolesOfTeamRole: Record<TeamRole, BuiltInRoleName[]> = {
  User: ['Reader', 'Virtual Machine User Login'],
  Manager: [
    'Contributor',
    'Virtual Machine Administrator Login',
    'Role Based Access Control Administrator',
  ],
}

export const roleNameOfId = (id: string): BuiltInRoleName | undefined => {
  const guid = id.split('/').pop()!.toLowerCase()
  return (Object.keys(builtInRoleIds) as BuiltInRoleName[]).find((n) => builtInRoleIds[n] === guid)
}

/** Roles the team mapping uses: assignments of other roles are not membership. */
export const teamRoleNames = new Set<BuiltInRoleName>([
  ...rolesOfTeamRole.User,
  ...rolesOfTeamRole.Manager,
])

/**
 * A member's team role from the built-in roles they hold on the pool's group: Manager as
 * soon as they hold one of the Manager roles, User otherwise. `missing` lists the roles of
 * that team role they lack (a partly made or partly removed membership), so a Manager can
 * repair it by setting the role again.
 */
export function teamRoleOf(
  roles: BuiltInRoleName[],
): { role: TeamRole; missing: BuiltInRoleName[] } | undefined {
  const held = new Set(roles.filter((r) => teamRoleNames.has(r)))
  if (held.size === 0) return undefined
  const role: TeamRole = rolesOfTeamRole.Manager.some((r) => held.has(r)) ? 'Manager' : 'User'
  return { role, missing: rolesOfTeamRole[role].filter((r) => !held.has(r)) }
}

export const directoryUserSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  /** Mail, or the sign-in name when there is no mail. */
  email: z.string(),
  guest: z.boolean(),
})
export type DirectoryUser = z.infer<typeof directoryUserSchema>

export const teamMemberSchema = directoryUserSchema.extend({
  role: teamRoleSchema,
  missing: z.array(z.string()),
  isMe: z.boolean(),
})
export type TeamMember = z.infer<typeof teamMemberSchema>

export const teamViewSchema = z.object({
  poolId: z.string(),
  members: z.array(teamMemberSchema),
  me: directoryUserSchema.extend({ role: teamRoleSchema.optional() }),
  /** May the signed-in user add, remove and change members? */
  canManage: z.boolean(),
  /** When not: what they lack and the fix, in words. */
  reason: z.string().optional(),
  /** People who can add members (Managers of the pool, owners above it), for "Ask to join". */
  admins: z.array(directoryUserSchema),
})
export type TeamView = z.infer<typeof teamViewSchema>

export const joinRequestSchema = z.object({
  /** The exact message to send. */
  text: z.string(),
  to: z.array(directoryUserSchema),
})
export type JoinRequest = z.infer<typeof joinRequestSchema>
