import type { KeyAccess } from '../../../shared/parameter-file'
import type { PoolSpec } from '../../../shared/pool-spec'
import type { ArmClients } from './clients'
import { check, type Check } from './preflight/check'
import { allowedBy } from './preflight/permissions'

/**
 * How the pool's instances get the storage key. With the right to assign roles where the
 * storage account lives, the template gives the scale set a managed identity that may read
 * that one account's keys ('identity'): no key passes through the deployment. Without it,
 * the key travels in protected settings ('settings'), as Azure's Custom Script extension
 * keeps them: encrypted, readable on the instances by administrators only.
 */

const neededActions = [
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.ManagedIdentity/userAssignedIdentities/write',
]

/** The scope whose permissions decide: the account's resource group, or the subscription if it is new. */
async function permissionsAt(spec: PoolSpec, clients: ArmClients) {
  const group =
    spec.storage.mode === 'existing'
      ? (spec.storage.accountResourceGroup ?? spec.resourceGroup.name)
      : spec.resourceGroup.name
  return permissionsAtGroup(clients, group)
}

/** What the person may do at the group, or at the subscription while the group does not exist. */
async function permissionsAtGroup(clients: ArmClients, group: string) {
  const sub = clients.context.subscriptionId
  for (const scope of [
    `/subscriptions/${sub}/resourcegroups/${encodeURIComponent(group)}`,
    `/subscriptions/${sub}`,
  ]) {
    try {
      const answer = await clients.request<{
        value?: Array<{ actions?: string[]; notActions?: string[] }>
      }>('GET', `${scope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`)
      return answer?.value ?? []
    } catch {
      // A group that does not exist yet: the subscription's permissions apply.
    }
  }
  return []
}

export async function chooseKeyAccess(spec: PoolSpec, clients: ArmClients): Promise<KeyAccess> {
  const permissions = await permissionsAt(spec, clients)
  return neededActions.every((action) => allowedBy(permissions, action)) ? 'identity' : 'settings'
}

/** What the Review step says about the storage key, in plain words. */
export function keyAccessCheck(spec: PoolSpec, access: KeyAccess): Check {
  const title = 'Storage key'
  if (access === 'identity') {
    return check(
      'storageKey',
      title,
      'ok',
      `No storage key passes through the deployment: the pool gets a managed identity that may read the keys of '${spec.storage.accountName}' and nothing else, and instances fetch the key themselves at each start.`,
    )
  }
  return check(
    'storageKey',
    title,
    'warning',
    `You may not assign roles here, so the pool cannot get a managed identity for its share. The storage key of '${spec.storage.accountName}' will travel to the instances in the deployment's protected settings (encrypted, readable on the instances by administrators only) and "Rotate storage key" will not reach running instances. To avoid this, ask an Owner or User Access Administrator of the ${spec.storage.mode === 'existing' ? "storage account's" : "pool's"} resource group to create the pool, or to give you that role.`,
  )
}

/**
 * The wizard's default for how teammates sign in (docs/team.md): Microsoft accounts where
 * the person may assign roles on the pool's group (members are role assignments) and, on
 * Linux, JupyterHub's sign-in can be set up too (registering an application, when the app can
 * tell); pool accounts otherwise, with the reason in plain words.
 */
export async function teamAccessDefault(
  clients: ArmClients,
  resourceGroup: string,
  mayRegister: () => Promise<boolean | undefined> = () => Promise.resolve(undefined),
): Promise<{ choice: 'entra' | 'poolAccounts'; reason: string }> {
  const permissions = await permissionsAtGroup(clients, resourceGroup)
  if (!allowedBy(permissions, 'Microsoft.Authorization/roleAssignments/write'))
    return {
      choice: 'poolAccounts',
      reason:
        'You may not assign roles here (that needs Owner or User Access Administrator), so you could not add teammates as members: pool accounts are chosen. An Owner can still add members under Team later; they then sign in with their Microsoft accounts.',
    }
  const register = await mayRegister().catch(() => undefined)
  if (register === false)
    return {
      choice: 'poolAccounts',
      reason:
        'You may assign roles here, but your organisation does not let your account register applications, which JupyterHub sign-in with Microsoft accounts needs: with Microsoft accounts, members would sign in over SSH as themselves but JupyterHub would keep its local sign-in, which none of them could use. Pool accounts are chosen: each member gets an SSH key and a JupyterHub password. Ask your IT administrator for the Application Developer role to use Microsoft accounts everywhere.',
    }
  return {
    choice: 'entra',
    reason:
      register === true
        ? 'You may assign roles and register applications here, so teammates you add as members sign in with their Microsoft accounts, over SSH and to JupyterHub.'
        : 'You may assign roles here, so you can add teammates as members who sign in with their Microsoft accounts. Whether your organisation lets you register the application JupyterHub signs in with is checked when you deploy: if not, JupyterHub keeps its own sign-in and the finished deployment says why.',
  }
}
