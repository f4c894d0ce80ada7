import { ResourceManagementClient } from '@azure/arm-resources'
import { StorageManagementClient } from '@azure/arm-storage'
import type { RestError } from '@azure/storage-file-share'
import { beforeAll, describe, expect, it } from 'vitest'
import { sandboxForFile } from '../fixtures'
import { shareServiceClient, sharedKey } from '../files/files-client'

const env = sandboxForFile({ timeScale: 1000 })
const group = 'pool-storage'
const account = 'dsvmpooldata01'

const armOptions = () => ({
  endpoint: env.sandbox.armEndpoint,
  tlsOptions: { ca: env.sandbox.caCert },
})
const storage = (user?: string) =>
  new StorageManagementClient(env.credential(user), env.sandbox.subscriptionId, armOptions())
const poll = { updateIntervalInMs: 10 }

async function failure(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise
  } catch (error) {
    return error as RestError
  }
  throw new Error('expected the call to fail')
}

beforeAll(async () => {
  const resources = new ResourceManagementClient(
    env.credential(),
    env.sandbox.subscriptionId,
    armOptions(),
  )
  await resources.resourceGroups.createOrUpdate(group, { location: 'eastus' })
  await resources.resourceGroups.createOrUpdate('other-group', { location: 'eastus' })
  await storage().storageAccounts.beginCreateAndWait(
    group,
    account,
    {
      location: 'eastus',
      sku: { name: 'Standard_LRS' },
      kind: 'StorageV2',
      tags: { pool: 'demo' },
    },
    poll,
  )
})

describe('Microsoft.Storage storage accounts through @azure/arm-storage', () => {
  it('creates an account as a long-running operation and shows it provisioned', async () => {
    const created = await storage().storageAccounts.getProperties(group, account)
    expect(created.provisioningState).toBe('Succeeded')
    expect(created.sku?.name).toBe('Standard_LRS')
    expect(created.kind).toBe('StorageV2')
    expect(created.tags).toEqual({ pool: 'demo' })
    expect(created.primaryEndpoints?.file).toBe(`${env.sandbox.filesEndpoint}/${account}/`)

    const inGroup = []
    for await (const a of storage().storageAccounts.listByResourceGroup(group)) inGroup.push(a.name)
    expect(inGroup).toEqual([account])
    const inSubscription = []
    for await (const a of storage().storageAccounts.list()) inSubscription.push(a.name)
    expect(inSubscription).toContain(account)
  })

  it('checks names with the real rules', async () => {
    const check = (name: string) =>
      storage().storageAccounts.checkNameAvailability({
        name,
        type: 'Microsoft.Storage/storageAccounts',
      })
    expect(await check('freshname123')).toEqual({ nameAvailable: true })
    for (const bad of ['ab', 'Has-Upper', 'a'.repeat(25), 'under_score']) {
      const result = await check(bad)
      expect(result.nameAvailable).toBe(false)
      expect(result.reason).toBe('AccountNameInvalid')
      expect(result.message).toBe(
        `${bad} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`,
      )
    }
    const taken = await check(account)
    expect(taken).toEqual({
      nameAvailable: false,
      reason: 'AlreadyExists',
      message: `The storage account named ${account} is already taken.`,
    })
    // A Reader may check names: the POST only reads.
    expect(
      (
        await storage('alan@contoso.example').storageAccounts.checkNameAvailability({
          name: 'readercheck',
          type: 'Microsoft.Storage/storageAccounts',
        })
      ).nameAvailable,
    ).toBe(true)
  })

  it('refuses a name taken elsewhere and an invalid name', async () => {
    const taken = await failure(
      storage().storageAccounts.beginCreateAndWait(
        'other-group',
        account,
        { location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
        poll,
      ),
    )
    expect(taken.statusCode).toBe(409)
    expect(taken.code).toBe('StorageAccountAlreadyTaken')
    const invalid = await failure(
      storage().storageAccounts.beginCreateAndWait(
        group,
        'Bad_Name',
        { location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
        poll,
      ),
    )
    expect(invalid.statusCode).toBe(400)
    expect(invalid.code).toBe('AccountNameInvalid')
  })

  it('lists two 64-byte keys, regenerates one, and the data plane follows', async () => {
    const { keys } = await storage().storageAccounts.listKeys(group, account)
    expect(keys?.map((k) => k.keyName)).toEqual(['key1', 'key2'])
    for (const key of keys!) expect(Buffer.from(key.value!, 'base64')).toHaveLength(64)
    const [key1, key2] = keys!.map((k) => k.value!)

    const regenerated = await storage().storageAccounts.regenerateKey(group, account, {
      keyName: 'key1',
    })
    const [newKey1, sameKey2] = regenerated.keys!.map((k) => k.value!)
    expect(newKey1).not.toBe(key1)
    expect(sameKey2).toBe(key2)

    const stale = await failure(
      shareServiceClient(env.sandbox, account, sharedKey(account, key1!)).listShares().next(),
    )
    expect(stale.statusCode).toBe(403)
    expect(stale.code).toBe('AuthenticationFailed')
    await shareServiceClient(env.sandbox, account, sharedKey(account, newKey1!)).listShares().next()
    await shareServiceClient(env.sandbox, account, sharedKey(account, key2!)).listShares().next()
  })

  it('does not give a Reader the keys', async () => {
    const error = await failure(
      storage('alan@contoso.example').storageAccounts.listKeys(group, account),
    )
    expect(error.statusCode).toBe(403)
    expect(error.code).toBe('AuthorizationFailed')
    const seen = await storage('alan@contoso.example').storageAccounts.getProperties(group, account)
    expect(seen.name).toBe(account)
  })
})

describe('Updating an account and its file service', () => {
  it('merges tags and settings with PATCH and keeps the keys', async () => {
    const before = await storage().storageAccounts.listKeys(group, account)
    const updated = await storage().storageAccounts.update(group, account, {
      tags: { pool: 'demo', owner: 'ada' },
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
    })
    expect(updated.tags).toEqual({ pool: 'demo', owner: 'ada' })
    expect(updated.provisioningState).toBe('Succeeded')
    const after = await storage().storageAccounts.listKeys(group, account)
    expect(after.keys?.map((k) => k.value)).toEqual(before.keys?.map((k) => k.value))
  })

  it('sets and reads the file service soft-delete policy', async () => {
    const set = await storage().fileServices.setServiceProperties(group, account, {
      shareDeleteRetentionPolicy: { enabled: true, days: 14 },
    })
    expect(set.shareDeleteRetentionPolicy).toEqual({ enabled: true, days: 14 })
    const read = await storage().fileServices.getServiceProperties(group, account)
    expect(read.name).toBe('default')
    expect(read.shareDeleteRetentionPolicy?.days).toBe(14)
    const listed = await storage().fileServices.list(group, account)
    expect(listed.value?.map((s) => s.name)).toEqual(['default'])
  })
})

describe('File shares: control plane and data plane are one share', () => {
  it('creates a share through ARM that the data plane serves, with stats and metering', async () => {
    const shares = storage().fileShares
    const created = await shares.create(group, account, 'team', {
      shareQuota: 200,
      accessTier: 'Hot',
    })
    expect(created.type).toBe('Microsoft.Storage/storageAccounts/fileServices/shares')
    expect(created.shareQuota).toBe(200)

    const { keys } = await storage().storageAccounts.listKeys(group, account)
    const files = shareServiceClient(env.sandbox, account, sharedKey(account, keys![0]!.value!))
    const share = files.getShareClient('team')
    expect((await share.getProperties()).quota).toBe(200)
    await share.rootDirectoryClient.getFileClient('readme.md').uploadData(Buffer.alloc(3000, 1))

    const withStats = await shares.get(group, account, 'team', { expand: 'stats' })
    expect(withStats.shareUsageBytes).toBe(3000)
    expect(withStats.accessTier).toBe('Hot')

    // A share made on the data plane shows on the control plane too.
    await files.getShareClient('scratch').create()
    const listed = []
    for await (const s of shares.list(group, account)) listed.push(s.name)
    expect(listed.sort()).toEqual(['scratch', 'team'])

    const meters = env.sandbox.context.usage
      .list({ subscriptionId: env.sandbox.subscriptionId, resourceGroup: group })
      .filter((u) => u.meter === 'filesStorage' && u.end === undefined)
    expect(meters).toEqual([
      expect.objectContaining({ sku: 'Hot LRS', resourceId: expect.stringContaining(account) }),
    ])

    await shares.delete(group, account, 'team')
    const gone = await failure(share.getProperties())
    expect(gone.statusCode).toBe(404)
    expect(gone.code).toBe('ShareNotFound')
    const missing = await failure(shares.get(group, account, 'team'))
    expect(missing.statusCode).toBe(404)
  })

  it('serves the data plane to a signed-in user with the backup intent', async () => {
    const { keys } = await storage().storageAccounts.listKeys(group, account)
    const share = shareServiceClient(
      env.sandbox,
      account,
      sharedKey(account, keys![0]!.value!),
    ).getShareClient('oauth')
    await share.create()
    await share.rootDirectoryClient.getFileClient('hello.txt').uploadData(Buffer.from('hello'))

    const withToken = shareServiceClient(env.sandbox, account, env.credential(), {
      fileRequestIntent: 'backup',
    })
    const file = withToken.getShareClient('oauth').rootDirectoryClient.getFileClient('hello.txt')
    expect((await file.downloadToBuffer()).toString()).toBe('hello')

    const noIntent = shareServiceClient(env.sandbox, account, env.credential())
    const refused = await failure(
      noIntent
        .getShareClient('oauth')
        .rootDirectoryClient.getFileClient('hello.txt')
        .getProperties(),
    )
    expect(refused.statusCode).toBe(400)

    const reader = shareServiceClient(
      env.sandbox,
      account,
      env.credential('alan@contoso.example'),
      { fileRequestIntent: 'backup' },
    )
    const readOnly = reader.getShareClient('oauth').rootDirectoryClient.getFileClient('new.txt')
    const denied = await failure(readOnly.create(10))
    expect(denied.statusCode).toBe(403)
    expect(denied.code).toBe('AuthorizationPermissionMismatch')
  })
})

describe('Deleting an account', () => {
  it('removes it, frees its name and its shares', async () => {
    const name = 'shortlived01'
    await storage().storageAccounts.beginCreateAndWait(
      group,
      name,
      { location: 'westeurope', sku: { name: 'Premium_LRS' }, kind: 'FileStorage' },
      poll,
    )
    const share = await storage().fileShares.create(group, name, 'premium', {})
    expect(share.shareQuota).toBe(100)
    await storage().storageAccounts.delete(group, name)
    const gone = await failure(storage().storageAccounts.getProperties(group, name))
    expect(gone.statusCode).toBe(404)
    const check = await storage().storageAccounts.checkNameAvailability({
      name,
      type: 'Microsoft.Storage/storageAccounts',
    })
    expect(check.nameAvailable).toBe(true)
    const meters = env.sandbox.context.usage
      .list({ subscriptionId: env.sandbox.subscriptionId, resourceGroup: group })
      .filter((u) => u.meter === 'filesStorage' && u.resourceId.endsWith(name))
    expect(meters).toHaveLength(1)
    expect(meters[0]!.sku).toBe('Premium LRS')
    expect(meters[0]!.quantity).toBe(100)
    expect(meters[0]!.end).toBeDefined()
  })
})
