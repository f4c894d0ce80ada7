import { AppError } from '../../../shared/errors'
import type { HandlersFor } from '../../ipc/handlers'
import type { CloudSession } from '../cloud-session'
import { armClients } from '../deploy/clients'
import type { PoolService } from '../pools/pool-service'
import { setUpEntraLogin } from './entra-setup'
import type { TeamService } from './team-service'

export interface TeamHandlerDeps {
  team: TeamService
  session(): Promise<CloudSession>
  poolService(): Promise<PoolService>
}

/** team.* (but pool accounts): a pool's members from role assignments (docs/team.md). */
export function teamHandlers({ team, session, poolService }: TeamHandlerDeps) {
  return {
    'team.members': ({ poolId }) => team.view(poolId),
    'team.search': ({ poolId, text }) => team.search(poolId, text),
    'team.add': ({ poolId, userId, role }) => team.add(poolId, userId, role),
    'team.setRole': ({ poolId, userId, role }) => team.setRole(poolId, userId, role),
    'team.remove': ({ poolId, userId }) => team.remove(poolId, userId),
    'team.joinRequest': ({ poolId }) => team.joinRequest(poolId),
    'team.setUpEntra': async ({ poolId }) => {
      const { pools: all } = await (await poolService()).list()
      const pool = all.find((p) => p.id.toLowerCase() === poolId.toLowerCase())
      if (!pool)
        throw new AppError('NotFound', 'This pool was not found in your chosen subscriptions.')
      const context = await (await session()).arm.for(pool.subscriptionId)
      return setUpEntraLogin(armClients(context).compute, {
        resourceGroup: pool.resourceGroup,
        poolName: pool.name,
        os: pool.os,
      })
    },
  } satisfies Omit<HandlersFor<'team'>, keyof HandlersFor<'team.poolAccounts'>>
}
