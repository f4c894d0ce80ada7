import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { VirtualMachineScaleSet, VirtualMachineScaleSetExtension } from '@azure/arm-compute'
import { StorageManagementClient } from '@azure/arm-storage'
import { beforeAll, describe, expect, it } from 'vitest'
import { armRequest } from '../../pool-template/deploy'
import { sandboxForFile } from '../fixtures'
import {
  clientsFor,
  collect,
  createPoolNetwork,
  finish,
  poll,
  scaleSetModel,
  type Clients,
} from '../compute/pool'

/**
 * The sandbox runs the project's own instance script when instances are provisioned, in a
 * temporary root with stand-ins, and checks the share credentials against its own storage.
 */

const linux = process.platform === 'linux'
const names = { resourceGroup: 'rg-extensions', pool: 'extpool', location: 'eastus' }
const account = 'extpoolfiles'
const mountScript = readFileSync(join(process.cwd(), 'resources/scripts/mount-share.sh'), 'utf8')

const env = sandboxForFile({ timeScale: 600 })
let clients: Clients
let key: string

beforeAll(async () => {
  clients = clientsFor(env)
  await createPoolNetwork(env, clients, names)
  const storage = new StorageManagementClient(env.credential(), env.sandbox.subscriptionId, {
    endpoint: env.sandbox.armEndpoint,
    tlsOptions: { ca: env.sandbox.caCert },
  })
  await storage.storageAccounts.beginCreateAndWait(
    names.resourceGroup,
    account,
    { location: names.location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
    poll,
  )
  await storage.fileShares.create(names.resourceGroup, account, 'notebooks', {})
  key = (await storage.storageAccounts.listKeys(names.resourceGroup, account)).keys![0]!.value!
})

/** The Custom Script extension as the app's template writes it: exports, then the script. */
function mountExtension(values: { share?: string; key?: string; script?: string }) {
  const wrapper =
    `#!/bin/sh\nexport STORAGE_ACCOUNT_NAME='${account}' SHARE_NAME='${values.share ?? 'notebooks'}' MOUNT_POINT='/mnt/dsvmshare' STORAGE_SUFFIX='core.windows.net' ADMIN_USERNAME='azureuser'\n` +
    `export STORAGE_ACCOUNT_KEY='${values.key ?? key}'\nscript="$(mktemp)"\n` +
    `cat >"$script" <<'DSVM_POOL_MOUNT_SCRIPT'\n${values.script ?? mountScript}\nDSVM_POOL_MOUNT_SCRIPT\n` +
    `/bin/bash "$script" </dev/null\nstatus=$?\nrm -f "$script"\nexit $status\n`
  return {
    name: 'mount-share',
    publisher: 'Microsoft.Azure.Extensions',
    typePropertiesType: 'CustomScript',
    typeHandlerVersion: '2.1',
    autoUpgradeMinorVersion: true,
    settings: {},
    protectedSettings: { script: Buffer.from(wrapper).toString('base64') },
  } satisfies VirtualMachineScaleSetExtension & Record<string, unknown>
}

function withExtensions(
  pool: string,
  extensions: Array<Record<string, unknown>>,
): VirtualMachineScaleSet {
  // The pool's network, shared by every scale set of this file.
  const model = scaleSetModel(env, names, { capacity: 1 })
  model.virtualMachineProfile!.osProfile!.computerNamePrefix = pool
  model.virtualMachineProfile!.extensionProfile = {
    extensions: extensions.map(({ name, ...properties }) => ({
      name: String(name),
      ...properties,
    })) as VirtualMachineScaleSetExtension[],
  }
  return model
}

async function extensionStatus(pool: string) {
  const [vm] = await collect(
    clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, pool, {
      expand: 'instanceView',
    }),
  )
  return { vm: vm!, status: vm!.instanceView?.extensions?.[0]?.statuses?.[0] }
}

describe.skipIf(!linux)('extensions run when instances are provisioned', () => {
  it("runs the project's mount script, which mounts the share with the right key", async () => {
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        'goodpool',
        withExtensions('goodpool', [mountExtension({})]),
        poll,
      ),
    )
    const { vm, status } = await extensionStatus('goodpool')
    expect(status?.code).toBe('ProvisioningState/succeeded')
    expect(status?.message).toContain('Enable succeeded')
    expect(status?.message).toContain(`//${account}.file.core.windows.net/notebooks`)
    expect(status?.message).not.toContain('mount error')
    expect(status?.message).not.toContain(key)
    expect(vm.provisioningState).toBe('Succeeded')
  })

  it('reports the mount refused when the key is wrong (the script warns and carries on, as on Azure)', async () => {
    const wrong = Buffer.alloc(64, 7).toString('base64')
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        'wrongkey',
        withExtensions('wrongkey', [mountExtension({ key: wrong })]),
        poll,
      ),
    )
    const { status } = await extensionStatus('wrongkey')
    expect(status?.message).toContain('mount error(13): Permission denied')
  })

  it('fails the operation with VMExtensionProvisioningError when the script fails', async () => {
    const error = await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        'badshare',
        withExtensions('badshare', [mountExtension({ share: 'Bad_Share' })]),
        poll,
      ),
    ).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    )
    // core-lro reports a failed operation as 'The long-running operation has failed. <code>. <message>'.
    expect(error?.message).toContain(
      "VMExtensionProvisioningError. VM has reported a failure when processing extension 'mount-share'",
    )
    expect(error?.message).toContain('share name is not valid')
    const { vm, status } = await extensionStatus('badshare')
    expect(status?.code).toBe('ProvisioningState/failed/1')
    expect(vm.provisioningState).toBe('Failed')
  })

  it('accepts any other script or extension and reports it as not emulated, never running it', async () => {
    const foreign = mountExtension({ script: 'touch /tmp/should-never-run-in-the-sandbox' })
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        'foreign',
        withExtensions('foreign', [
          foreign,
          {
            name: 'monitoring',
            publisher: 'Microsoft.Azure.Monitor',
            typePropertiesType: 'AzureMonitorLinuxAgent',
            typeHandlerVersion: '1.0',
          },
        ]),
        poll,
      ),
    )
    const [vm] = await collect(
      clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, 'foreign', {
        expand: 'instanceView',
      }),
    )
    const messages = vm!.instanceView!.extensions!.map((e) => e.statuses![0]!.message)
    expect(messages).toHaveLength(2)
    for (const message of messages) expect(message).toMatch(/^Not emulated/)
  })
})

/** The extension as the template writes it for a pool whose identity reads the key. */
function identityExtension(clientId: string) {
  const accountId = `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${names.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account}`
  const wrapper =
    `#!/bin/sh\nexport STORAGE_ACCOUNT_NAME='${account}' SHARE_NAME='notebooks' MOUNT_POINT='/mnt/dsvmshare' STORAGE_SUFFIX='core.windows.net'\n` +
    `export KEY_SOURCE=identity IDENTITY_CLIENT_ID='${clientId}' STORAGE_ACCOUNT_ID='${accountId}' ARM_ENDPOINT='${env.sandbox.armEndpoint}/'\n` +
    `script="$(mktemp)"\ncat >"$script" <<'DSVM_POOL_MOUNT_SCRIPT'\n${mountScript}\nDSVM_POOL_MOUNT_SCRIPT\n` +
    `/bin/bash "$script" </dev/null\nstatus=$?\nrm -f "$script"\nexit $status\n`
  return {
    ...mountExtension({}),
    protectedSettings: { script: Buffer.from(wrapper).toString('base64') },
  }
}

describe.skipIf(!linux)("the instances' metadata service and the pool's identity", () => {
  const identities: Record<string, { id: string; clientId: string; principalId: string }> = {}

  beforeAll(async () => {
    for (const name of ['reads-keys', 'no-role']) {
      const path = `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${names.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`
      const created = await armRequest(env, 'PUT', `${path}?api-version=2024-11-30`, {
        location: names.location,
      })
      expect(created.status).toBe(201)
      const body = created.body as {
        id: string
        properties: { clientId: string; principalId: string }
      }
      identities[name] = { id: body.id, ...body.properties }
    }
    const accountId = `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${names.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account}`
    const assigned = await armRequest(
      env,
      'PUT',
      `${accountId}/providers/Microsoft.Authorization/roleAssignments/5d2f0c1e-7a3b-4c8d-9e0f-1a2b3c4d5e6f?api-version=2022-04-01`,
      {
        properties: {
          roleDefinitionId: `/subscriptions/${env.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/c12c1c16-33a1-487b-954d-41c89c60f349`,
          principalId: identities['reads-keys']!.principalId,
          principalType: 'ServicePrincipal',
        },
      },
    )
    expect(assigned.status).toBe(201)
  })

  async function provision(pool: string, attached: string, asks: string) {
    const model = withExtensions(pool, [identityExtension(identities[asks]!.clientId)])
    model.identity = {
      type: 'UserAssigned',
      userAssignedIdentities: { [identities[attached]!.id]: {} },
    }
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        pool,
        model,
        poll,
      ),
    )
    return (await extensionStatus(pool)).status
  }

  it("mounts the share with the key the scale set's identity lists through Resource Manager", async () => {
    const status = await provision('idpool', 'reads-keys', 'reads-keys')
    expect(status?.code).toBe('ProvisioningState/succeeded')
    expect(status?.message).not.toContain('did not list')
    expect(status?.message).not.toContain('no storage key yet')
    expect(status?.message).not.toContain('mount error')
    expect(status?.message).toContain(`//${account}.file.core.windows.net/notebooks`)
    expect(status?.message).not.toContain(key)
  })

  it('refuses listKeys to an identity without a role on the account', async () => {
    const status = await provision('norolepool', 'no-role', 'no-role')
    expect(status?.message).toContain(
      "Resource Manager did not list the storage account's keys for the pool's identity",
    )
    expect(status?.message).toContain('no storage key yet')
  })

  it("gives no token for an identity that is not the scale set's", async () => {
    const status = await provision('otherpool', 'no-role', 'reads-keys')
    expect(status?.message).toContain(
      "the instance metadata service gave no token for the pool's identity",
    )
    expect(status?.message).toContain('no storage key yet')
  })
})
