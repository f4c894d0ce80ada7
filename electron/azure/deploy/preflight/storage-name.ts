import type { PoolSpec } from '../../../../shared/pool-spec'
import type { ArmClients } from '../clients'
import { check, statusOf, type Check } from './check'

/*
 * A new account's name must be free across Azure (a free one is suggested); an existing one must exist.
 */

export async function checkStorage(
  spec: PoolSpec,
  clients: ArmClients,
  random: () => number,
): Promise<Check> {
  const title = 'Storage account'
  const name = spec.storage.accountName
  if (spec.storage.mode === 'existing') {
    const group = spec.storage.accountResourceGroup ?? spec.resourceGroup.name
    try {
      await clients.storage.storageAccounts.getProperties(group, name)
      return check(
        'storage',
        title,
        'ok',
        `The share '${spec.storage.shareName}' of '${name}' (group ${group}) is mounted on every instance.`,
      )
    } catch (error) {
      if (statusOf(error) !== 404) throw error
      return check(
        'storage',
        title,
        'problem',
        `There is no storage account '${name}' in the group '${group}'. Choose an existing account on the Storage step, or let the pool create a new one.`,
      )
    }
  }
  const answer = await clients.storage.storageAccounts.checkNameAvailability({
    name,
    type: 'Microsoft.Storage/storageAccounts',
  })
  if (answer.nameAvailable)
    return check(
      'storage',
      title,
      'ok',
      `The name '${name}' is free; the pool creates the account and its share.`,
    )
  if (await isOurs(spec, clients))
    return check(
      'storage',
      title,
      'ok',
      `'${name}' already exists in the pool's group; the deployment keeps it.`,
    )
  const suggestion = await freeName(name, clients, random)
  return check(
    'storage',
    title,
    'problem',
    `The storage account name '${name}' is taken: names are unique across all of Azure.`,
    suggestion
      ? [
          {
            kind: 'change',
            label: `Use '${suggestion}'`,
            field: 'storage.accountName',
            value: suggestion,
          },
        ]
      : [],
  )
}

async function isOurs(spec: PoolSpec, clients: ArmClients): Promise<boolean> {
  try {
    await clients.storage.storageAccounts.getProperties(
      spec.resourceGroup.name,
      spec.storage.accountName,
    )
    return true
  } catch {
    return false
  }
}

/** A free name close to `name`: the same start with four digits. */
async function freeName(
  name: string,
  clients: ArmClients,
  random: () => number,
): Promise<string | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const digits = String(Math.floor(random() * 10_000)).padStart(4, '0')
    const candidate = `${name.slice(0, 20)}${digits}`
    const answer = await clients.storage.storageAccounts.checkNameAvailability({
      name: candidate,
      type: 'Microsoft.Storage/storageAccounts',
    })
    if (answer.nameAvailable) return candidate
  }
  return undefined
}
