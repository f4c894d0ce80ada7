import { randomUUID } from 'node:crypto'
import type { RoleAssignment } from '@azure/arm-authorization'
import { AppError } from '../../../shared/errors'
import {
  builtInRoleIds,
  roleNameOfId,
  rolesOfTeamRole,
  teamRoleNames,
  teamRoleOf,
  type BuiltInRoleName,
  type DirectoryUser,
  type JoinRequest,
  type TeamMember,
  type TeamRole,
  type TeamView,
} from '../../../shared/team'
import type { ArmContext } from '../arm-context'
import { allowedBy } from '../deploy/preflight/permissions'
import { authorizationClient } from './authorization-client'
import { GraphClient } from './graph-client'

/**
 * A pool's team: members are the role assignments on the pool's resource group (docs/team.md
 * has the mapping), named through Microsoft Graph. What the signed-in user may do is read
 * from Azure (Microsoft.Authorization/permissions) before anything is attempted, and a
 * refusal says what they lack and who can help.
 */
export interface TeamPool {
  id: string
  name: string
  subscriptionId: string
  resourceGroup: string
  /** Linux pools can fall back to pool accounts (docs/team.md). */
  os?: 'Linux' | 'Windows'
}

export interface TeamServiceOptions {
  context(subscriptionId: string): Promise<ArmContext>
  pool(poolId: string): Promise<TeamPool>
  log?(message: string): void
}

/** Roles that let someone add members above or at the pool's group. */
const adminRoles = new Set<BuiltInRoleName>([
  'Owner',
  'User Access Administrator',
  'Role Based Access Control Administrator',
])

interface Snapshot {
  pool: TeamPool
  context: ArmContext
  scope: string
  me: DirectoryUser
  assignments: RoleAssignment[]
  canManage: boolean
  /** May change the scale set and read the share's keys: enough for pool accounts. */
  canSetPoolAccounts: boolean
}

const sameId = (a: string | undefined, b: string | undefined) =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase()

export class TeamService {
  constructor(private readonly options: TeamServiceOptions) {}

  async view(poolId: string): Promise<TeamView> {
    return this.describe(await this.snapshot(poolId))
  }

  async search(poolId: string, text: string): Promise<DirectoryUser[]> {
    const pool = await this.options.pool(poolId)
    const context = await this.options.context(pool.subscriptionId)
    return this.graph(context).search(text)
  }

  async add(poolId: string, userId: string, role: TeamRole): Promise<TeamView> {
    const snap = await this.snapshot(poolId)
    await this.requireManage(snap)
    const [person] = await this.graph(snap.context).usersByIds([userId])
    if (!person) {
      throw new AppError(
        'NotFound',
        'That person was not found in your organisation’s directory. Search again by name or email.',
      )
    }
    await this.grant(snap, person.id, role)
    return this.view(poolId)
  }

  async setRole(poolId: string, userId: string, role: TeamRole): Promise<TeamView> {
    const snap = await this.snapshot(poolId)
    await this.requireManage(snap)
    const other: TeamRole = role === 'Manager' ? 'User' : 'Manager'
    if (role === 'User') this.keepOneManager(snap, userId, 'make a User')
    await this.grant(snap, userId, role)
    const stale = rolesOfTeamRole[other].filter((r) => !rolesOfTeamRole[role].includes(r))
    await this.revoke(snap, userId, stale)
    return this.view(poolId)
  }

  async remove(poolId: string, userId: string): Promise<TeamView> {
    const snap = await this.snapshot(poolId)
    await this.requireManage(snap)
    this.keepOneManager(snap, userId, 'remove')
    await this.revoke(snap, userId, [...teamRoleNames])
    return this.view(poolId)
  }

  /** The message a non-member sends a Manager to be added, and to whom. */
  async joinRequest(poolId: string): Promise<JoinRequest> {
    const view = await this.describe(await this.snapshot(poolId))
    const to = view.admins.filter((a) => a.id !== view.me.id)
    const greeting = to.length
      ? `Hello ${to.map((a) => a.displayName.split(' ')[0]).join(', ')},`
      : 'Hello,'
    const pool = await this.options.pool(poolId)
    const text = [
      greeting,
      '',
      `Could you add me to the Data Science VM pool "${pool.name}" (resource group ${pool.resourceGroup}) as a User?`,
      '',
      `In DSVM Pool Manager: open the pool ${pool.name}, go to Team, choose "Add member", search for ${view.me.email} and choose User.`,
      '',
      'Thank you,',
      `${view.me.displayName} (${view.me.email})`,
    ].join('\n')
    return { text, to }
  }

  /**
   * After a deployment: its creator becomes the pool's first Manager, when they may assign
   * roles on the group; otherwise nothing changes (their subscription role already covers it).
   */
  async makeCreatorManager(subscriptionId: string, resourceGroup: string): Promise<boolean> {
    const context = await this.options.context(subscriptionId)
    const scope = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`
    const client = authorizationClient(context)
    const permissions = await collect(client.permissions.listForResourceGroup(resourceGroup))
    if (!allowedBy(permissions, 'Microsoft.Authorization/roleAssignments/write')) return false
    const me = await this.graph(context).me()
    const assignments = await collect(
      client.roleAssignments.listForScope(scope, { filter: 'atScope()' }),
    )
    await this.grant({ context, scope, assignments } as Snapshot, me.id, 'Manager')
    return true
  }

  // ---- internals ----------------------------------------------------------------------------

  private graph(context: ArmContext): GraphClient {
    return new GraphClient(context.cloud, context.credential, context.tlsCa)
  }

  private async snapshot(poolId: string): Promise<Snapshot> {
    const pool = await this.options.pool(poolId)
    const context = await this.options.context(pool.subscriptionId)
    const scope = `/subscriptions/${pool.subscriptionId}/resourceGroups/${pool.resourceGroup}`
    const client = authorizationClient(context)
    const [me, assignments, permissions] = await Promise.all([
      this.graph(context).me(),
      collect(client.roleAssignments.listForScope(scope, { filter: 'atScope()' })),
      collect(client.permissions.listForResourceGroup(pool.resourceGroup)),
    ])
    const canManage =
      allowedBy(permissions, 'Microsoft.Authorization/roleAssignments/write') &&
      allowedBy(permissions, 'Microsoft.Authorization/roleAssignments/delete')
    const canSetPoolAccounts =
      allowedBy(permissions, 'Microsoft.Compute/virtualMachineScaleSets/write') &&
      allowedBy(permissions, 'Microsoft.Storage/storageAccounts/listKeys/action')
    return { pool, context, scope, me, assignments, canManage, canSetPoolAccounts }
  }

  private rolesByPrincipal(snap: Snapshot, atGroupOnly: boolean): Map<string, BuiltInRoleName[]> {
    const byPrincipal = new Map<string, BuiltInRoleName[]>()
    for (const a of snap.assignments) {
      if (atGroupOnly && !sameId(a.scope, snap.scope)) continue
      const name = roleNameOfId(a.roleDefinitionId ?? '')
      if (!name || !a.principalId) continue
      const key = a.principalId.toLowerCase()
      byPrincipal.set(key, [...(byPrincipal.get(key) ?? []), name])
    }
    return byPrincipal
  }

  private async describe(snap: Snapshot): Promise<TeamView> {
    const members = [...this.rolesByPrincipal(snap, true)].flatMap(([id, roles]) => {
      const team = teamRoleOf(roles)
      return team ? [{ id, ...team }] : []
    })
    const above = this.rolesByPrincipal(snap, false)
    const adminIds = [...above]
      .filter(
        ([id, roles]) =>
          roles.some((r) => adminRoles.has(r)) ||
          members.some((m) => m.id === id && m.role === 'Manager'),
      )
      .map(([id]) => id)
    const people = await this.graph(snap.context).usersByIds([
      ...members.map((m) => m.id),
      ...adminIds,
    ])
    const person = (id: string): DirectoryUser =>
      people.find((p) => sameId(p.id, id)) ?? {
        id,
        displayName: 'Someone outside your directory',
        email: id,
        guest: true,
      }
    const teamMembers: TeamMember[] = members
      .map((m) => ({
        ...person(m.id),
        role: m.role,
        missing: m.missing,
        isMe: sameId(m.id, snap.me.id),
      }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
    const myRole = teamMembers.find((m) => m.isMe)?.role
    const view: TeamView = {
      poolId: snap.pool.id,
      members: teamMembers,
      me: { ...snap.me, ...(myRole ? { role: myRole } : {}) },
      canManage: snap.canManage,
      admins: adminIds.map(person).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    }
    if (!snap.canManage) view.reason = this.reason(snap, view)
    return view
  }

  /** What the signed-in user lacks to manage members, and the fix. */
  private reason(snap: Snapshot, view: TeamView): string {
    const mine = snap.assignments.filter((a) => sameId(a.principalId, snap.me.id))
    const atSubscription = mine
      .filter((a) => !sameId(a.scope, snap.scope))
      .map((a) => roleNameOfId(a.roleDefinitionId ?? ''))
      .filter((r): r is BuiltInRoleName => !!r)
    const who = atSubscription.length
      ? `You are ${[...new Set(atSubscription)].join(' and ')} on this subscription`
      : view.me.role
        ? `You are a ${view.me.role} of this pool`
        : 'You are not a member of this pool'
    const others = view.admins.filter((a) => !sameId(a.id, snap.me.id))
    const ask = others.length
      ? `Ask ${others.map((a) => `${a.displayName} (${a.email})`).join(' or ')} to add members, or to make you a Manager of this pool.`
      : 'Ask an Owner of the subscription to add members, or to make you a Manager of this pool.'
    const fallback =
      snap.pool.os === 'Linux' && snap.canSetPoolAccounts
        ? ' Or use pool accounts: you may change this pool, so each teammate can make their own account under Pool accounts.'
        : ''
    return `${who}: adding members needs Owner or User Access Administrator on the subscription, or Manager of this pool. ${ask}${fallback}`
  }

  private async requireManage(snap: Snapshot): Promise<void> {
    if (!snap.canManage) {
      const view = await this.describe(snap)
      throw new AppError('Forbidden', view.reason!)
    }
  }

  private keepOneManager(snap: Snapshot, userId: string, what: string): void {
    const managers = [...this.rolesByPrincipal(snap, true)]
      .filter(([, roles]) => teamRoleOf(roles)?.role === 'Manager')
      .map(([id]) => id)
    if (managers.length === 1 && sameId(managers[0], userId)) {
      throw new AppError(
        'Validation',
        `This is the pool’s only Manager: make someone else a Manager before you ${what} them.`,
      )
    }
  }

  private async grant(snap: Snapshot, userId: string, role: TeamRole): Promise<void> {
    const client = authorizationClient(snap.context)
    const held = new Set(
      snap.assignments
        .filter((a) => sameId(a.scope, snap.scope) && sameId(a.principalId, userId))
        .map((a) => roleNameOfId(a.roleDefinitionId ?? '')),
    )
    for (const name of rolesOfTeamRole[role]) {
      if (held.has(name)) continue
      try {
        await client.roleAssignments.create(snap.scope, randomUUID(), {
          roleDefinitionId: `/subscriptions/${snap.context.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoleIds[name]}`,
          principalId: userId,
          principalType: 'User',
        })
      } catch (error) {
        if ((error as { code?: string }).code !== 'RoleAssignmentExists') throw error
      }
    }
  }

  private async revoke(snap: Snapshot, userId: string, roles: BuiltInRoleName[]): Promise<void> {
    const client = authorizationClient(snap.context)
    const wanted = new Set(roles)
    for (const a of snap.assignments) {
      const name = roleNameOfId(a.roleDefinitionId ?? '')
      if (!name || !wanted.has(name)) continue
      if (!sameId(a.scope, snap.scope) || !sameId(a.principalId, userId)) continue
      await client.roleAssignments.delete(snap.scope, a.name!)
    }
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
