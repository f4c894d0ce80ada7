import type { HandlersFor } from '../../ipc/handlers'
import type { EventHub } from '../../ipc/events'
import type { CloudSession } from '../cloud-session'
import { armClients } from '../deploy/clients'
import type { TemplateFiles } from '../deploy/template-files'
import { findPool } from '../pools/find-pool'
import type { PoolService } from '../pools/pool-service'
import { setUpEntraLogin, type EntraSetupStep } from './entra-setup'
import {
  renewJupyterHubSecret,
  setUpJupyterHubSignIn,
  teamAccessStatus,
  type JupyterHubSetupStep,
} from './jupyterhub-setup'
import type { PoolAccountsService } from './pool-accounts-service'
import type { TeamService } from './team-service'

export interface TeamHandlerDeps {
  team: TeamService
  session(): Promise<CloudSession>
  poolService(): Promise<PoolService>
  events: EventHub
  /** The pool template's files: "Set up team access" writes the script the template writes. */
  poolFiles: TemplateFiles
  poolAccounts: PoolAccountsService
  /** Azure's time now: the sandbox's clock when it is the cloud. */
  azureNow(): number
}

const entraStepText: Record<EntraSetupStep, string> = {
  identity: 'Turning on the scale set’s managed identity…',
  extension: 'Adding Microsoft’s sign-in extension to the scale set…',
  instances: 'Bringing the running instances to the new model (no restart)…',
}

const jupyterHubStepText: Record<JupyterHubSetupStep, string> = {
  app: 'Registering the pool’s JupyterHub application with Microsoft Entra…',
  model: 'Sending the JupyterHub sign-in to the scale set’s model (protected settings)…',
  instances: 'Bringing the running instances to the new model (no restart)…',
}

/** team.* (but pool accounts): a pool's members from role assignments (docs/team.md). */
export function teamHandlers({
  team,
  session,
  poolService,
  events,
  poolFiles,
  poolAccounts,
  azureNow,
}: TeamHandlerDeps) {
  // ---- "Set up team access" and the JupyterHub secret (docs/team.md)
  async function teamAccessTarget(poolId: string) {
    const pool = await findPool(await poolService(), poolId)
    const context = await (await session()).arm.for(pool.subscriptionId)
    return { pool, clients: armClients(context) }
  }

  return {
    'team.members': ({ poolId }) => team.view(poolId),
    'team.search': ({ poolId, text }) => team.search(poolId, text),
    'team.add': ({ poolId, userId, role }) => team.add(poolId, userId, role),
    'team.setRole': ({ poolId, userId, role }) => team.setRole(poolId, userId, role),
    'team.remove': ({ poolId, userId }) => team.remove(poolId, userId),
    'team.joinRequest': ({ poolId }) => team.joinRequest(poolId),
    'team.setUpEntra': async ({ poolId }) => {
      const { pool, clients } = await teamAccessTarget(poolId)
      const progress = (text: string) => events.emit('team.accessProgress', { poolId, text })
      progress('Adding Microsoft’s sign-in to the scale set…')
      const entra = await setUpEntraLogin(
        clients.compute,
        { resourceGroup: pool.resourceGroup, poolName: pool.name, os: pool.os },
        (step) => progress(entraStepText[step]),
      )
      if (pool.os !== 'Linux') return entra
      const hub = await setUpJupyterHubSignIn(
        clients,
        poolFiles,
        { resourceGroup: pool.resourceGroup, poolName: pool.name },
        () => poolAccounts.accounts(poolId),
        (step) => progress(jupyterHubStepText[step]),
      )
      return {
        added: entra.added || hub.state === 'added',
        upgradedInstances: [
          ...new Set([
            ...entra.upgradedInstances,
            ...(hub.state === 'added' ? hub.upgradedInstances : []),
          ]),
        ],
        jupyterHub: { state: hub.state, message: hub.message },
      }
    },
    'team.accessStatus': async ({ poolId }) => {
      const { pool, clients } = await teamAccessTarget(poolId)
      return teamAccessStatus(
        clients,
        { resourceGroup: pool.resourceGroup, poolName: pool.name, os: pool.os },
        azureNow(),
      )
    },
    'team.renewJupyterHubSecret': async ({ poolId }) => {
      const { pool, clients } = await teamAccessTarget(poolId)
      return renewJupyterHubSecret(
        clients,
        poolFiles,
        { resourceGroup: pool.resourceGroup, poolName: pool.name },
        () => poolAccounts.accounts(poolId),
        (step) => events.emit('team.accessProgress', { poolId, text: jupyterHubStepText[step] }),
      )
    },
  } satisfies Omit<HandlersFor<'team'>, keyof HandlersFor<'team.poolAccounts'>>
}
