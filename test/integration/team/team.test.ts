import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveCloud } from '../../../electron/azure/auth/clouds'
import type { ArmContext } from '../../../electron/azure/arm-context'
import { authorizationClient } from '../../../electron/azure/team/authorization-client'
import { templateFiles } from '../../../electron/azure/deploy/template-files'
import { PoolAccountsService } from '../../../electron/azure/team/pool-accounts-service'
import { TeamService } from '../../../electron/azure/team/team-service'
import { builtInRoleIds } from '../../../shared/team'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { collect, resourcesClient } from '../sandbox/resources/clients'

const ada = 'ada@contoso.example'
const grace = 'grace@contoso.example'
const alan = 'alan@contoso.example'
const graceOid = 'b2b2b2b2-0000-4000-8000-0000000067ac'
const adaOid = 'a1a1a1a1-0000-4000-8000-00000000ada0'

let env: TestSandbox
let sub: string
const group = 'rg-team-pool'
const poolId = () =>
  `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`

function contextOf(username: string) {
  return async (subscriptionId: string): Promise<ArmContext> => ({
    cloud: resolveCloud('Sandbox', env.sandbox),
    subscriptionId,
    tenantId: env.sandbox.tenantId,
    accountId: username,
    credential: env.credential(username),
    tlsCa: env.sandbox.caCert,
  })
}

const teamAs = (username: string) =>
  new TeamService({
    context: contextOf(username),
    pool: async (id) => ({ id, name: 'team-pool', subscriptionId: sub, resourceGroup: group }),
  })

/** Built-in role names a principal holds at exactly the pool's group, read from Azure. */
async function rolesAtGroup(principalId: string): Promise<string[]> {
  const client = authorizationClient(await contextOf(ada)(sub))
  const all = await collect(
    client.roleAssignments.listForResourceGroup(group, { filter: `assignedTo('${principalId}')` }),
  )
  const names = Object.entries(builtInRoleIds)
  return all
    .filter((a) => a.scope!.toLowerCase() === `/subscriptions/${sub}/resourcegroups/${group}`)
    .map((a) => names.find(([, id]) => a.roleDefinitionId!.endsWith(id))![0])
    .sort()
}

beforeAll(async () => {
  env = await startTestSandbox({ seed: 'demo' })
  sub = env.sandbox.subscriptionId
})
afterAll(() => env.close())

describe('a pool team, through the app service against the sandbox', () => {
  it('shows the creator as the first Manager, with the right to manage members', async () => {
    const view = await teamAs(ada).view(poolId())
    expect(view.members).toEqual([
      expect.objectContaining({
        displayName: 'Ada Lovelace',
        role: 'Manager',
        isMe: true,
        missing: [],
      }),
    ])
    expect(view.canManage).toBe(true)
    expect(view.reason).toBeUndefined()
  })

  it('Ada finds Grace by name and adds her as User: the two role assignments exist', async () => {
    const team = teamAs(ada)
    const found = await team.search(poolId(), 'hop')
    expect(found.map((p) => p.email)).toEqual([grace])
    const view = await team.add(poolId(), found[0]!.id, 'User')
    expect(view.members.map((m) => [m.displayName, m.role])).toEqual([
      ['Ada Lovelace', 'Manager'],
      ['Grace Hopper', 'User'],
    ])
    expect(await rolesAtGroup(graceOid)).toEqual(['Reader', 'Virtual Machine User Login'])
    // Adding again changes nothing.
    await team.add(poolId(), graceOid, 'User')
    expect(await rolesAtGroup(graceOid)).toEqual(['Reader', 'Virtual Machine User Login'])
  })

  it('finds guests too', async () => {
    const found = await teamAs(ada).search(poolId(), 'katherine')
    expect(found).toEqual([
      expect.objectContaining({ displayName: 'Katherine Johnson', guest: true }),
    ])
  })

  it('a Contributor is told what she lacks and whom to ask, and her add is refused before Azure is asked', async () => {
    const team = teamAs(grace)
    const view = await team.view(poolId())
    expect(view.me).toMatchObject({ email: grace, role: 'User' })
    expect(view.canManage).toBe(false)
    expect(view.reason).toBe(
      'You are Contributor on this subscription: adding members needs Owner or User Access Administrator on the subscription, or Manager of this pool. Ask Ada Lovelace (ada@contoso.example) to add members, or to make you a Manager of this pool.',
    )
    const alanOid = 'c3c3c3c3-0000-4000-8000-0000000a1a40'
    await expect(team.add(poolId(), alanOid, 'User')).rejects.toMatchObject({
      code: 'Forbidden',
      message: view.reason,
    })
    expect(await rolesAtGroup(alanOid)).toEqual([])
  })

  it('a Contributor on a Linux pool gets the pool-accounts path with the reason; a Reader does not', async () => {
    const onLinux = (username: string) =>
      new TeamService({
        context: contextOf(username),
        pool: async (id) => ({
          id,
          name: 'team-pool',
          subscriptionId: sub,
          resourceGroup: group,
          os: 'Linux',
        }),
      })
    const view = await onLinux(grace).view(poolId())
    expect(view.reason).toBe(
      'You are Contributor on this subscription: adding members needs Owner or User Access Administrator on the subscription, or Manager of this pool. Ask Ada Lovelace (ada@contoso.example) to add members, or to make you a Manager of this pool. Or use pool accounts: you may change this pool, so each teammate can make their own account under Pool accounts.',
    )
    // Alan may not change the scale set: pool accounts are no way out for him.
    expect((await onLinux(alan).view(poolId())).reason).not.toMatch(/pool accounts/)
  })

  it('a non-member gets the exact text to send a Manager', async () => {
    const team = teamAs(alan)
    const view = await team.view(poolId())
    expect(view.me.role).toBeUndefined()
    expect(view.reason).toMatch(/^You are Reader on this subscription: /)
    const request = await team.joinRequest(poolId())
    expect(request.to.map((p) => p.email)).toEqual([ada])
    expect(request.text).toBe(
      [
        'Hello Ada,',
        '',
        'Could you add me to the Data Science VM pool "team-pool" (resource group rg-team-pool) as a User?',
        '',
        'In DSVM Pool Manager: open the pool team-pool, go to Team, choose "Add member", search for alan@contoso.example and choose User.',
        '',
        'Thank you,',
        'Alan Turing (read only) (alan@contoso.example)',
      ].join('\n'),
    )
  })

  it('changes a role by swapping the assignments, and removing removes them', async () => {
    const team = teamAs(ada)
    await team.setRole(poolId(), graceOid, 'Manager')
    expect(await rolesAtGroup(graceOid)).toEqual([
      'Contributor',
      'Role Based Access Control Administrator',
      'Virtual Machine Administrator Login',
    ])
    // As a Manager, Grace may now manage members of this pool.
    expect((await teamAs(grace).view(poolId())).canManage).toBe(true)

    const view = await team.remove(poolId(), graceOid)
    expect(view.members.map((m) => m.displayName)).toEqual(['Ada Lovelace'])
    expect(await rolesAtGroup(graceOid)).toEqual([])
  })

  it('refuses to remove the only Manager', async () => {
    await expect(teamAs(ada).remove(poolId(), adaOid)).rejects.toMatchObject({
      code: 'Validation',
      message: expect.stringContaining('only Manager'),
    })
    expect(await rolesAtGroup(adaOid)).toHaveLength(3)
  })

  it("makes a new pool's creator its Manager when they may assign roles, and not otherwise", async () => {
    for (const name of ['rg-new-by-ada', 'rg-new-by-grace']) {
      await resourcesClient(env, env.credential(ada)).resourceGroups.createOrUpdate(name, {
        location: 'westeurope',
      })
    }
    expect(await teamAs(ada).makeCreatorManager(sub, 'rg-new-by-ada')).toBe(true)
    expect(await teamAs(grace).makeCreatorManager(sub, 'rg-new-by-grace')).toBe(false)
    const client = authorizationClient(await contextOf(ada)(sub))
    const held = async (rg: string) =>
      (await collect(client.roleAssignments.listForResourceGroup(rg, { filter: 'atScope()' })))
        .filter((a) => a.scope!.toLowerCase().endsWith(rg))
        .map((a) => a.principalId)
    expect(await held('rg-new-by-ada')).toEqual([adaOid, adaOid, adaOid])
    expect(await held('rg-new-by-grace')).toEqual([])
  })
})

describe('pool accounts on a demo pool', () => {
  it('says at once that it cannot take them, and what to do instead', async () => {
    const accounts = new PoolAccountsService({
      context: contextOf(ada),
      pool: () => Promise.reject(new Error('the share is not needed to tell')),
      files: templateFiles(),
    })
    const refusal = await accounts.wayIn(poolId()).then(
      () => undefined,
      (error: unknown) =>
        error as { code: string; message: string; details?: { whatToDo?: string } },
    )
    expect(refusal?.code).toBe('Validation')
    expect(refusal?.message).toMatch(
      /^The pool 'team-pool' was not created with this app's pool template \(its scale set has no 'mount-share' extension/,
    )
    expect(refusal?.details?.whatToDo).toMatch(
      /add them under Team\. For pool accounts, create a new pool/,
    )
  })
})
