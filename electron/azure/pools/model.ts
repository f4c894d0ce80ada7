import type { VirtualMachineScaleSet, VirtualMachineScaleSetVM } from '@azure/arm-compute'
import type { LoadBalancer } from '@azure/arm-network'
import type { PoolInstance, PoolSummary } from '../../../shared/pools'
import { poolTags } from '../../../shared/pool-tags'
import { isChangingInstance } from '../../../shared/pool-state'

/**
 * Pure translations from what Azure returns to what the app shows: instances from the VM list
 * (with $expand=instanceView), SSH ports from the load balancer's NAT rules, and the pool's
 * state from both. No I/O here, so every rule is unit-tested.
 */

/** "PowerState/running" → "running"; unknown while Azure has not reported one. */
export function powerStateOf(vm: VirtualMachineScaleSetVM): string {
  const code = vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code
  return code ? code.slice('PowerState/'.length) : 'unknown'
}

/** SSH (or RDP) frontend port per instance id, from NAT rules whose backend is the scale set. */
export function natPortsByInstance(
  loadBalancer: LoadBalancer | undefined,
  scaleSetId: string,
): Map<string, number> {
  const ports = new Map<string, number>()
  const prefix = `${scaleSetId.toLowerCase()}/virtualmachines/`
  for (const rule of loadBalancer?.inboundNatRules ?? []) {
    const backend = rule.backendIPConfiguration?.id?.toLowerCase()
    if (!backend?.startsWith(prefix) || rule.frontendPort === undefined) continue
    const instanceId = backend.slice(prefix.length).split('/')[0]!
    // One port per instance: the first rule (SSH on Linux pools, RDP on Windows pools).
    if (!ports.has(instanceId)) ports.set(instanceId, rule.frontendPort)
  }
  return ports
}

export function instanceOf(vm: VirtualMachineScaleSetVM, ports: Map<string, number>): PoolInstance {
  const instanceId = vm.instanceId ?? vm.name?.split('_').pop() ?? ''
  const port = ports.get(instanceId)
  return {
    instanceId,
    name: vm.name ?? instanceId,
    ...(vm.instanceView?.computerName || vm.osProfile?.computerName
      ? { computerName: vm.instanceView?.computerName ?? vm.osProfile?.computerName }
      : {}),
    powerState: powerStateOf(vm),
    provisioningState: vm.provisioningState ?? 'Unknown',
    ...(port !== undefined ? { sshPort: port } : {}),
    protectedFromScaleIn: vm.protectionPolicy?.protectFromScaleIn === true,
    latestModelApplied: vm.latestModelApplied !== false,
  }
}

/** An instance Azure is still creating, starting, stopping or deleting. */
export const isChanging = (instance: PoolInstance): boolean => isChangingInstance(instance)

export const isRunning = (instance: PoolInstance) =>
  instance.powerState === 'running' && instance.provisioningState !== 'Deleting'

/** Instances that are allocated or keep a disk: deallocated and stopped ones pay for disks. */
export function countsOf(instances: readonly PoolInstance[]): {
  total: number
  running: number
  deallocated: number
} {
  const present = instances.filter((i) => i.provisioningState !== 'Deleting')
  const running = present.filter(isRunning).length
  return { total: present.length, running, deallocated: present.length - running }
}

export function restoreCapacityOf(tags: Record<string, string> | undefined): number | undefined {
  const raw = tags?.[poolTags.restoreCapacity]
  if (raw === undefined) return undefined
  const n = Number(raw)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

export function osOf(scaleSet: VirtualMachineScaleSet): 'Linux' | 'Windows' {
  const profile = scaleSet.virtualMachineProfile
  if (profile?.osProfile?.windowsConfiguration) return 'Windows'
  if (profile?.osProfile?.linuxConfiguration) return 'Linux'
  const image = profile?.storageProfile?.imageReference
  return /windows/i.test(`${image?.publisher ?? ''} ${image?.offer ?? ''}`) ? 'Windows' : 'Linux'
}

/** Which fields of two pool summaries differ (for "pushes only what changed"). */
export function summaryChanged(a: PoolSummary | undefined, b: PoolSummary): boolean {
  return JSON.stringify(a) !== JSON.stringify(b)
}

/** Changed or new instances, and ids of those gone, between two polls. */
export function diffInstances(
  before: readonly PoolInstance[],
  after: readonly PoolInstance[],
): { upserts: PoolInstance[]; removed: string[] } {
  const old = new Map(before.map((i) => [i.instanceId, JSON.stringify(i)]))
  const upserts = after.filter((i) => old.get(i.instanceId) !== JSON.stringify(i))
  const present = new Set(after.map((i) => i.instanceId))
  const removed = before.map((i) => i.instanceId).filter((id) => !present.has(id))
  return { upserts, removed }
}

export function parseScaleSetId(id: string): {
  subscriptionId: string
  resourceGroup: string
  name: string
} {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)$/i.exec(
      id,
    )
  if (!m) throw new Error(`Not a scale set id: ${id}`)
  return { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! }
}
