import { join } from 'node:path'
import type { CloudSession } from '../cloud-session'
import type { TemplateFiles } from '../deploy/template-files'
import type { PoolRecord } from '../pools/discovery'
import type { PoolService } from '../pools/pool-service'
import { creatorBecomesManager } from './creator-becomes-manager'
import { MyPoolAccountsFile } from './my-pool-accounts'
import { poolAccountsPool } from './pool-accounts-pool'
import { PoolAccountsService } from './pool-accounts-service'
import { TeamService, type TeamPool } from './team-service'

export interface TeamServicesDeps {
  session(): Promise<CloudSession>
  poolService(): Promise<PoolService>
  /** The pool with this id from the current list, or NotFound. */
  pool(poolId: string): Promise<TeamPool>
  /** The poller's record of a pool (its tagged resources), or NotFound. */
  poolRecord(poolId: string): Promise<PoolRecord>
  /** The pool template's files (the pool accounts script). */
  poolFiles: TemplateFiles
  sshDir: string
  /** The app's data folder: the pool accounts this computer made are listed there. */
  dataDir: string
  log(level: 'info' | 'warn', message: string): void
}

/**
 * A pool's team (members from role assignments on its group) and the pool accounts, the
 * fallback without Entra sign-in (docs/team.md); a new pool's creator becomes its Manager.
 */
export function createTeamServices(deps: TeamServicesDeps) {
  const armFor = async (subscriptionId: string) => (await deps.session()).arm.for(subscriptionId)
  const team = new TeamService({ context: armFor, pool: deps.pool })
  const poolAccounts = new PoolAccountsService({
    context: armFor,
    files: deps.poolFiles,
    sshDir: deps.sshDir,
    mine: new MyPoolAccountsFile(join(deps.dataDir, 'my-pool-accounts.json')),
    pool: poolAccountsPool(deps),
  })
  return { team, poolAccounts, creatorBecomesManager: creatorBecomesManager(team, deps.log) }
}
