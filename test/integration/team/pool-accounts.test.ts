import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import type { ArmContext } from '../../../electron/azure/arm-context'
import { armClients } from '../../../electron/azure/deploy/clients'
import { templateFiles } from '../../../electron/azure/deploy/template-files'
import { openShare } from '../../../electron/azure/files/share-client'
import { ed25519KeyPair } from '../../../electron/azure/ssh-keys'
import { hashAccountPassword } from '../../../electron/azure/team/password-hash'
import {
  accountListPath,
  applyAccountsToPool,
  readAccountList,
  withAccount,
  writeAccountList,
  type PoolAccountsStep,
} from '../../../electron/azure/team/pool-accounts'
import { setUpEntraLogin, type EntraSetupStep } from '../../../electron/azure/team/entra-setup'
import type { PoolAccount } from '../../../shared/pool-accounts'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { deployPool, poolSpec } from '../pool-template/deploy'

/*
 * Pool accounts on a deployed Linux pool, through the real SDK clients against the sandbox:
 * the list reaches the scale set's model (protected settings, a new forceUpdateTag) and the
 * running instances (manual upgrade, no restart), where the sandbox runs pool-accounts.sh;
 * a member taken off the list loses the account; no hash is readable anywhere in Azure.
 */

let test: TestSandbox
const files = templateFiles()
const group = 'acctpool-rg'
const target = { resourceGroup: group, poolName: 'acctpool', adminUsername: 'dsvmadmin' }

const alan: PoolAccount = {
  user: 'alan',
  passwordHash: hashAccountPassword('alan turing machine 1936'),
  publicKey: ed25519KeyPair('alan@laptop').publicKey,
}
const kate: PoolAccount = {
  user: 'kate',
  passwordHash: hashAccountPassword('katherine johnson orbit'),
  publicKey: ed25519KeyPair('kate@desk').publicKey,
}

const contextOf = (username = 'ada@contoso.example'): ArmContext => ({
  cloud: sandboxCloud(test.sandbox),
  subscriptionId: test.sandbox.subscriptionId,
  tenantId: test.sandbox.tenantId,
  accountId: username,
  credential: test.credential(username),
  tlsCa: test.sandbox.caCert,
})

const share = () =>
  openShare(contextOf(), {
    subscriptionId: test.sandbox.subscriptionId,
    resourceGroup: group,
    account: 'acctpoolfiles',
    share: 'notebooks',
  })

/** The mount-share extension's status message on each instance (what its run printed). */
async function extensionMessages(): Promise<string[]> {
  const compute = armClients(contextOf()).compute
  const messages: string[] = []
  for await (const vm of compute.virtualMachineScaleSetVMs.list(group, 'acctpool')) {
    const view = await compute.virtualMachineScaleSetVMs.getInstanceView(
      group,
      'acctpool',
      vm.instanceId!,
    )
    const status = view.extensions?.find((e) => e.name === 'mount-share')?.statuses?.[0]
    messages.push(status?.message ?? '')
  }
  return messages
}

async function everythingAzureShows(): Promise<string> {
  const clients = armClients(contextOf())
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(group, 'acctpool')
  const vms = []
  for await (const vm of clients.compute.virtualMachineScaleSetVMs.list(group, 'acctpool'))
    vms.push(vm)
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
  test = await startTestSandbox()
  await deployPool(
    test,
    poolSpec(test, {
      poolName: 'acctpool',
      instanceCount: 2,
      autoscale: { enabled: false, minimum: 0, maximum: 4, default: 2, schedule: null },
    }),
  )
}, 300_000)
afterAll(() => test?.close())

describe('pool accounts on a running Linux pool', { timeout: 300_000 }, () => {
  it('adds members’ accounts to the model and to the running instances without a restart', async () => {
    const clients = armClients(contextOf())
    const before = await clients.compute.virtualMachineScaleSets.get(group, 'acctpool')
    const mountBefore = before.virtualMachineProfile!.extensionProfile!.extensions!.find(
      (e) => e.name === 'mount-share',
    )!

    const list = withAccount(withAccount([], alan, 'dsvmadmin'), kate, 'dsvmadmin')
    await writeAccountList(await share(), list)
    const steps: PoolAccountsStep[] = []
    const result = await applyAccountsToPool(clients, files, target, list, (s) => steps.push(s))
    expect(steps).toEqual(['model', 'instances'])
    expect(result.upgradedInstances.sort()).toEqual(['0', '1'])

    const after = await clients.compute.virtualMachineScaleSets.get(group, 'acctpool')
    const extensions = after.virtualMachineProfile!.extensionProfile!.extensions!
    const mount = extensions.find((e) => e.name === 'mount-share')!
    expect(mount.forceUpdateTag).toMatch(/^[0-9a-f-]{36}$/)
    expect(mount.forceUpdateTag).not.toBe(mountBefore.forceUpdateTag)
    // The Entra login extension is still there, as it was.
    expect(extensions.map((e) => e.name)).toEqual(
      before.virtualMachineProfile!.extensionProfile!.extensions!.map((e) => e.name),
    )

    for await (const vm of clients.compute.virtualMachineScaleSetVMs.list(group, 'acctpool')) {
      expect(vm.latestModelApplied).toBe(true)
      const view = await clients.compute.virtualMachineScaleSetVMs.getInstanceView(
        group,
        'acctpool',
        vm.instanceId!,
      )
      // Running all along: an extension change is no reason to restart.
      expect(view.statuses?.map((s) => s.code)).toContain('PowerState/running')
    }
    for (const message of await extensionMessages()) {
      expect(message).toContain('pool-accounts: made the account alan')
      expect(message).toContain('pool-accounts: made the account kate')
      expect(message).toContain('Enable succeeded')
    }
    expect(await readAccountList(await share())).toEqual(list)
  })

  it('a Contributor, who cannot assign roles, takes a member off the list on the model and the running instances', async () => {
    // Grace is Contributor on the subscription: no role assignments, but pool accounts.
    const clients = armClients(contextOf('grace@contoso.example'))
    const list = (await readAccountList(await share())).filter((a) => a.user !== 'kate')
    await writeAccountList(await share(), list)
    const result = await applyAccountsToPool(clients, files, target, list)
    expect(result.upgradedInstances.sort()).toEqual(['0', '1'])
    // The sandbox runs each extension in a fresh instance root, so it shows the run's list
    // (alan, not kate); that a run removes an account it made earlier is tested on the
    // script itself (test/unit/scripts/pool-accounts.test.ts).
    for (const message of await extensionMessages()) {
      expect(message).toContain('pool-accounts: made the account alan')
      expect(message).not.toContain('kate')
    }
    expect((await readAccountList(await share())).map((a) => a.user)).toEqual(['alan'])
  })

  it('new instances get the accounts from the model', async () => {
    const clients = armClients(contextOf())
    await clients.compute.virtualMachineScaleSets.beginUpdateAndWait(group, 'acctpool', {
      sku: { name: 'Standard_D4s_v5', capacity: 3 },
    })
    const messages = await extensionMessages()
    expect(messages).toHaveLength(3)
    // The instance added now ran the model's script with the current list: alan only.
    expect(messages[2]).toContain('pool-accounts: made the account alan')
    expect(messages[2]).not.toContain('kate')
  })

  it('leaves no password hash in the model, instances, deployments, tags or outputs', async () => {
    const shown = await everythingAzureShows()
    for (const account of [alan, kate]) {
      expect(shown).not.toContain(account.passwordHash)
      expect(shown).not.toContain(account.passwordHash.split('$')[3])
    }
    expect(shown).not.toContain('POOL_ACCOUNTS=')
    expect(accountListPath.startsWith('.dsvm-pool/')).toBe(true)
  })

  it('refuses an account that would take the administrator’s name, with what to do', () => {
    expect(() => withAccount([], { ...alan, user: 'dsvmadmin' }, 'dsvmadmin')).toThrow(
      /'dsvmadmin' is taken on the instances; choose another name/,
    )
  })
})

describe('"Set up team access" on a pool without the Entra ID login', { timeout: 300_000 }, () => {
  it('adds the extension and the identity it needs to the model, and to the running instances without a restart', async () => {
    const compute = armClients(contextOf()).compute
    // The pool as an older app made it: no Entra ID login extension, no system identity.
    const before = await compute.virtualMachineScaleSets.get(group, 'acctpool')
    const kept = before.virtualMachineProfile!.extensionProfile!.extensions!.filter(
      (e) => e.name !== 'AADSSHLoginForLinux',
    )
    const userAssigned = Object.keys(before.identity?.userAssignedIdentities ?? {})
    expect(userAssigned).toHaveLength(1)
    await compute.virtualMachineScaleSets.beginUpdateAndWait(group, 'acctpool', {
      identity: {
        type: 'UserAssigned',
        userAssignedIdentities: Object.fromEntries(userAssigned.map((id) => [id, {}])),
      },
      virtualMachineProfile: {
        extensionProfile: {
          extensions: kept.map(({ id: _id, type: _type, provisioningState: _p, ...rest }) => rest),
        },
      },
    })
    const instanceIds: string[] = []
    for await (const vm of compute.virtualMachineScaleSetVMs.list(group, 'acctpool'))
      instanceIds.push(vm.instanceId!)
    await compute.virtualMachineScaleSets.beginUpdateInstancesAndWait(group, 'acctpool', {
      instanceIds,
    })

    const steps: EntraSetupStep[] = []
    const result = await setUpEntraLogin(
      compute,
      { resourceGroup: group, poolName: 'acctpool', os: 'Linux' },
      (step) => steps.push(step),
    )
    expect(result.added).toBe(true)
    expect(result.upgradedInstances.sort()).toEqual(instanceIds.sort())
    expect(steps).toEqual(['identity', 'extension', 'instances'])

    const after = await compute.virtualMachineScaleSets.get(group, 'acctpool')
    expect(after.identity?.type).toBe('SystemAssigned, UserAssigned')
    // The pool's own identity (it reads the storage key) is still attached.
    expect(Object.keys(after.identity?.userAssignedIdentities ?? {})).toHaveLength(1)
    const names = after.virtualMachineProfile!.extensionProfile!.extensions!.map((e) => e.name)
    expect(names).toEqual(expect.arrayContaining(['mount-share', 'AADSSHLoginForLinux']))
    const entra = await compute.virtualMachineScaleSetExtensions.get(
      group,
      'acctpool',
      'AADSSHLoginForLinux',
    )
    expect(entra).toMatchObject({
      publisher: 'Microsoft.Azure.ActiveDirectory',
      typePropertiesType: 'AADSSHLoginForLinux',
    })
    for await (const vm of compute.virtualMachineScaleSetVMs.list(group, 'acctpool')) {
      expect(vm.latestModelApplied).toBe(true)
      const view = await compute.virtualMachineScaleSetVMs.getInstanceView(
        group,
        'acctpool',
        vm.instanceId!,
      )
      expect(view.statuses?.map((s) => s.code)).toContain('PowerState/running')
    }

    // Set up already: nothing changes.
    const again = await setUpEntraLogin(compute, {
      resourceGroup: group,
      poolName: 'acctpool',
      os: 'Linux',
    })
    expect(again).toEqual({ added: false, upgradedInstances: [] })
  })
})
