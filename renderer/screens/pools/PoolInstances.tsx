import { useMemo } from 'react'
import type { PoolInstance } from '../../../shared/pools'
import { InstancesTable, type InstanceActions } from './InstancesTable'
import { usePools } from './use-pools'

const noInstances: Record<string, PoolInstance> = {}

/**
 * A pool's instances table, subscribed to the store on its own: a poll that changes one
 * instance re-renders this table (and only the rows whose instance changed), not the whole
 * pool page with its spend, autoscale and files panels.
 */
export function PoolInstances({
  poolId,
  actions,
  os,
}: {
  poolId: string
  actions: InstanceActions
  os: 'Linux' | 'Windows'
}) {
  const byId = usePools((s) => s.instances[poolId.toLowerCase()] ?? noInstances)
  const instances = useMemo(() => Object.values(byId), [byId])
  return <InstancesTable instances={instances} actions={actions} os={os} />
}
