import type { PoolSpec } from '../../../shared/pool-spec'
import type { JupyterHubSignIn } from '../../../shared/parameter-file'
import type { ArmContext } from '../arm-context'
import { GraphClient } from '../team/graph-client'
import {
  deleteJupyterHubApp,
  jupyterHubSignInParameter,
  plannedRedirectUri,
  redirectUriFromHubUrl,
  registerJupyterHubApp,
  updateJupyterHubRedirectUri,
} from '../team/jupyterhub-app'
import type { ArmClients } from './clients'
import { chooseKeyAccess } from './key-access'

/*
 * How a new Linux pool's JupyterHub signs members in (docs/team.md): with their Microsoft
 * account where the pool's members are Azure role assignments (the wizard's Access step) and
 * the person deploying may both assign roles (the pool's identity checks membership) and
 * register an application; otherwise with the image's own local sign-in, and the person is
 * told why.
 */

export interface JupyterHubPlan {
  /** For the deployment request only (the template's secureObject parameter). */
  signIn?: JupyterHubSignIn
  /** The registered application, to point at an Internal pool's address or to remove. */
  objectId?: string
  /** The redirect URI is not known before an Internal pool exists. */
  redirectAfterDeploy?: boolean
  /** What the person reads when the deployment is done. */
  words: string
}

const microsoftAccounts = 'Members sign in to JupyterHub with their Microsoft account.'

export async function planJupyterHubSignIn(
  spec: PoolSpec,
  clients: ArmClients,
): Promise<JupyterHubPlan | undefined> {
  if (spec.osType !== 'Linux' || (spec.teamAccess ?? 'entra') !== 'entra') return undefined
  const context = clients.context
  if ((await chooseKeyAccess(spec, clients)) !== 'identity')
    return {
      words:
        'JupyterHub keeps its own sign-in with local accounts: signing members in with their Microsoft account needs the right to assign roles on the pool (Owner, User Access Administrator or Role Based Access Control Administrator). An Owner can set up team access later from the pool’s page, or members can use pool accounts.',
    }
  const redirectUri = plannedRedirectUri(spec, context.cloud.name)
  const result = await registerJupyterHubApp(graphOf(context), {
    poolName: spec.poolName,
    ...(redirectUri ? { redirectUri } : {}),
  })
  if (!result.ok) return { words: `JupyterHub keeps its own sign-in: ${result.message}` }
  return {
    signIn: jupyterHubSignInParameter(result.app, context.tenantId),
    objectId: result.app.objectId,
    ...(redirectUri ? {} : { redirectAfterDeploy: true }),
    words: microsoftAccounts,
  }
}

/** The deployment never started: the application it was made for goes again. */
export async function abandonJupyterHubApp(context: ArmContext, plan: JupyterHubPlan | undefined) {
  if (plan?.objectId) await deleteJupyterHubApp(graphOf(context), plan.objectId)
}

/** An Internal pool exists now: its application is pointed at the pool's JupyterHub. */
export async function pointJupyterHubApp(
  context: ArmContext,
  plan: JupyterHubPlan,
  jupyterHubUrl: string,
): Promise<void> {
  if (plan.objectId && plan.redirectAfterDeploy)
    await updateJupyterHubRedirectUri(
      graphOf(context),
      plan.objectId,
      redirectUriFromHubUrl(jupyterHubUrl),
    )
}

const graphOf = (context: ArmContext) =>
  new GraphClient(context.cloud, context.credential, context.tlsCa)
