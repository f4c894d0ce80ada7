import type { ShareClient } from '@azure/storage-file-share'
import { AppError } from '../../../shared/errors'
import { checkPoolAccountUser, type PoolAccount } from '../../../shared/pool-accounts'
import type { ArmContext } from '../arm-context'
import { armClients, type ArmClients } from '../deploy/clients'
import type { TemplateFiles } from '../deploy/template-files'
import { openShare } from '../files/share-client'
import { parseScaleSetId } from '../pools/model'
import { generateSshKey } from '../ssh-keys'
import { accountForKey, type MyPoolAccountsFile } from './my-pool-accounts'
import { checkAccountPassword, hashAccountPassword } from './password-hash'
import {
  applyAccountsToPool,
  checkPoolTakesAccounts,
  poolAccountsWayIn,
  readAccountList,
  withAccount,
  writeAccountList,
  type PoolAccountsStep,
} from './pool-accounts'

/**
 * Pool accounts as the app's calls use them (docs/team.md): a member makes their own account
 * (key pair and password hash made here, on their computer), anyone who may change the
 * scale set removes one. The renderer sees user names only, never a hash.
 */

export interface PoolAccountsPool {
  id: string
  name: string
  subscriptionId: string
  resourceGroup: string
  os: 'Linux' | 'Windows'
  adminUsername?: string
  /** The pool's storage account (from its tagged resources). */
  storage: { resourceGroup: string; account: string; share: string }
}

export interface PoolAccountsServiceOptions {
  context(subscriptionId: string): Promise<ArmContext>
  pool(poolId: string): Promise<PoolAccountsPool>
  files: TemplateFiles
  sshDir?: string
  /** The accounts this computer made (pool id -> user and key path), for every SSH path. */
  mine?: MyPoolAccountsFile
  onStep?(poolId: string, step: PoolAccountsStep): void
}

export interface PoolAccountsView {
  accounts: Array<{ user: string; keyComment: string }>
}

export interface MyPoolAccount extends PoolAccountsView {
  user: string
  privateKeyPath: string
}

/** The member's own account on a pool, as SSH uses it. */
export interface PoolAccountLogin {
  user: string
  keyPath: string
}

export class PoolAccountsService {
  constructor(private readonly options: PoolAccountsServiceOptions) {}

  async list(poolId: string): Promise<PoolAccountsView> {
    const { share } = await this.open(poolId)
    return view(await readAccountList(share))
  }

  /** The whole list (hashes included), for other updates of the protected script: main process only. */
  async accounts(poolId: string): Promise<PoolAccount[]> {
    const { share } = await this.open(poolId)
    return readAccountList(share)
  }

  /**
   * Whether pool accounts are this pool's way in ('accounts') or a fallback beside Microsoft
   * sign-in ('fallback'); an account made on this computer makes them the way in for its
   * member. Throws, with what to do, when the pool cannot take accounts. Needs no storage key.
   */
  async wayIn(poolId: string): Promise<{ mode: 'accounts' | 'fallback' }> {
    const { subscriptionId, resourceGroup, name } = parseScaleSetId(poolId)
    const clients = armClients(await this.options.context(subscriptionId))
    const mode = await poolAccountsWayIn(clients, { resourceGroup, poolName: name })
    if (mode === 'fallback' && (await this.options.mine?.get(poolId))) return { mode: 'accounts' }
    return { mode }
  }

  /** The signed-in member's own account: a new key pair and the hash of their password. */
  async setMine(poolId: string, user: string, password: string): Promise<MyPoolAccount> {
    const pool = await this.options.pool(poolId)
    const problem = checkPoolAccountUser(user, pool.adminUsername) ?? checkAccountPassword(password)
    if (problem) throw new AppError('Validation', problem)
    const { share, clients } = await this.open(poolId, pool)
    // Before a key is made: a pool that cannot take accounts says so first.
    await checkPoolTakesAccounts(clients, {
      resourceGroup: pool.resourceGroup,
      poolName: pool.name,
    })
    const key = await generateSshKey(`${pool.name}-${user}`.slice(0, 40), {
      ...(this.options.sshDir ? { sshDir: this.options.sshDir } : {}),
      comment: `${user}@${pool.name}`,
    })
    const account: PoolAccount = {
      user,
      passwordHash: hashAccountPassword(password),
      publicKey: key.publicKey,
    }
    const accounts = withAccount(await readAccountList(share), account, pool.adminUsername)
    await this.send(pool, share, clients, accounts)
    await this.options.mine?.set(pool.id, { user, keyPath: key.privateKeyPath })
    return { ...view(accounts), user, privateKeyPath: key.privateKeyPath }
  }

  /**
   * The account this computer made on the pool, while the pool's list still holds its public
   * key and the private key is still here; undefined otherwise (nothing is read from the
   * share when this computer made no account there).
   */
  async login(poolId: string): Promise<PoolAccountLogin | undefined> {
    const record = await this.options.mine?.get(poolId)
    if (!record) return undefined
    const { share } = await this.open(poolId)
    const account = await accountForKey(await readAccountList(share), record.keyPath)
    return account && { user: account.user, keyPath: record.keyPath }
  }

  async remove(poolId: string, user: string): Promise<PoolAccountsView> {
    const pool = await this.options.pool(poolId)
    const { share, clients } = await this.open(poolId, pool)
    const before = await readAccountList(share)
    if (!before.some((a) => a.user === user))
      throw new AppError('NotFound', `The pool has no account named ${user}.`)
    const accounts = before.filter((a) => a.user !== user)
    await this.send(pool, share, clients, accounts)
    return view(accounts)
  }

  private async open(
    poolId: string,
    known?: PoolAccountsPool,
  ): Promise<{ pool: PoolAccountsPool; share: ShareClient; clients: ArmClients }> {
    const pool = known ?? (await this.options.pool(poolId))
    if (pool.os !== 'Linux')
      throw new AppError(
        'Validation',
        'Pool accounts are for Linux pools. On a Windows pool, members sign in with their Microsoft account.',
      )
    const context = await this.options.context(pool.subscriptionId)
    const share = await openShare(context, {
      subscriptionId: pool.subscriptionId,
      resourceGroup: pool.storage.resourceGroup,
      account: pool.storage.account,
      share: pool.storage.share,
    })
    return { pool, share, clients: armClients(context) }
  }

  /** The list first (it is what the next update starts from), then the model and instances. */
  private async send(
    pool: PoolAccountsPool,
    share: ShareClient,
    clients: ArmClients,
    accounts: PoolAccount[],
  ): Promise<void> {
    this.options.onStep?.(pool.id, 'list')
    await writeAccountList(share, accounts)
    await applyAccountsToPool(
      clients,
      this.options.files,
      {
        resourceGroup: pool.resourceGroup,
        poolName: pool.name,
        ...(pool.adminUsername ? { adminUsername: pool.adminUsername } : {}),
      },
      accounts,
      (step) => this.options.onStep?.(pool.id, step),
    )
  }
}

function view(accounts: PoolAccount[]): PoolAccountsView {
  return {
    accounts: accounts
      .map((a) => ({ user: a.user, keyComment: a.publicKey.split(/\s+/)[2] ?? '' }))
      .sort((a, b) => a.user.localeCompare(b.user)),
  }
}
