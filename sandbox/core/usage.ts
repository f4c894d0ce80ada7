import type { SandboxState, Table } from './state'

/**
 * Metered usage, written by the providers that run things (compute, storage, network) and
 * read by Cost Management. An interval is open (`end` undefined) while the meter runs.
 */
export interface UsageInterval {
  id: string
  subscriptionId: string
  resourceGroup: string
  /** The billed resource: a scale set, a disk, a storage account, a public IP ... */
  resourceId: string
  /** Scale-set instance id when the meter is per instance. */
  instanceId?: string
  meter: 'compute' | 'osDisk' | 'filesStorage' | 'publicIp' | 'loadBalancer'
  /** VM size (Standard_D4s_v5), disk tier (P10, E10), share tier, 'Standard' for IP/LB. */
  sku: string
  location: string
  os?: 'Linux' | 'Windows'
  priority?: 'Regular' | 'Spot'
  /** Units per hour for non-compute meters, e.g. GiB for storage; 1 otherwise. */
  quantity: number
  /** Sandbox ms. */
  start: number
  end?: number
}

export class UsageLog {
  private readonly table: Table<UsageInterval>

  constructor(
    state: SandboxState,
    private readonly newId: () => string,
  ) {
    this.table = state.table<UsageInterval>('usage')
  }

  open(interval: Omit<UsageInterval, 'id' | 'end'>): string {
    const id = this.newId()
    this.table.set(id, { ...interval, id })
    return id
  }

  close(id: string, at: number): void {
    const interval = this.table.get(id)
    if (interval && interval.end === undefined) {
      interval.end = at
      this.table.touch()
    }
  }

  /** Adds a finished interval (demo history). */
  add(interval: Omit<UsageInterval, 'id'>): void {
    const id = this.newId()
    this.table.set(id, { ...interval, id })
  }

  list(filter: { subscriptionId: string; resourceGroup?: string }): UsageInterval[] {
    return this.table
      .values()
      .filter(
        (u) =>
          u.subscriptionId.toLowerCase() === filter.subscriptionId.toLowerCase() &&
          (!filter.resourceGroup ||
            u.resourceGroup.toLowerCase() === filter.resourceGroup.toLowerCase()),
      )
  }
}
