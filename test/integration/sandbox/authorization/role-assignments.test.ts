import { randomUUID } from 'node:crypto'
import type { TokenCredential } from '@azure/core-auth'
import { sandboxCloud } from '../../../../electron/azure/auth/clouds'
import { authorizationClient } from '../../../../electron/azure/team/authorization-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSandbox, type TestSandbox } from '../harness'
import { collect, resourcesClient } from '../resources/clients'

const ada = 'ada@contoso.example'
const grace = 'grace@contoso.example'
const alan = 'alan@contoso.example'
const graceOid = 'b2b2b2b2-0000-4000-8000-0000000067ac'
const readerRole = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
const userLoginRole = 'fb879df8-f326-4884-b1cf-06f3ad86be52'

let test: TestSandbox
let sub: string
const group = 'rg-team-sandbox'

const authorization = (credential: TokenCredential) =>
  authorizationClient({
    cloud: sandboxCloud(test.sandbox),
    tlsCa: test.sandbox.caCert,
    credential,
    subscriptionId: sub,
  })

const groupScope = () => `/subscriptions/${sub}/resourceGroups/${group}`
const roleId = (guid: string) =>
  `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`

beforeAll(async () => {
  test = await startTestSandbox()
  sub = test.sandbox.subscriptionId
  await resourcesClient(test, test.credential(ada)).resourceGroups.createOrUpdate(group, {
    location: 'westeurope',
  })
})
afterAll(() => test.close())

describe('role assignments in the sandbox, through @azure/arm-authorization', () => {
  it('lists the built-in roles and finds one by name', async () => {
    const client = authorization(test.credential(ada))
    const found = await collect(
      client.roleDefinitions.list(`/subscriptions/${sub}`, {
        filter: "roleName eq 'Virtual Machine User Login'",
      }),
    )
    expect(found).toHaveLength(1)
    expect(found[0]!.name).toBe(userLoginRole)
    expect(found[0]!.permissions![0]!.dataActions).toContain(
      'Microsoft.Compute/virtualMachines/login/action',
    )
  })

  it('lets an Owner assign roles at resource-group scope, and lists them there', async () => {
    const client = authorization(test.credential(ada))
    const name = randomUUID()
    const created = await client.roleAssignments.create(groupScope(), name, {
      roleDefinitionId: roleId(readerRole),
      principalId: graceOid,
      principalType: 'User',
    })
    expect(created.scope).toBe(groupScope())
    expect(created.principalId).toBe(graceOid)

    const atGroup = await collect(
      client.roleAssignments.listForResourceGroup(group, { filter: 'atScope()' }),
    )
    const names = atGroup.map((a) => a.name)
    expect(names).toContain(name)
    // Inherited: Ada's Owner assignment on the subscription applies at the group too.
    expect(atGroup.some((a) => a.scope === `/subscriptions/${sub}`)).toBe(true)

    await expect(
      client.roleAssignments.create(groupScope(), randomUUID(), {
        roleDefinitionId: roleId(readerRole),
        principalId: graceOid,
      }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'RoleAssignmentExists' })

    await client.roleAssignments.delete(groupScope(), name)
    const after = await collect(
      client.roleAssignments.listForResourceGroup(group, {
        filter: `assignedTo('${graceOid}')`,
      }),
    )
    expect(after.map((a) => a.name)).not.toContain(name)
  })

  it("refuses a Contributor's role assignment write with AuthorizationFailed, naming the action", async () => {
    const client = authorization(test.credential(grace))
    await expect(
      client.roleAssignments.create(groupScope(), randomUUID(), {
        roleDefinitionId: roleId(readerRole),
        principalId: graceOid,
      }),
    ).rejects.toMatchObject({
      statusCode: 403,
      code: 'AuthorizationFailed',
      message: expect.stringContaining("'Microsoft.Authorization/roleAssignments/write'"),
    })
    // ...while she may read them (Contributor allows every read).
    const visible = await collect(client.roleAssignments.listForResourceGroup(group))
    expect(visible.length).toBeGreaterThan(0)
  })

  it('refuses a Reader any write, and an unknown principal with PrincipalNotFound', async () => {
    await expect(
      resourcesClient(test, test.credential(alan)).resourceGroups.createOrUpdate('rg-alan', {
        location: 'westeurope',
      }),
    ).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' })
    await expect(
      authorization(test.credential(ada)).roleAssignments.create(groupScope(), randomUUID(), {
        roleDefinitionId: roleId(readerRole),
        principalId: randomUUID(),
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'PrincipalNotFound' })
  })

  it('a role at resource-group scope gives its rights there only (User Access Administrator)', async () => {
    const uaa = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'
    const owner = authorization(test.credential(ada))
    const name = randomUUID()
    await owner.roleAssignments.create(groupScope(), name, {
      roleDefinitionId: roleId(uaa),
      principalId: graceOid,
    })
    const asGrace = authorization(test.credential(grace))
    const granted = randomUUID()
    await asGrace.roleAssignments.create(groupScope(), granted, {
      roleDefinitionId: roleId(userLoginRole),
      principalId: graceOid,
    })
    await expect(
      asGrace.roleAssignments.create(`/subscriptions/${sub}`, randomUUID(), {
        roleDefinitionId: roleId(userLoginRole),
        principalId: graceOid,
      }),
    ).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' })
    const permissions = await collect(asGrace.permissions.listForResourceGroup(group))
    expect(permissions.some((p) => p.actions?.includes('Microsoft.Authorization/*'))).toBe(true)
    await owner.roleAssignments.delete(groupScope(), granted)
    await owner.roleAssignments.delete(groupScope(), name)
  })

  it('deleting a resource group deletes the role assignments in it', async () => {
    const resources = resourcesClient(test, test.credential(ada))
    await resources.resourceGroups.createOrUpdate('rg-short-lived', { location: 'westeurope' })
    const client = authorization(test.credential(ada))
    const scope = `/subscriptions/${sub}/resourceGroups/rg-short-lived`
    await client.roleAssignments.create(scope, randomUUID(), {
      roleDefinitionId: roleId(readerRole),
      principalId: graceOid,
    })
    await resources.resourceGroups.beginDeleteAndWait('rg-short-lived', {
      updateIntervalInMs: 10,
    })
    await resources.resourceGroups.createOrUpdate('rg-short-lived', { location: 'westeurope' })
    const left = await collect(
      client.roleAssignments.listForResourceGroup('rg-short-lived', {
        filter: `assignedTo('${graceOid}')`,
      }),
    )
    expect(left.filter((a) => a.scope!.toLowerCase() === scope.toLowerCase())).toEqual([])
  })
})
