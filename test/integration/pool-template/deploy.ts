import { request as httpsRequest } from 'node:https'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ComputeManagementClient } from '@azure/arm-compute'
import { MonitorClient } from '@azure/arm-monitor'
import { NetworkManagementClient } from '@azure/arm-network'
import { ResourceManagementClient } from '@azure/arm-resources'
import { StorageManagementClient } from '@azure/arm-storage'
import type { InternalRequest } from '../../../sandbox/core/context'
import { poolSpecSchema, poolDeploymentName, type PoolSpec } from '../../../shared/pool-spec'
import { toParameterFile, type KeyAccess } from '../../../shared/parameter-file'
import type { TestSandbox } from '../sandbox/harness'
import { deploymentsClient } from '../sandbox/deployments/deployments-client'

/** Deploys resources/templates/dsvm-pool.json to the sandbox the way the app will. */

const root = resolve(__dirname, '../../..')
export const poolTemplate = JSON.parse(
  readFileSync(resolve(root, 'resources/templates/dsvm-pool.json'), 'utf8'),
) as unknown
export const mountScripts = {
  Linux: readFileSync(resolve(root, 'resources/scripts/mount-share.sh'), 'utf8'),
  Windows: readFileSync(resolve(root, 'resources/scripts/mount-share.ps1'), 'utf8'),
}

export const owner = 'ada@contoso.example'
export const sshKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop'

export function clientsFor(test: TestSandbox) {
  const credential = test.credential()
  const subscriptionId = test.sandbox.subscriptionId
  const options = { endpoint: test.sandbox.armEndpoint, tlsOptions: { ca: test.sandbox.caCert } }
  return {
    resources: new ResourceManagementClient(credential, subscriptionId, options),
    compute: new ComputeManagementClient(credential, subscriptionId, options),
    network: new NetworkManagementClient(credential, subscriptionId, options),
    storage: new StorageManagementClient(credential, subscriptionId, options),
    monitor: new MonitorClient(credential, subscriptionId, options),
    deployments: deploymentsClient(test, credential),
  }
}

/** A complete, valid spec; `changes` override parts of it. */
export function poolSpec(test: TestSandbox, changes: Partial<PoolSpec>): PoolSpec {
  const poolName = changes.poolName ?? 'teampool'
  return poolSpecSchema.parse({
    subscriptionId: test.sandbox.subscriptionId,
    resourceGroup: { mode: 'new', name: `${poolName}-rg` },
    location: 'westeurope',
    poolName,
    osType: 'Linux',
    vmSku: 'Standard_D4s_v5',
    instanceCount: 2,
    priority: 'Regular',
    evictionPolicy: 'Deallocate',
    maxPrice: -1,
    autoscale: { enabled: true, minimum: 0, maximum: 4, default: 2, schedule: null },
    adminUsername: 'dsvmadmin',
    sshPublicKey: sshKey,
    allowedSourceRanges: ['203.0.113.0/24', '198.51.100.7'],
    network: { access: 'Public', dnsLabel: poolName },
    storage: {
      mode: 'new',
      accountName: `${poolName.replace(/-/g, '')}files`,
      shareName: 'notebooks',
      mountpointPath: '/mnt/dsvmshare',
    },
    tags: { team: 'ml' },
    ...changes,
  })
}

/** Records the request bodies the deployment sends to the providers (to see protectedSettings). */
export function recordProviderRequests(test: TestSandbox) {
  const context = test.sandbox.context
  const dispatch = context.dispatch
  const requests: InternalRequest[] = []
  context.dispatch = (request) => {
    requests.push(request)
    return dispatch(request)
  }
  return {
    requests,
    scaleSetPut(pool: string) {
      const put = requests.find(
        (r) =>
          r.method === 'PUT' &&
          new RegExp(`/virtualMachineScaleSets/${pool}(\\?|$)`, 'i').test(r.path),
      )
      if (!put) throw new Error(`The deployment sent no PUT for scale set ${pool}`)
      return put.body as ScaleSetBody
    },
    stop: () => {
      context.dispatch = dispatch
    },
  }
}

export interface ScaleSetBody {
  identity?: { type: string; userAssignedIdentities: Record<string, unknown> } | null
  properties: {
    virtualMachineProfile: {
      osProfile: { customData?: string | null }
      extensionProfile: {
        extensions: Array<{
          name: string
          properties: {
            publisher: string
            type: string
            settings: { commandToExecute?: string }
            protectedSettings: { script?: string } | null
          }
        }>
      }
    }
  }
}

export async function deployPool(
  test: TestSandbox,
  spec: PoolSpec,
  inputs: { storageAccountKey?: string; keyAccess?: KeyAccess } = {},
) {
  const { resources, deployments } = clientsFor(test)
  if (spec.resourceGroup.mode === 'new')
    await resources.resourceGroups.createOrUpdate(spec.resourceGroup.name, {
      location: spec.location,
    })
  const file = toParameterFile(spec, {
    mountScript: mountScripts[spec.osType],
    owner,
    ...inputs,
  })
  const name = poolDeploymentName(spec.poolName)
  const deployment = await deployments.beginCreateOrUpdateAndWait(spec.resourceGroup.name, name, {
    properties: { mode: 'Incremental', template: poolTemplate, parameters: file.parameters },
  })
  return { deployment, name, parameterFile: file }
}

/** A plain GET on the sandbox's Resource Manager, for answers the SDK clients do not model. */
export async function armGet<T>(test: TestSandbox, path: string): Promise<T> {
  const answer = await armRequest(test, 'GET', path)
  if (answer.status !== 200)
    throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body)}`)
  return answer.body as T
}

/** A plain request to the sandbox's Resource Manager as one of its users (Ada by default). */
export async function armRequest(
  test: TestSandbox,
  method: 'GET' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  username?: string,
): Promise<{ status: number; body: unknown }> {
  const token = await test.credential(username).getToken('https://management.azure.com/.default')
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((resolvePromise, reject) => {
    const request = httpsRequest(
      `${test.sandbox.armEndpoint}${path}`,
      {
        method,
        ca: test.sandbox.caCert,
        headers: {
          authorization: `Bearer ${token!.token}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
        response.on('end', () =>
          resolvePromise({
            status: response.statusCode!,
            body: text ? (JSON.parse(text) as unknown) : undefined,
          }),
        )
      },
    )
    request.on('error', reject)
    request.end(payload)
  })
}
