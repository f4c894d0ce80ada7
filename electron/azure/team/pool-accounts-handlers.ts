import type { HandlersFor } from '../../ipc/handlers'
import type { PoolAccountsService } from './pool-accounts-service'

/** team.poolAccounts.*: the fallback without Entra sign-in (docs/team.md). */
export function poolAccountsHandlers({ poolAccounts }: { poolAccounts: PoolAccountsService }) {
  return {
    'team.poolAccounts': ({ poolId }) => poolAccounts.list(poolId),
    'team.poolAccounts.wayIn': ({ poolId }) => poolAccounts.wayIn(poolId),
    'team.poolAccounts.setMine': ({ poolId, user, password }) =>
      poolAccounts.setMine(poolId, user, password),
    'team.poolAccounts.remove': ({ poolId, user }) => poolAccounts.remove(poolId, user),
  } satisfies HandlersFor<'team.poolAccounts'>
}
