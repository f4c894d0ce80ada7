import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { armRequest, clientsFor } from '../../pool-template/deploy'
import { startTestSandbox, type TestSandbox } from '../harness'

/**
 * User-assigned managed identities and role assignments on one resource, as Azure answers
 * them: what the pool template relies on to let its instances read the share key.
 */
describe('managed identities and role assignments on a storage account', () => {
  let test: TestSandbox
  let sub: string
  let accountId: string
  let identityPath: string
  const readerAndDataAccess = 'c12c1c16-33a1-487b-954d-41c89c60f349'
  const assignmentName = '3b1f2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'

  beforeAll(async () => {
    test = await startTestSandbox()
    sub = test.sandbox.subscriptionId
    const clients = clientsFor(test)
    await clients.resources.resourceGroups.createOrUpdate('mi-rg', { location: 'westeurope' })
    await clients.storage.storageAccounts.beginCreateAndWait(
      'mi-rg',
      'mifiles',
      { location: 'westeurope', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      { updateIntervalInMs: 10 },
    )
    accountId = `/subscriptions/${sub}/resourceGroups/mi-rg/providers/Microsoft.Storage/storageAccounts/mifiles`
    identityPath = `/subscriptions/${sub}/resourceGroups/mi-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pool-identity`
  })
  afterAll(() => test?.close())

  const assignmentPath = (name = assignmentName) =>
    `${accountId}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`
  const assignmentBody = (principalId: string) => ({
    properties: {
      roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${readerAndDataAccess}`,
      principalId,
      principalType: 'ServicePrincipal',
    },
  })

  it('creates an identity with a principal id and a client id, and answers the same on a second PUT', async () => {
    const created = await armRequest(test, 'PUT', `${identityPath}?api-version=2024-11-30`, {
      location: 'westeurope',
    })
    expect(created.status).toBe(201)
    const body = created.body as { type: string; properties: Record<string, string> }
    expect(body.type).toBe('Microsoft.ManagedIdentity/userAssignedIdentities')
    expect(body.properties.principalId).toMatch(/^[0-9a-f-]{36}$/)
    expect(body.properties.clientId).toMatch(/^[0-9a-f-]{36}$/)
    expect(body.properties.tenantId).toBe(test.sandbox.tenantId)
    const again = await armRequest(test, 'PUT', `${identityPath}?api-version=2024-11-30`, {
      location: 'westeurope',
    })
    expect(again.status).toBe(200)
    expect((again.body as typeof body).properties).toEqual(body.properties)
  })

  it('refuses a Contributor’s role assignment with AuthorizationFailed, as Azure does', async () => {
    const identity = (await armRequest(test, 'GET', `${identityPath}?api-version=2024-11-30`))
      .body as { properties: { principalId: string } }
    const refused = await armRequest(
      test,
      'PUT',
      assignmentPath(),
      assignmentBody(identity.properties.principalId),
      'grace@contoso.example',
    )
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({
      error: {
        code: 'AuthorizationFailed',
        message: expect.stringContaining(
          "perform action 'Microsoft.Authorization/roleAssignments/write'",
        ),
      },
    })
  })

  it('lets an Owner assign Reader and Data Access on the one account, once', async () => {
    const identity = (await armRequest(test, 'GET', `${identityPath}?api-version=2024-11-30`))
      .body as { properties: { principalId: string } }
    const principalId = identity.properties.principalId
    const created = await armRequest(test, 'PUT', assignmentPath(), assignmentBody(principalId))
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      id: `${accountId}/providers/Microsoft.Authorization/roleAssignments/${assignmentName}`,
      type: 'Microsoft.Authorization/roleAssignments',
      properties: { principalId, scope: accountId, principalType: 'ServicePrincipal' },
    })
    const duplicate = await armRequest(
      test,
      'PUT',
      assignmentPath('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'),
      assignmentBody(principalId),
    )
    expect(duplicate.status).toBe(409)
    expect(duplicate.body).toMatchObject({ error: { code: 'RoleAssignmentExists' } })
    const listed = await armRequest(
      test,
      'GET',
      `${accountId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
    )
    expect((listed.body as { value: unknown[] }).value).toHaveLength(1)
  })

  it('refuses unknown principals, unknown roles and names that are not GUIDs', async () => {
    const unknownPrincipal = await armRequest(
      test,
      'PUT',
      assignmentPath('11111111-2222-4333-8444-555555555555'),
      assignmentBody('00000000-0000-4000-8000-00000000dead'),
    )
    expect(unknownPrincipal.status).toBe(400)
    expect(unknownPrincipal.body).toMatchObject({ error: { code: 'PrincipalNotFound' } })
    const notGuid = await armRequest(test, 'PUT', assignmentPath('share-key'), assignmentBody('x'))
    expect(notGuid.body).toMatchObject({ error: { code: 'InvalidRoleAssignmentId' } })
  })
})
