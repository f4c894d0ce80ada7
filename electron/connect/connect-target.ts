import type { CloudSession } from '../azure/cloud-session'
import { findPool } from '../azure/pools/find-pool'
import type { PoolService } from '../azure/pools/pool-service'
import { SshCertificates } from '../azure/ssh-cert/certificates'
import {
  mayLogInToPool,
  usesEntraSshLogin,
  usesEntraWindowsLogin,
} from '../azure/ssh-cert/entra-login'
import type { PoolAccountsService } from '../azure/team/pool-accounts-service'
import { ConnectService, type ConnectServiceOptions, type ConnectTarget } from './connect-service'
import { chooseSshIdentity } from './ssh-identity'

export interface ConnectTargetDeps {
  session(): Promise<CloudSession>
  poolService(): Promise<PoolService>
  /** The member's own pool account on a pool (the fallback without Entra sign-in). */
  poolAccounts: Pick<PoolAccountsService, 'login'>
  sshCertificates: Pick<SshCertificates, 'for'>
  log(level: 'warn', message: string): void
}

/**
 * What connect needs for a pool: its instances, its admin and keys from the scale set model,
 * and whom the member connects as (their Entra certificate, their pool account, or the admin).
 */
export function connectTarget({
  session,
  poolService,
  poolAccounts,
  sshCertificates,
  log,
}: ConnectTargetDeps): (poolId: string) => Promise<ConnectTarget> {
  return async (poolId) => {
    const service = await poolService()
    const pool = await findPool(service, poolId)
    const scaleSet = service.poller.scaleSet(pool.id)
    const osProfile = scaleSet?.virtualMachineProfile?.osProfile
    const adminUsername = osProfile?.adminUsername
    const authorizedKeys = osProfile?.linuxConfiguration?.ssh?.publicKeys?.flatMap((key) =>
      key.keyData ? [key.keyData] : [],
    )
    // The member's Entra certificate, or their own pool account, or the admin (ssh-identity.ts).
    const { entra, poolAccount } =
      pool.os === 'Linux'
        ? await chooseSshIdentity({
            entraLogin: !!scaleSet && usesEntraSshLogin(scaleSet),
            poolAccount: () =>
              poolAccounts.login(pool.id).catch((error: unknown) => {
                log('warn', `Your pool account could not be checked: ${String(error)}`)
                return undefined
              }),
            mayUseEntraLogin: async () =>
              mayLogInToPool(
                await (await session()).arm.for(pool.subscriptionId),
                pool.resourceGroup,
              ),
            entraCertificate: async () => {
              const context = await (await session()).arm.for(pool.subscriptionId)
              return sshCertificates.for(context.accountId, context.tenantId)
            },
          })
        : {}
    // Entra ID login on Windows instances: the RDP file signs in with the member's account.
    let entraRdpUser: string | undefined
    if (pool.os === 'Windows' && scaleSet && usesEntraWindowsLogin(scaleSet)) {
      const current = await session()
      const context = await current.arm.for(pool.subscriptionId)
      entraRdpUser = (await current.auth.accounts()).find(
        (a) => a.id === context.accountId,
      )?.username
    }
    return {
      pool,
      instances: await service.instances(pool.id),
      ...(adminUsername ? { adminUsername } : {}),
      ...(authorizedKeys?.length ? { authorizedKeys } : {}),
      ...(entra ? { entra } : {}),
      ...(poolAccount ? { poolAccount } : {}),
      ...(entraRdpUser ? { entraRdpUser } : {}),
    }
  }
}

export interface ConnectDeps
  extends Omit<ConnectTargetDeps, 'sshCertificates'>, Omit<ConnectServiceOptions, 'target'> {}

/** The connect service, with Entra SSH certificates issued for the session's account. */
export function createConnect(deps: ConnectDeps): ConnectService {
  const { session, poolService, poolAccounts, log, ...options } = deps
  const sshCertificates = new SshCertificates({
    sshDir: options.sshDir,
    request: async (accountId, tenantId, key, forceRefresh) =>
      (await session()).auth.sshCertificate(accountId, key, tenantId, forceRefresh),
  })
  return new ConnectService({
    ...options,
    target: connectTarget({ session, poolService, poolAccounts, sshCertificates, log }),
  })
}
