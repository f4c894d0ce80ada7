import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { allowsVmLogin } from '../../../electron/azure/ssh-cert/entra-login'
import { generateSshKey, ed25519KeyPair } from '../../../electron/azure/ssh-keys'
import { accountForKey, MyPoolAccountsFile } from '../../../electron/azure/team/my-pool-accounts'
import type { PoolAccount } from '../../../shared/pool-accounts'

const hash = `$6$rounds=100000$abcdefghijklmnop$${'a'.repeat(86)}`
const poolId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool-2'

describe('the pool accounts this computer made', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'my-accounts-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('is remembered across restarts (a new reader of the same file), by pool id in any case, with no secret', async () => {
    const file = join(dir, 'data', 'my-pool-accounts.json')
    await new MyPoolAccountsFile(file).set(poolId, { user: 'grace', keyPath: '/k/dsvm-x-grace' })
    const again = new MyPoolAccountsFile(file)
    expect(await again.get(poolId.toUpperCase())).toEqual({
      user: 'grace',
      keyPath: '/k/dsvm-x-grace',
    })
    expect(await again.get(`${poolId}-other`)).toBeUndefined()
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).not.toMatch(/PRIVATE KEY|\$6\$/)
  })

  it('reads a damaged record as empty', async () => {
    const file = join(dir, 'my-pool-accounts.json')
    writeFileSync(file, '{ not json')
    expect(await new MyPoolAccountsFile(file).get(poolId)).toBeUndefined()
  })

  it('finds the member’s account on the list by public key, whatever the file and pool are called', async () => {
    // A pool whose name holds hyphens and digits: the file name says nothing reliable.
    const key = await generateSshKey('team-pool-2-grace', { sshDir: dir, comment: 'laptop' })
    const mine: PoolAccount = {
      user: 'ghopper',
      passwordHash: hash,
      // The list holds the same key with another comment.
      publicKey: `${key.publicKey.split(' ').slice(0, 2).join(' ')} grace@team-pool-2`,
    }
    const other: PoolAccount = {
      user: 'alan',
      passwordHash: hash,
      publicKey: ed25519KeyPair('alan').publicKey,
    }
    expect(await accountForKey([other, mine], key.privateKeyPath)).toEqual(mine)
    // Removed from the list by a Manager: no longer the member's account.
    expect(await accountForKey([other], key.privateKeyPath)).toBeUndefined()
    // The private key is gone from this computer: nothing to connect with.
    unlinkSync(key.privateKeyPath)
    expect(await accountForKey([other, mine], key.privateKeyPath)).toBeUndefined()
  })
})

describe('allowsVmLogin', () => {
  it('is true for the login data action of the VM login roles, false for Owner and Contributor', () => {
    expect(
      allowsVmLogin([{ dataActions: ['Microsoft.Compute/virtualMachines/login/action'] }]),
    ).toBe(true)
    expect(allowsVmLogin([{ dataActions: ['Microsoft.Compute/virtualMachines/*'] }])).toBe(true)
    // Owner: every action, no data action.
    expect(allowsVmLogin([{ dataActions: [] }, {}])).toBe(false)
    expect(
      allowsVmLogin([
        {
          dataActions: ['Microsoft.Compute/*'],
          notDataActions: ['Microsoft.Compute/virtualMachines/login/action'],
        },
      ]),
    ).toBe(false)
  })
})
