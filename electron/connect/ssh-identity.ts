/*
 * Whom a member connects as over SSH to a Linux pool (docs/team.md), for every SSH path
 * alike (the buttons, the copied command, the ~/.ssh/config block, VS Code Remote-SSH):
 *
 * 1. the Entra ID certificate, on a pool whose scale set carries the Entra ID login, unless
 *    the member has their own pool account there and no login role (Virtual Machine User or
 *    Administrator Login) at the pool's group, so the extension would turn them away;
 * 2. their own pool account (user name and the key the app made for them), while the pool's
 *    account list still holds its public key;
 * 3. otherwise the administrator and the pool's key from the wizard (nothing chosen here).
 */

export interface EntraSshLogin {
  user: string
  keyPath: string
  certificatePath: string
}

export interface PoolAccountSshLogin {
  user: string
  keyPath: string
}

export interface SshIdentitySources {
  /** Does the pool's scale set carry the Entra ID login for Linux (AADSSHLoginForLinux)? */
  entraLogin: boolean
  /** The member's pool account on this pool, or undefined (none made here, removed, key gone). */
  poolAccount(): Promise<PoolAccountSshLogin | undefined>
  /**
   * Does the member hold a login role at the pool's group (the Entra ID login lets them in)?
   * Asked only when they also have a pool account; when it cannot be told, the account wins.
   */
  mayUseEntraLogin(): Promise<boolean>
  entraCertificate(): Promise<EntraSshLogin>
}

export type SshIdentity =
  | { entra: EntraSshLogin; poolAccount?: undefined }
  | { poolAccount: PoolAccountSshLogin; entra?: undefined }
  | { entra?: undefined; poolAccount?: undefined }

export async function chooseSshIdentity(sources: SshIdentitySources): Promise<SshIdentity> {
  const account = await sources.poolAccount()
  if (sources.entraLogin && (!account || (await sources.mayUseEntraLogin().catch(() => false))))
    return { entra: await sources.entraCertificate() }
  if (account) return { poolAccount: account }
  return {}
}
