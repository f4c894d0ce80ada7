import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StorageManagementClient } from '@azure/arm-storage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import type { ArmContext } from '../../../electron/azure/arm-context'
import { armClientOptions } from '../../../electron/azure/arm-context'
import { activeKey } from '../../../electron/azure/files/account-keys'
import { FilesService } from '../../../electron/azure/files/files-service'
import { listFolder } from '../../../electron/azure/files/share-browser'
import { openShare } from '../../../electron/azure/files/share-client'
import { rotatePoolStorageKey } from '../../../electron/azure/pools/storage-key'
import { poolTags } from '../../../shared/pool-tags'
import { armRequest } from '../pool-template/deploy'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

/*
 * "Rotate storage key" on a pool against the sandbox, with the real SDKs: the key not in use
 * is regenerated, and the file browser keeps working through rotations because it reads the
 * key again when the storage service refuses the one it has.
 */

let test: TestSandbox
let context: ArmContext
let downloads: string
const group = 'rg-team-pool'
const account = 'stteampoolfiles'

beforeAll(async () => {
  test = await startTestSandbox({ seed: 'demo' })
  const { sandbox } = test
  context = {
    cloud: sandboxCloud(sandbox),
    subscriptionId: sandbox.subscriptionId,
    tenantId: sandbox.tenantId,
    accountId: 'ada',
    credential: test.credential(),
    tlsCa: sandbox.caCert,
  }
  downloads = mkdtempSync(join(tmpdir(), 'rotation-downloads-'))
})
afterAll(async () => {
  await test?.close()
  rmSync(downloads, { recursive: true, force: true })
})

const teamPool = () => ({
  subscriptionId: test.sandbox.subscriptionId,
  resourceGroup: group,
  name: 'team-pool',
})
const keysNow = async () =>
  (
    await new StorageManagementClient(
      context.credential,
      context.subscriptionId,
      armClientOptions(context),
    ).storageAccounts.listKeys(group, account)
  ).keys!

describe('rotating a pool’s storage key', () => {
  it('refuses a pool whose instances got the key in protected settings, and says why', async () => {
    await expect(rotatePoolStorageKey(teamPool(), context)).rejects.toMatchObject({
      code: 'Validation',
      message: expect.stringMatching(/managed identity/),
    })
  })

  it('regenerates the key not in use, which becomes the one in use; the other stays valid', async () => {
    // The share's managed identity, as the pool template makes it.
    const identity = await armRequest(
      test,
      'PUT',
      `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/team-pool-identity?api-version=2024-11-30`,
      { location: 'eastus', tags: { [poolTags.pool]: 'team-pool' } },
    )
    expect(identity.status).toBe(201)
    const before = await keysNow()
    const inUse = activeKey(before)!
    const rotated = await rotatePoolStorageKey(teamPool(), context)
    expect(rotated.keyName).not.toBe(inUse.keyName)
    expect(rotated.message).toMatch(/Instances switch to it within a minute/)
    const after = await keysNow()
    expect(activeKey(after)!.keyName).toBe(rotated.keyName)
    // The key that was in use is untouched: nothing using it breaks now.
    expect(after.find((k) => k.keyName === inUse.keyName)!.value).toBe(inUse.value)
    expect(after.find((k) => k.keyName === rotated.keyName)!.value).not.toBe(
      before.find((k) => k.keyName === rotated.keyName)!.value,
    )
  })

  it('keeps the file browser working after rotations: it reads the key again when it is refused', async () => {
    const files = new FilesService({
      shareOf: async () => ({
        subscriptionId: test.sandbox.subscriptionId,
        resourceGroup: group,
        account,
      }),
      context: async () => context,
      userName: async () => 'ada@contoso.example',
      downloadsDir: downloads,
      onProgress: () => {},
    })
    const poolId = `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`
    const opened = await files.open(poolId)
    expect(opened.home).toBe('notebooks/ada')
    // A client that keeps the key it was given, as the browser did before.
    const stale = await openShare(
      context,
      {
        subscriptionId: test.sandbox.subscriptionId,
        resourceGroup: group,
        account,
        share: opened.share,
      },
      { maxTries: 1 },
    )
    await files.createFolder(poolId, 'notebooks/ada', 'before-rotation')

    // Two rotations regenerate both keys: the one the browser holds is refused from now on.
    await rotatePoolStorageKey(teamPool(), context)
    await rotatePoolStorageKey(teamPool(), context)
    await expect(listFolder(stale, 'notebooks/ada')).rejects.toMatchObject({
      code: 'Forbidden',
      details: { azureCode: 'AuthenticationFailed' },
    })

    expect((await files.list(poolId, 'notebooks/ada')).map((e) => e.name)).toContain(
      'before-rotation',
    )
    expect(await files.createFolder(poolId, 'notebooks/ada', 'after-rotation')).toBe(
      'notebooks/ada/after-rotation',
    )
  })
})
