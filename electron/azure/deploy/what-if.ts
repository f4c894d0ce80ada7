import type { WhatIfPropertyChange } from '@azure/arm-resourcesdeployments'
import type { WhatIfChange, WhatIfResult } from '../../../shared/deploy'
import { poolDeploymentName, type PoolSpec } from '../../../shared/pool-spec'
import type { ArmClients } from './clients'
import { deploymentBody } from './deployment-body'
import type { TemplateFiles } from './template-files'

/**
 * ARM's what-if of the pool's deployment: which resources are created, changed or left alone.
 * What-if runs against an existing resource group; when the group is new, everything the
 * template declares for these answers is created, and that list is what is shown.
 */
export async function whatIf(
  spec: PoolSpec,
  clients: ArmClients,
  files: TemplateFiles,
  updateIntervalInMs = 2000,
): Promise<WhatIfResult> {
  const exists = await clients.resources.resourceGroups
    .checkExistence(spec.resourceGroup.name)
    .then((r) => r.body)
  if (!exists) return { source: 'newGroup', changes: plannedResources(spec) }
  const body = await deploymentBody(spec, clients, files)
  const result = await clients.deployments.deployments.whatIf(
    spec.resourceGroup.name,
    poolDeploymentName(spec.poolName),
    { properties: { ...body.properties, mode: 'Incremental' } },
    { updateIntervalInMs },
  )
  const changes = (result.changes ?? []).map((change): WhatIfChange => {
    const { type, name } = typeAndName(change.resourceId ?? '')
    return {
      resourceType: type,
      name,
      changeType: change.changeType as WhatIfChange['changeType'],
      changes: flattenDelta(change.delta ?? []).slice(0, 20),
    }
  })
  return { source: 'azure', changes: changes.sort(byType) }
}

const byType = (a: WhatIfChange, b: WhatIfChange) =>
  a.resourceType.localeCompare(b.resourceType) || a.name.localeCompare(b.name)

/** `/subscriptions/s/resourceGroups/g/providers/A.B/c/n/d/m` → `A.B/c/d`, `n/m`. */
export function typeAndName(resourceId: string): { type: string; name: string } {
  const match = /\/providers\/([^/]+)\/(.+)$/i.exec(resourceId)
  if (!match) return { type: 'Unknown', name: resourceId }
  const parts = match[2]!.split('/')
  const types = parts.filter((_, i) => i % 2 === 0)
  const names = parts.filter((_, i) => i % 2 === 1)
  return { type: [match[1], ...types].join('/'), name: names.join('/') }
}

function flattenDelta(delta: WhatIfPropertyChange[], prefix = ''): string[] {
  return delta.flatMap((change) => {
    const path = prefix ? `${prefix}.${change.path}` : change.path
    if (change.children?.length) return flattenDelta(change.children, path)
    const show = (value: unknown) =>
      value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value)
    return [`${path}: ${show(change.before)} → ${show(change.after)}`]
  })
}

/** What the template creates for these answers in a new group. */
export function plannedResources(spec: PoolSpec): WhatIfChange[] {
  const create = (resourceType: string, name: string): WhatIfChange => ({
    resourceType,
    name,
    changeType: 'Create',
    changes: [],
  })
  const pool = spec.poolName
  const list = [
    create('Microsoft.Network/networkSecurityGroups', `${pool}-nsg`),
    create('Microsoft.Network/virtualNetworks', `${pool}-vnet`),
    ...(spec.network.access === 'Public'
      ? [create('Microsoft.Network/publicIPAddresses', `${pool}-ip`)]
      : []),
    create('Microsoft.Network/loadBalancers', `${pool}-lb`),
    ...(spec.storage.mode === 'new'
      ? [
          create('Microsoft.Storage/storageAccounts', spec.storage.accountName),
          create(
            'Microsoft.Storage/storageAccounts/fileServices/shares',
            `${spec.storage.accountName}/default/${spec.storage.shareName}`,
          ),
        ]
      : []),
    create('Microsoft.Compute/virtualMachineScaleSets', pool),
    create('Microsoft.Insights/autoscalesettings', `${pool}-autoscale`),
  ]
  return list.sort(byType)
}
