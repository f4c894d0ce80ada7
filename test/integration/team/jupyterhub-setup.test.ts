import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import type { ArmContext } from '../../../electron/azure/arm-context'
import { armClients, type ArmClients } from '../../../electron/azure/deploy/clients'
import { templateFiles } from '../../../electron/azure/deploy/template-files'
import { teamAccessDefault } from '../../../electron/azure/deploy/key-access'
import { authorizationClient } from '../../../electron/azure/team/authorization-client'
import { mayRegisterApps } from '../../../electron/azure/team/jupyterhub-app'
import {
  findJupyterHubApp,
  graphOf,
  removePoolJupyterHubApp,
  renewJupyterHubSecret,
  setUpJupyterHubSignIn,
  teamAccessStatus,
  type JupyterHubSetupStep,
} from '../../../electron/azure/team/jupyterhub-setup'
import { applyAccountsToPool } from '../../../electron/azure/team/pool-accounts'
import { TeamService } from '../../../electron/azure/team/team-service'
import { poolTags } from '../../../shared/pool-tags'
import { builtInRoleIds } from '../../../shared/team'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { deployPool, poolSpec } from '../pool-template/deploy'

/*
 * "Set up team access" adds JupyterHub sign-in with Microsoft accounts to an existing Linux
 * pool, through the real SDK clients, Graph pipeline and MSAL against the sandbox: the app
 * registration is made and recorded on the scale set, the secret reaches the model only in
 * protected settings, the running instances run jupyterhub-entra.sh; near its end the secret
 * is renewed (the sandbox's clock moved ahead); deleting the pool's app removes it.
 */

let test: TestSandbox
const files = templateFiles()
const group = 'hubpool-rg'
const pool = 'hubpool'
const target = { resourceGroup: group, poolName: pool }
const ada = 'ada@contoso.example'
const noAccounts = () => Promise.resolve([])
const grace = 'grace@contoso.example'

const contextOf = (username = ada): ArmContext => ({
  cloud: sandboxCloud(test.sandbox),
  subscriptionId: test.sandbox.subscriptionId,
  tenantId: test.sandbox.tenantId,
  accountId: username,
  credential: test.credential(username),
  tlsCa: test.sandbox.caCert,
})

/** Ada's clients, keeping each protected script the scale set is sent (to look for the secret). */
function recordingClients(sent: string[], username = ada): ArmClients {
  const clients = armClients(contextOf(username))
  const scaleSets = clients.compute.virtualMachineScaleSets
  const update = scaleSets.beginUpdateAndWait.bind(scaleSets)
  scaleSets.beginUpdateAndWait = (resourceGroup, name, parameters, options) => {
    for (const e of parameters.virtualMachineProfile?.extensionProfile?.extensions ?? []) {
      const script = (e.protectedSettings as { script?: string } | undefined)?.script
      if (script) sent.push(Buffer.from(script, 'base64').toString('utf8'))
    }
    return update(resourceGroup, name, parameters, options)
  }
  return clients
}

const secretIn = (script: string) => {
  const encoded = /JUPYTERHUB_CLIENT_SECRET_BASE64='([^']+)'/.exec(script)?.[1]
  if (!encoded) throw new Error('The script holds no JupyterHub secret.')
  return Buffer.from(encoded, 'base64').toString('utf8')
}

async function extensionMessages(): Promise<string[]> {
  const compute = armClients(contextOf()).compute
  const messages: string[] = []
  for await (const vm of compute.virtualMachineScaleSetVMs.list(group, pool)) {
    const view = await compute.virtualMachineScaleSetVMs.getInstanceView(
      group,
      pool,
      vm.instanceId!,
    )
    messages.push(
      view.extensions?.find((e) => e.name === 'mount-share')?.statuses?.[0]?.message ?? '',
    )
  }
  return messages
}

async function everythingAzureShows(): Promise<string> {
  const clients = armClients(contextOf())
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(group, pool)
  const vms = []
  for await (const vm of clients.compute.virtualMachineScaleSetVMs.list(group, pool)) vms.push(vm)
  const deployments = []
  for await (const d of clients.deployments.deployments.listByResourceGroup(group))
    deployments.push(d)
  const resources = []
  for await (const r of clients.resources.resources.listByResourceGroup(group)) resources.push(r)
  return JSON.stringify({
    scaleSet,
    vms,
    deployments,
    resources,
    messages: await extensionMessages(),
  })
}

beforeAll(async () => {
  test = await startTestSandbox({ timeScale: 600 })
  await deployPool(
    test,
    poolSpec(test, {
      poolName: pool,
      instanceCount: 2,
      autoscale: { enabled: false, minimum: 0, maximum: 4, default: 2, schedule: null },
    }),
  )
}, 300_000)
afterAll(() => test?.close())

describe(
  '"Set up team access" adds JupyterHub sign-in with Microsoft accounts',
  { timeout: 300_000 },
  () => {
    const sent: string[] = []
    let appId: string

    it('Grace (Contributor, may not assign roles) keeps local sign-in, is told why, and nothing is made', async () => {
      const result = await setUpJupyterHubSignIn(
        recordingClients(sent, grace),
        files,
        target,
        noAccounts,
      )
      expect(result.state).toBe('skipped')
      expect(result.message).toContain('needs the right to assign roles')
      expect(sent).toEqual([])
      const scaleSet = await armClients(contextOf()).compute.virtualMachineScaleSets.get(
        group,
        pool,
      )
      expect(scaleSet.tags?.[poolTags.jupyterHubApp]).toBeUndefined()
    })

    it('Ada sets it up: the app is registered and recorded, the model and the running instances get it', async () => {
      const steps: JupyterHubSetupStep[] = []
      const clients = recordingClients(sent)
      const result = await setUpJupyterHubSignIn(clients, files, target, noAccounts, (s) =>
        steps.push(s),
      )
      if (result.state !== 'added') throw new Error(result.message)
      appId = result.appId
      expect(steps).toEqual(['app', 'model', 'instances'])
      expect(result.upgradedInstances.sort()).toEqual(['0', '1'])

      const scaleSet = await clients.compute.virtualMachineScaleSets.get(group, pool)
      expect(scaleSet.tags?.[poolTags.jupyterHubApp]).toBe(appId)
      expect(scaleSet.tags?.[poolTags.pool]).toBe(pool)
      const app = await findJupyterHubApp(graphOf(contextOf()), appId)
      expect(app?.passwordCredentials).toHaveLength(1)
      const stored = await graphOf(contextOf()).send<{ web: { redirectUris: string[] } }>(
        'GET',
        `/v1.0/applications/${app!.id}`,
      )
      expect(stored.web.redirectUris).toEqual([
        'https://hubpool.westeurope.cloudapp.azure.com:8000/hub/oauth_callback',
      ])

      // The template's order: JupyterHub's part, then the share's.
      expect(sent).toHaveLength(1)
      const script = sent[0]!
      expect(script.indexOf('DSVM_POOL_JUPYTERHUB_SCRIPT')).toBeLessThan(
        script.indexOf('DSVM_POOL_MOUNT_SCRIPT'),
      )
      expect(script).toContain(`JUPYTERHUB_CLIENT_ID='${appId}'`)
      // The same sign-in address the template gives a new pool.
      expect(script).toContain(`JUPYTERHUB_LOGIN_ENDPOINT='${test.sandbox.authorityHost}/'`)
      expect(script).toContain(
        `POOL_SCOPE='/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}'`,
      )

      for (const message of await extensionMessages())
        expect(message).toContain('signs members in with their Microsoft account')
      for await (const vm of clients.compute.virtualMachineScaleSetVMs.list(group, pool)) {
        expect(vm.latestModelApplied).toBe(true)
        const view = await clients.compute.virtualMachineScaleSetVMs.getInstanceView(
          group,
          pool,
          vm.instanceId!,
        )
        expect(view.statuses?.map((s) => s.code)).toContain('PowerState/running')
      }

      // The pool's identity may read the members' role assignments (Reader on its group).
      const identity = await clients.request<{ properties: { principalId: string } }>(
        'GET',
        `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${pool}-identity?api-version=2023-01-31`,
      )
      const assignments = []
      for await (const a of authorizationClient(contextOf()).roleAssignments.listForScope(
        `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}`,
        { filter: `principalId eq '${identity.properties.principalId}'` },
      ))
        assignments.push(a.roleDefinitionId!.split('/').pop())
      expect(assignments).toContain(builtInRoleIds.Reader)
    })

    it('the secret is only in the protected settings: no tag, output, instance view or deployment shows it', async () => {
      const secret = secretIn(sent[0]!)
      expect(secret).toHaveLength(40)
      const shown = await everythingAzureShows()
      expect(shown).not.toContain(secret)
      expect(shown).not.toContain(Buffer.from(secret).toString('base64'))
      expect(shown).not.toContain('JUPYTERHUB_CLIENT_SECRET_BASE64')
    })

    it('set up again: left as it is', async () => {
      const before = sent.length
      const again = await setUpJupyterHubSignIn(recordingClients(sent), files, target, noAccounts)
      expect(again).toMatchObject({ state: 'already', appId })
      // Pool accounts would rewrite the protected script without the secret: refused.
      await expect(
        applyAccountsToPool(recordingClients(sent), files, target, []),
      ).rejects.toMatchObject({
        code: 'Validation',
        message: expect.stringContaining('does not take pool accounts'),
      })
      expect(sent).toHaveLength(before)
    })

    it('near the end of the secret (the sandbox clock moved ahead), a new one is made, sent, and the old one removed', async () => {
      const clients = armClients(contextOf())
      const status = await teamAccessStatus(
        clients,
        { ...target, os: 'Linux' },
        test.sandbox.clock.now(),
      )
      expect(status.entraLogin).toBe(true)
      expect(status.jupyterHub).toMatchObject({ microsoftAccounts: true, appId, renewDue: false })
      const endsAt = Date.parse(status.jupyterHub!.secretEndsAt!)
      // Graph's default lifetime of a client secret: two years.
      expect(endsAt - test.sandbox.clock.now()).toBeGreaterThan(729 * 86_400_000)

      // Months pass: the sandbox's clock jumps to 20 days before the secret ends.
      test.sandbox.clock.jump(endsAt - test.sandbox.clock.now() - 20 * 86_400_000)
      const near = await teamAccessStatus(
        clients,
        { ...target, os: 'Linux' },
        test.sandbox.clock.now(),
      )
      expect(near.jupyterHub?.renewDue).toBe(true)

      const oldKey = (await findJupyterHubApp(graphOf(contextOf()), appId))!.passwordCredentials[0]!
      const steps: JupyterHubSetupStep[] = []
      const renewed = await renewJupyterHubSecret(
        recordingClients(sent),
        files,
        target,
        noAccounts,
        (s) => steps.push(s),
      )
      expect(steps).toEqual(['app', 'model', 'instances'])
      expect(Date.parse(renewed.secretEndsAt)).toBeGreaterThan(endsAt)
      const app = (await findJupyterHubApp(graphOf(contextOf()), appId))!
      expect(app.passwordCredentials).toHaveLength(1)
      expect(app.passwordCredentials[0]!.keyId).not.toBe(oldKey.keyId)
      expect(secretIn(sent.at(-1)!)).not.toBe(secretIn(sent[0]!))
      for (const message of await extensionMessages())
        expect(message).toContain('signs members in with their Microsoft account')
      const after = await teamAccessStatus(
        clients,
        { ...target, os: 'Linux' },
        test.sandbox.clock.now(),
      )
      expect(after.jupyterHub?.renewDue).toBe(false)
    })

    it('Grace may not delete Ada’s app registration: what remains is said; Ada’s delete removes it', async () => {
      const left = await removePoolJupyterHubApp(contextOf(grace), appId)
      expect(left).toContain(`client id ${appId}`)
      expect(left).toContain('App registrations')
      expect(await findJupyterHubApp(graphOf(contextOf()), appId)).toBeDefined()
      expect(await removePoolJupyterHubApp(contextOf(), appId)).toBeUndefined()
      expect(await findJupyterHubApp(graphOf(contextOf()), appId)).toBeUndefined()
    })
  },
)

describe('the only Manager', { timeout: 120_000 }, () => {
  it('cannot be removed or made a User: the service refuses with the reason', async () => {
    const team = new TeamService({
      context: () => Promise.resolve(contextOf()),
      pool: () =>
        Promise.resolve({
          id: `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachineScaleSets/${pool}`,
          name: pool,
          subscriptionId: test.sandbox.subscriptionId,
          resourceGroup: group,
          os: 'Linux',
        }),
    })
    const me = await graphOf(contextOf()).me()
    const view = await team.add('p', me.id, 'Manager')
    expect(view.members.filter((m) => m.role === 'Manager').map((m) => m.id)).toEqual([me.id])
    await expect(team.remove('p', me.id)).rejects.toMatchObject({
      code: 'Validation',
      message: expect.stringContaining('only Manager'),
    })
    await expect(team.setRole('p', me.id, 'User')).rejects.toMatchObject({ code: 'Validation' })
  })
})

describe(
  'the wizard’s Access step default weighs registering applications',
  { timeout: 120_000 },
  () => {
    it('Ada (Application Developer) may: Microsoft accounts, over SSH and to JupyterHub; Grace’s right is not known', async () => {
      expect(await mayRegisterApps(graphOf(contextOf()))).toBe(true)
      // An ordinary user may not read the tenant's authorization policy: unknown, not refused.
      expect(await mayRegisterApps(graphOf(contextOf(grace)))).toBeUndefined()
      const ada = await teamAccessDefault(armClients(contextOf()), group, () =>
        mayRegisterApps(graphOf(contextOf())),
      )
      expect(ada).toMatchObject({ choice: 'entra', reason: expect.stringContaining('JupyterHub') })
      const refused = await teamAccessDefault(armClients(contextOf()), group, () =>
        Promise.resolve(false),
      )
      expect(refused.choice).toBe('poolAccounts')
      expect(refused.reason).toContain('does not let your account register applications')
      const graceDefault = await teamAccessDefault(armClients(contextOf(grace)), group, () =>
        mayRegisterApps(graphOf(contextOf(grace))),
      )
      expect(graceDefault.choice).toBe('poolAccounts')
    })
  },
)

describe(
  'a pool whose instances have no identity (the storage key in protected settings)',
  { timeout: 300_000 },
  () => {
    const keyPool = { resourceGroup: 'keypool-rg', poolName: 'keypool' }

    beforeAll(async () => {
      await deployPool(
        test,
        poolSpec(test, {
          poolName: 'keypool',
          instanceCount: 0,
          autoscale: { enabled: false, minimum: 0, maximum: 2, default: 0, schedule: null },
        }),
        { keyAccess: 'settings' },
      )
    }, 300_000)

    it('Alan (Reader) reads why JupyterHub keeps its own sign-in; Ada’s set-up changes nothing and says so', async () => {
      const status = await teamAccessStatus(
        armClients(contextOf('alan@contoso.example')),
        { ...keyPool, os: 'Linux' },
        test.sandbox.clock.now(),
      )
      expect(status.jupyterHub).toMatchObject({
        microsoftAccounts: false,
        unavailable: expect.stringContaining('no managed identity'),
      })
      const sent: string[] = []
      const result = await setUpJupyterHubSignIn(recordingClients(sent), files, keyPool, noAccounts)
      expect(result).toMatchObject({
        state: 'skipped',
        message: expect.stringContaining('no managed identity'),
      })
      expect(sent).toEqual([])
    })
  },
)
