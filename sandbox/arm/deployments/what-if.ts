import type { SandboxContext } from '../../core/context'
import type { Principal } from '../../core/http'
import { parseResourceId, view } from '../../core/resources'
import { isExpression } from '../template/expression'
import { isSecureType } from '../template/parameters'
import type { PreparedTemplate } from '../template/template'
import { deepEqual, isObject, propertyOf, type ObjectValue, type Value } from '../template/value'
import { deploymentRuntime } from './runtime'

export interface WhatIfChange {
  resourceId: string
  changeType: 'Create' | 'Delete' | 'Modify' | 'NoChange' | 'Ignore'
  before?: ObjectValue
  after?: ObjectValue
  delta?: PropertyChange[]
}

export interface PropertyChange {
  path: string
  propertyChangeType: 'Create' | 'Delete' | 'Modify' | 'Array'
  before?: Value
  after?: Value
}

const mask = '*******'
/** What names the resource rather than describes it: never a change. */
const identityKeys = new Set(['apiVersion', 'id', 'type', 'name'])

/**
 * What a deployment would change, in the shape of Deployments_WhatIf: each template resource
 * compared with what exists (Create, Modify with a property delta, NoChange), and what the
 * group holds beyond the template (Ignore in Incremental mode, Delete in Complete mode).
 * Secrets never appear: protectedSettings and secure parameter values are masked, and
 * list*() results stay unevaluated.
 */
export async function whatIf(
  ctx: SandboxContext,
  prepared: PreparedTemplate,
  principal: Principal,
  target: { subscriptionId: string; resourceGroup: string; mode: 'Incremental' | 'Complete' },
): Promise<WhatIfChange[]> {
  const runtime = deploymentRuntime(ctx, principal, true)
  const secrets = [...prepared.parameters.values()]
    .filter((p) => isSecureType(p.type))
    .flatMap((p) => (typeof p.value === 'string' && p.value.length > 0 ? [p.value] : []))
  const changes: WhatIfChange[] = []
  const declared = new Set<string>()
  for (const resource of prepared.deploymentOrder()) {
    declared.add(resource.id.toLowerCase())
    const body = await prepared.resourceBody(resource, 'whatIf', runtime)
    const after = redact(
      {
        apiVersion: resource.apiVersion,
        id: resource.id,
        type: resource.type,
        name: resource.name.split('/').pop()!,
        ...body,
      },
      secrets,
    )
    const reply = await ctx.dispatch({
      method: 'GET',
      path: `${resource.id}?api-version=${encodeURIComponent(resource.apiVersion)}`,
      principal,
    })
    if (reply.status !== 200 || !isObject(reply.body)) {
      changes.push({ resourceId: resource.id, changeType: 'Create', after })
      continue
    }
    const before = redact(
      { apiVersion: resource.apiVersion, ...(reply.body as ObjectValue) },
      secrets,
    )
    const delta = Object.entries(after)
      .filter(([key]) => !identityKeys.has(key))
      .flatMap(([key, value]) => diff(propertyOf(before, key), value, key))
    changes.push(
      delta.length > 0
        ? { resourceId: resource.id, changeType: 'Modify', before, after, delta }
        : { resourceId: resource.id, changeType: 'NoChange', before, after },
    )
  }
  for (const existing of ctx.resources.list({
    subscriptionId: target.subscriptionId,
    resourceGroup: target.resourceGroup,
  })) {
    if (parseResourceId(existing.id)?.names.length !== 1 || declared.has(existing.id.toLowerCase()))
      continue
    const before = redact(view(existing) as ObjectValue, secrets)
    changes.push({
      resourceId: existing.id,
      changeType: target.mode === 'Complete' ? 'Delete' : 'Ignore',
      before,
    })
  }
  return changes
}

/** Property changes for what the template sets; read-only values it does not set are left alone. */
function diff(before: Value | undefined, after: Value, path: string): PropertyChange[] {
  // Unevaluated expressions and secrets cannot be compared.
  if (typeof after === 'string' && (isExpression(after) || after === mask)) return []
  if (after === null && (before === undefined || before === null)) return []
  if (isObject(after)) {
    if (!isObject(before)) {
      return before === undefined
        ? [{ path, propertyChangeType: 'Create', after }]
        : [{ path, propertyChangeType: 'Modify', before, after }]
    }
    return Object.entries(after).flatMap(([key, value]) => {
      const existingKey = Object.keys(before).find((k) => k.toLowerCase() === key.toLowerCase())
      return diff(
        existingKey === undefined ? undefined : before[existingKey],
        value,
        path ? `${path}.${key}` : key,
      )
    })
  }
  if (before === undefined) return [{ path, propertyChangeType: 'Create', after }]
  if (Array.isArray(after)) {
    if (Array.isArray(before) && before.length === after.length) {
      return after.flatMap((item, i) => diff(before[i], item, `${path}[${i}]`))
    }
    return [{ path, propertyChangeType: 'Array', before, after }]
  }
  return sameScalar(path, before, after)
    ? []
    : [{ path, propertyChangeType: 'Modify', before, after }]
}

/** Strings compare case-insensitively (ids, enums); locations also without spaces. */
function sameScalar(path: string, before: Value, after: Value): boolean {
  if (typeof before !== 'string' || typeof after !== 'string') return deepEqual(before, after)
  const normalize =
    path === 'location'
      ? (text: string) => text.replace(/\s+/g, '').toLowerCase()
      : (text: string) => text.toLowerCase()
  return normalize(before) === normalize(after)
}

function redact<T extends Value>(value: T, secrets: string[]): T {
  const walk = (item: Value): Value => {
    if (typeof item === 'string')
      return secrets.reduce((text, secret) => text.split(secret).join(mask), item)
    if (Array.isArray(item)) return item.map(walk)
    if (isObject(item)) {
      return Object.fromEntries(
        Object.entries(item).map(([key, inner]) => [
          key,
          key.toLowerCase() === 'protectedsettings' ? mask : walk(inner),
        ]),
      )
    }
    return item
  }
  return walk(value) as T
}
