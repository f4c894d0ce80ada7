import { poolSpecSchema, type PoolSpec } from '../../../shared/pool-spec'

export const sshKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop'

/** A complete, valid Linux pool spec; `changes` override parts of it. */
export function linuxSpec(changes: Partial<PoolSpec> = {}): PoolSpec {
  return poolSpecSchema.parse({
    subscriptionId: '00000000-0000-4000-8000-000000000001',
    resourceGroup: { mode: 'new', name: 'ml-pools' },
    location: 'westeurope',
    poolName: 'teampool',
    osType: 'Linux',
    vmSku: 'Standard_D4s_v5',
    instanceCount: 2,
    priority: 'Regular',
    evictionPolicy: 'Deallocate',
    maxPrice: -1,
    autoscale: {
      enabled: true,
      minimum: 0,
      maximum: 4,
      default: 2,
      schedule: {
        days: ['Monday', 'Friday'],
        start: '08:00',
        end: '18:00',
        timeZone: 'Europe/Paris',
      },
    },
    adminUsername: 'dsvmadmin',
    sshPublicKey: sshKey,
    allowedSourceRanges: ['203.0.113.0/24'],
    network: { access: 'Public', dnsLabel: 'teampool' },
    storage: {
      mode: 'new',
      accountName: 'teampoolfiles',
      shareName: 'notebooks',
      mountpointPath: '/mnt/dsvmshare',
    },
    tags: { team: 'ml' },
    ...changes,
  })
}
