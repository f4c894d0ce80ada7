import { createHash } from 'node:crypto'
import type { SandboxState } from '../../core/state'
import { allAppPrincipals } from '../../seed/app-principals'
import { subscriptions, users } from '../../seed/directory'
import { roleById, roleByName, rolesAllow, type BuiltInRole } from './role-definitions'

/**
 * Role assignments, and Azure's rule for what a principal may do at a scope: the union of
 * every role assigned at that scope or above it. Subscription roles from the directory seed
 * and of the sandbox's service principals and managed identities (startSandbox's
 * `identities`) are live assignments at subscription scope (tests may change them);
 * assignments made through the API are stored; a deleted seed assignment leaves a
 * tombstone. Assignments on single resources (resource-role-assignments.ts, e.g. a pool
 * identity's role on its storage account) count too.
 */
export interface RoleAssignmentRecord {
  name: string
  scope: string
  roleId: string
  principalId: string
  principalType: 'User' | 'Group' | 'ServicePrincipal'
  createdOn: string
  updatedOn: string
  createdBy: string
  updatedBy: string
  description: string | null
}

const tableName = 'role-assignments'
const tombstones = 'role-assignment-tombstones'
const seedTime = '2026-01-05T09:00:00.0000000Z'

/** A GUID derived from text, so seed assignments keep their names across restarts. */
export function stableGuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

interface SeedPrincipal {
  oid: string
  roles: Record<string, string>
  principalType: RoleAssignmentRecord['principalType']
}

/** Users of the directory, and the app principals this sandbox made (its context owns its state). */
function seedPrincipals(state: SandboxState): SeedPrincipal[] {
  const apps = allAppPrincipals().filter(
    (p) => (p.owner as { state?: unknown } | undefined)?.state === state,
  )
  return [
    ...users.map((u) => ({ oid: u.oid, roles: u.roles, principalType: 'User' as const })),
    ...apps.map((p) => ({
      oid: p.oid,
      roles: p.roles,
      principalType: 'ServicePrincipal' as const,
    })),
  ]
}

function seedAssignments(state: SandboxState): RoleAssignmentRecord[] {
  return seedPrincipals(state).flatMap((principal) =>
    Object.entries(principal.roles).map(([key, roleName]) => {
      // App principals' roles are keyed by the subscription id in lower case.
      const subscriptionId =
        subscriptions.find((s) => s.id.toLowerCase() === key.toLowerCase())?.id ?? key
      const scope = `/subscriptions/${subscriptionId}`
      return {
        name: stableGuid(`${scope}|${principal.oid}|${roleName}`),
        scope,
        roleId: roleByName(roleName)!.id,
        principalId: principal.oid,
        principalType: principal.principalType,
        createdOn: seedTime,
        updatedOn: seedTime,
        createdBy: principal.oid,
        updatedBy: principal.oid,
        description: null,
      }
    }),
  )
}

export const assignmentTable = (state: SandboxState) => state.table<RoleAssignmentRecord>(tableName)

/** Every assignment in force, in every scope. */
export function allAssignments(state: SandboxState): RoleAssignmentRecord[] {
  const removed = state.table<true>(tombstones)
  return [
    ...seedAssignments(state).filter((a) => !removed.has(a.name)),
    ...assignmentTable(state)
      .values()
      .filter((a) => scopeExists(state, a)),
  ]
}

/**
 * Deleting a resource group deletes the role assignments in it, as Azure does: a stored
 * assignment whose group is gone is dropped (so a new group of the same name starts empty).
 */
function scopeExists(state: SandboxState, assignment: RoleAssignmentRecord): boolean {
  const group = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)/i.exec(assignment.scope)?.[1]
  if (!group || state.table('resourceGroups').has(group)) return true
  assignmentTable(state).delete(assignment.name)
  return false
}

export function deleteAssignment(state: SandboxState, name: string): boolean {
  if (assignmentTable(state).delete(name)) return true
  if (seedAssignments(state).some((a) => a.name === name.toLowerCase())) {
    const removed = state.table<true>(tombstones)
    if (removed.has(name)) return false
    removed.set(name, true)
    return true
  }
  return false
}

const lower = (s: string) => s.toLowerCase().replace(/\/+$/, '')

/** Does an assignment at `scope` apply to `path` (the scope itself or anything below it)? */
export function scopeCovers(scope: string, path: string): boolean {
  const s = lower(scope)
  const p = lower(path)
  return p === s || p.startsWith(`${s}/`)
}

/** Assignments on single resources, kept by resource-role-assignments.ts. */
function resourceAssignments(
  state: SandboxState,
): Array<{ scope: string; roleId: string; principalId: string }> {
  return state
    .table<{ scope: string; roleDefinitionId: string; principalId: string }>(
      'resourceRoleAssignments',
    )
    .values()
    .map((a) => ({ scope: a.scope, roleId: a.roleDefinitionId, principalId: a.principalId }))
}

/** The roles a principal holds at a path, inherited from every scope above it. */
export function rolesAt(state: SandboxState, principalId: string, path: string): BuiltInRole[] {
  return [...allAssignments(state), ...resourceAssignments(state)]
    .filter((a) => a.principalId.toLowerCase() === principalId.toLowerCase())
    .filter((a) => scopeCovers(a.scope, path))
    .flatMap((a) => roleById(a.roleId) ?? [])
}

/** Has the principal any assignment in the subscription (at it, or at one of its groups)? */
export function hasAccessIn(state: SandboxState, principalId: string, subscriptionId: string) {
  return allAssignments(state).some(
    (a) =>
      a.principalId.toLowerCase() === principalId.toLowerCase() &&
      scopeCovers(`/subscriptions/${subscriptionId}`, a.scope),
  )
}

export function isAllowed(
  state: SandboxState,
  principalId: string,
  path: string,
  action: string,
): boolean {
  return rolesAllow(rolesAt(state, principalId, path), action)
}

/**
 * The RBAC action a request performs, as Azure names it: provider namespace, resource types
 * and a verb, e.g. Microsoft.Authorization/roleAssignments/write or
 * Microsoft.Compute/virtualMachineScaleSets/start/action. Routes that only read (what-if,
 * validate, cost queries) count as reads.
 */
export function actionOf(path: string, method: string, access: 'read' | 'write'): string {
  const segments = path.split('/').filter(Boolean)
  const lastProviders = segments.map((s) => s.toLowerCase()).lastIndexOf('providers')
  let types: string[]
  let trailing: string | undefined
  if (lastProviders >= 0 && segments[lastProviders + 1]) {
    const [namespace, ...rest] = segments.slice(lastProviders + 1)
    types = [namespace!]
    for (let i = 0; i < rest.length; i += 2) {
      if (rest[i + 1] === undefined) trailing = rest[i]
      else types.push(rest[i]!)
    }
  } else {
    // /subscriptions/{id}[/resourceGroups/{name}][/collection]
    types = ['Microsoft.Resources', 'subscriptions']
    if (segments[2]?.toLowerCase() === 'resourcegroups') types.push('resourceGroups')
    const tail = segments.length % 2 === 1 ? segments[segments.length - 1] : undefined
    if (tail && tail.toLowerCase() !== 'resourcegroups') trailing = tail
  }
  if (trailing && method === 'POST' && access === 'write')
    return [...types, trailing, 'action'].join('/')
  if (trailing) types.push(trailing)
  const verb = access === 'read' ? 'read' : method === 'DELETE' ? 'delete' : 'write'
  return [...types, verb].join('/')
}

/** Roles of a pool Manager (shared/team.ts): Contributor, VM Administrator Login, RBAC Administrator. */
const managerRoleIds = [
  'b24988ac-6180-42a0-ab88-20f7382dd24c',
  '1c0163c0-47e6-4577-8991-ea5c82e286e4',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
]

/** Seeds: the principal becomes Manager of the pool in `scope` (a resource group). */
export function makeManager(state: SandboxState, scope: string, principalId: string): void {
  for (const roleId of managerRoleIds) {
    const name = stableGuid(`${scope}|${principalId}|${roleId}`)
    assignmentTable(state).set(name, {
      name,
      scope,
      roleId,
      principalId,
      principalType: 'User',
      createdOn: seedTime,
      updatedOn: seedTime,
      createdBy: principalId,
      updatedBy: principalId,
      description: null,
    })
  }
}
