import { randomUUID } from 'node:crypto'
import { RestError } from '@azure/core-rest-pipeline'
import { AppError } from '../../../shared/errors'
import type { PoolAccount } from '../../../shared/pool-accounts'
import { poolDeploymentName } from '../../../shared/pool-spec'
import { poolTags } from '../../../shared/pool-tags'
import { builtInRoleIds } from '../../../shared/team'
import type { ArmContext } from '../arm-context'
import type { ArmClients } from '../deploy/clients'
import { allowedBy } from '../deploy/preflight/permissions'
import type { TemplateFiles } from '../deploy/template-files'
import { usesEntraSshLogin, usesEntraWindowsLogin } from '../ssh-cert/entra-login'
import { authorizationClient } from './authorization-client'
import { GraphClient } from './graph-client'
import { deleteJupyterHubApp, redirectUriFromHubUrl, registerJupyterHubApp } from './jupyterhub-app'
import {
  linuxProtectedScript,
  mountExtensionOf,
  scriptValues,
  sendProtectedScript,
  type JupyterHubScriptValues,
  type LinuxScriptValues,
} from './pool-accounts'

/*
 * JupyterHub sign-in with Microsoft accounts on an existing Linux pool (docs/team.md, "Set up
 * team access" and "Renewing the JupyterHub secret"): the pool's app registration is made
 * through Microsoft Graph, its client id is recorded on the scale set (tag
 * `dsvm-pool-jupyterhub-app`, not a secret), and the configuration with the secret goes to
 * the instances only inside the Custom Script extension's protected script, in the template's
 * order (accounts, JupyterHub, share). Running instances take it with a manual upgrade.
 */

export type JupyterHubSetupStep = 'app' | 'model' | 'instances'

export interface JupyterHubTarget {
  resourceGroup: string
  poolName: string
}

export type JupyterHubSetupResult =
  | { state: 'added'; appId: string; upgradedInstances: string[]; message: string }
  | { state: 'already'; appId: string; message: string }
  /** JupyterHub keeps the image's local sign-in; `message` says why and what to do. */
  | { state: 'skipped'; message: string }

/** A Manager is offered renewal this many days before the secret ends. */
export const renewWithinDays = 30

const microsoftAccounts = 'Members sign in to JupyterHub with their Microsoft account.'
const needsRoles =
  'JupyterHub keeps its own sign-in with local accounts: signing members in with their Microsoft account needs the right to assign roles on the pool’s resource group (Owner, User Access Administrator or Role Based Access Control Administrator), because the pool’s identity must be allowed to check who is a member. Ask an Owner to set up team access, or let members use pool accounts.'
const noIdentity =
  'JupyterHub keeps its own sign-in with local accounts: this pool’s instances have no managed identity to check who is a member (whoever created it could not assign roles). Members can use pool accounts; or someone who may assign roles creates the pool again from its parameter file.'
const notOurTemplate =
  'JupyterHub keeps its own sign-in with local accounts: this pool was not created with this app’s pool template, so the app cannot change how its JupyterHub signs people in. Members sign in over SSH with their Microsoft accounts.'
const registrationForbidden =
  'JupyterHub keeps its own sign-in with local accounts: your organisation does not let your account register applications, which JupyterHub sign-in with Microsoft accounts needs. Ask your IT administrator for the Application Developer role and choose Set up team access again, or let members use pool accounts.'

interface GraphApplication {
  id: string
  appId: string
  displayName: string
  passwordCredentials: Array<{ keyId: string; endDateTime: string; hint?: string | null }>
}

export const graphOf = (context: ArmContext) =>
  new GraphClient(context.cloud, context.credential, context.tlsCa)

/** The pool's JupyterHub application, found by its client id; undefined when it is gone. */
export async function findJupyterHubApp(
  graph: GraphClient,
  appId: string,
): Promise<GraphApplication | undefined> {
  const answer = await graph.send<{ value: GraphApplication[] }>(
    'GET',
    `/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${appId.replace(/'/g, "''")}'`)}&$select=id,appId,displayName,passwordCredentials`,
  )
  return answer.value[0]
}

/** The client id recorded on the pool's scale set, if its JupyterHub signs in with Entra. */
export async function recordedAppId(
  clients: ArmClients,
  target: JupyterHubTarget,
): Promise<string | undefined> {
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    target.resourceGroup,
    target.poolName,
  )
  return scaleSet.tags?.[poolTags.jupyterHubApp]
}

/** When the newest secret ends, and whether it is time to renew it. */
export function secretTiming(
  app: Pick<GraphApplication, 'passwordCredentials'>,
  now: number,
): { endsAt?: string; renewDue: boolean } {
  const ends = app.passwordCredentials
    .map((p) => Date.parse(p.endDateTime))
    .filter((t) => !Number.isNaN(t))
  if (ends.length === 0) return { renewDue: true }
  const last = Math.max(...ends)
  return {
    endsAt: new Date(last).toISOString(),
    renewDue: last - now <= renewWithinDays * 86_400_000,
  }
}

export interface TeamAccessStatus {
  /** The scale set has Microsoft's Entra ID login extension. */
  entraLogin: boolean
  /** Linux pools: how JupyterHub signs members in. */
  jupyterHub?: {
    microsoftAccounts: boolean
    appId?: string
    secretEndsAt?: string
    renewDue: boolean
    /** Why it cannot be set up on this pool at all, whoever tries. */
    unavailable?: string
  }
}

/** What "Set up team access" would still do on the pool, and its JupyterHub secret's end. */
export async function teamAccessStatus(
  clients: ArmClients,
  target: JupyterHubTarget & { os: 'Linux' | 'Windows' },
  now: number,
): Promise<TeamAccessStatus> {
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    target.resourceGroup,
    target.poolName,
  )
  const entraLogin =
    target.os === 'Linux' ? usesEntraSshLogin(scaleSet) : usesEntraWindowsLogin(scaleSet)
  if (target.os !== 'Linux') return { entraLogin }
  const appId = scaleSet.tags?.[poolTags.jupyterHubApp]
  const app = appId ? await findJupyterHubApp(graphOf(clients.context), appId) : undefined
  if (!appId || !app) {
    const unavailable = await whyUnavailable(clients, target)
    return {
      entraLogin,
      jupyterHub: {
        microsoftAccounts: false,
        renewDue: false,
        ...(unavailable ? { unavailable } : {}),
      },
    }
  }
  const timing = secretTiming(app, now)
  return {
    entraLogin,
    jupyterHub: {
      microsoftAccounts: true,
      appId,
      ...(timing.endsAt ? { secretEndsAt: timing.endsAt } : {}),
      renewDue: timing.renewDue,
    },
  }
}

/**
 * Sets up JupyterHub sign-in with Microsoft accounts on an existing Linux pool. `accounts`
 * reads the pool's account list (accounts it had stay in the script beside JupyterHub's part). An application made here
 * is deleted again when the scale set's model could not be updated.
 */
export async function setUpJupyterHubSignIn(
  clients: ArmClients,
  files: TemplateFiles,
  target: JupyterHubTarget,
  /** The pool's account list (read only when the script is rebuilt). */
  accounts: () => Promise<readonly PoolAccount[]>,
  onStep: (step: JupyterHubSetupStep) => void = () => {},
): Promise<JupyterHubSetupResult> {
  const context = clients.context
  const graph = graphOf(context)
  const recorded = await recordedAppId(clients, target)
  if (recorded && (await findJupyterHubApp(graph, recorded)))
    return { state: 'already', appId: recorded, message: microsoftAccounts }

  const unavailable = await whyUnavailable(clients, target)
  if (unavailable) return { state: 'skipped', message: unavailable }
  const extensions = await mountExtensionOf(clients, target)
  const values = await scriptValues(clients, target)
  const permissions = await permissionsAtGroup(clients, target.resourceGroup)
  if (!allowedBy(permissions, 'Microsoft.Authorization/roleAssignments/write'))
    return { state: 'skipped', message: needsRoles }
  const hubUrl = await jupyterHubUrlOf(clients, target)

  onStep('app')
  const registered = await registerJupyterHubApp(graph, {
    poolName: target.poolName,
    redirectUri: redirectUriFromHubUrl(hubUrl),
  })
  if (!registered.ok) return { state: 'skipped', message: registrationForbidden }
  const app = registered.app
  let modelDone = false
  try {
    await letIdentityReadMembers(clients, target)
    const script = linuxProtectedScript(
      withParts(values, files, await accounts(), {
        script: files.jupyterHubScript(),
        tenantId: context.tenantId,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        callbackUrl: redirectUriFromHubUrl(hubUrl),
        loginEndpoint: `${context.cloud.authorityHost}/`,
        poolScope: `/subscriptions/${context.subscriptionId}/resourceGroups/${target.resourceGroup}`,
      }),
      files,
    )
    const scaleSet = await clients.compute.virtualMachineScaleSets.get(
      target.resourceGroup,
      target.poolName,
    )
    const result = await sendProtectedScript(
      clients,
      target,
      extensions,
      script,
      { tags: { ...(scaleSet.tags ?? {}), [poolTags.jupyterHubApp]: app.clientId } },
      (step) => {
        if (step === 'instances') modelDone = true
        onStep(step)
      },
    )
    return {
      state: 'added',
      appId: app.clientId,
      upgradedInstances: result.upgradedInstances,
      message: microsoftAccounts,
    }
  } catch (error) {
    // The model does not use the application: it goes again, nothing half-made stays.
    if (!modelDone) await deleteJupyterHubApp(graph, app.objectId).catch(() => undefined)
    throw error
  }
}

/**
 * A new client secret for the pool's JupyterHub: made (addPassword), sent to the model and
 * the running instances through the protected script, then the older ones are removed
 * (removePassword). If the model cannot be updated, the new secret is removed again and the
 * old one stays in use.
 */
export async function renewJupyterHubSecret(
  clients: ArmClients,
  files: TemplateFiles,
  target: JupyterHubTarget,
  /** The pool's account list (read only when the script is rebuilt). */
  accounts: () => Promise<readonly PoolAccount[]>,
  onStep: (step: JupyterHubSetupStep) => void = () => {},
): Promise<{ secretEndsAt: string; upgradedInstances: string[] }> {
  const context = clients.context
  const graph = graphOf(context)
  const appId = await recordedAppId(clients, target)
  const app = appId ? await findJupyterHubApp(graph, appId) : undefined
  if (!app)
    throw new AppError(
      'NotFound',
      'This pool’s JupyterHub does not sign members in with Microsoft accounts (no app registration is recorded on it). Choose Set up team access first.',
    )
  const extensions = await mountExtensionOf(clients, target)
  const values = await scriptValues(clients, target)
  const hubUrl = await jupyterHubUrlOf(clients, target)
  onStep('app')
  const password = await graph
    .send<{ keyId: string; secretText: string; endDateTime: string }>(
      'POST',
      `/v1.0/applications/${encodeURIComponent(app.id)}/addPassword`,
      { passwordCredential: { displayName: `JupyterHub on pool ${target.poolName}` } },
    )
    .catch(ownerOnly)
  let modelDone = false
  try {
    const script = linuxProtectedScript(
      withParts(values, files, await accounts(), {
        script: files.jupyterHubScript(),
        tenantId: context.tenantId,
        clientId: app.appId,
        clientSecret: password.secretText,
        callbackUrl: redirectUriFromHubUrl(hubUrl),
        loginEndpoint: `${context.cloud.authorityHost}/`,
        poolScope: `/subscriptions/${context.subscriptionId}/resourceGroups/${target.resourceGroup}`,
      }),
      files,
    )
    const result = await sendProtectedScript(clients, target, extensions, script, {}, (step) => {
      if (step === 'instances') modelDone = true
      onStep(step)
    })
    for (const old of app.passwordCredentials)
      await graph.send('POST', `/v1.0/applications/${encodeURIComponent(app.id)}/removePassword`, {
        keyId: old.keyId,
      })
    return { secretEndsAt: password.endDateTime, upgradedInstances: result.upgradedInstances }
  } catch (error) {
    if (!modelDone)
      await graph
        .send('POST', `/v1.0/applications/${encodeURIComponent(app.id)}/removePassword`, {
          keyId: password.keyId,
        })
        .catch(() => undefined)
    throw error
  }
}

/**
 * After the pool is deleted: its JupyterHub application goes too when the person may delete
 * it. Answers what remains, in words, when they may not (undefined: nothing remains).
 */
export async function removePoolJupyterHubApp(
  context: ArmContext,
  appId: string,
): Promise<string | undefined> {
  const graph = graphOf(context)
  try {
    const app = await findJupyterHubApp(graph, appId)
    if (!app) return undefined
    await graph.send('DELETE', `/v1.0/applications/${encodeURIComponent(app.id)}`)
    return undefined
  } catch (error) {
    const denied = error instanceof RestError && error.statusCode === 403
    return denied
      ? `Its JupyterHub app registration (client id ${appId}) remains: only its owner or an Application Developer may delete it. Ask them to delete it in the Microsoft Entra admin center, under App registrations, All applications.`
      : `Its JupyterHub app registration (client id ${appId}) could not be deleted. Delete it in the Microsoft Entra admin center, under App registrations, All applications.`
  }
}

// ---- internals ----------------------------------------------------------------------------

/**
 * Pools this app's template did not make, or whose instances have no identity, cannot have
 * it. Read from the model and the pool's deployment only, so a member who may not list the
 * storage keys (a Reader) gets the answer too.
 */
async function whyUnavailable(
  clients: ArmClients,
  target: JupyterHubTarget,
): Promise<string | undefined> {
  try {
    await mountExtensionOf(clients, target)
  } catch (error) {
    if (error instanceof AppError && error.code === 'Validation') return notOurTemplate
    throw error
  }
  let parameters: Record<string, { value?: unknown }>
  try {
    const deployment = await clients.deployments.deployments.get(
      target.resourceGroup,
      poolDeploymentName(target.poolName),
    )
    parameters = (deployment.properties?.parameters ?? {}) as typeof parameters
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return notOurTemplate
    throw error
  }
  if (typeof parameters.mountScript?.value !== 'string') return notOurTemplate
  const keyAccess = parameters.keyAccess?.value ?? 'identity'
  return keyAccess === 'identity' ? undefined : noIdentity
}

function withParts(
  values: Omit<LinuxScriptValues, 'accounts'>,
  files: TemplateFiles,
  accounts: readonly PoolAccount[],
  jupyterHub: JupyterHubScriptValues,
): LinuxScriptValues {
  return {
    ...values,
    ...(accounts.length > 0
      ? { accounts: { script: files.accountsScript(), list: accounts } }
      : {}),
    jupyterHub,
  }
}

async function jupyterHubUrlOf(clients: ArmClients, target: JupyterHubTarget): Promise<string> {
  const deployment = await clients.deployments.deployments.get(
    target.resourceGroup,
    poolDeploymentName(target.poolName),
  )
  const outputs = (deployment.properties?.outputs ?? {}) as Record<string, { value?: unknown }>
  const url = outputs.jupyterHubUrl?.value
  if (typeof url !== 'string' || !url)
    throw new AppError(
      'Validation',
      `The deployment of '${target.poolName}' does not say where its JupyterHub answers, so its sign-in cannot be set up.`,
    )
  return url
}

async function permissionsAtGroup(clients: ArmClients, group: string) {
  const answer = await clients.request<{
    value?: Array<{ actions?: string[]; notActions?: string[] }>
  }>(
    'GET',
    `/subscriptions/${clients.context.subscriptionId}/resourcegroups/${encodeURIComponent(group)}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
  )
  return answer?.value ?? []
}

/** Reader on the pool's group for the pool's identity: JupyterHub checks membership with it. */
async function letIdentityReadMembers(clients: ArmClients, target: JupyterHubTarget) {
  const context = clients.context
  const identity = await clients.request<{ properties?: { principalId?: string } }>(
    'GET',
    `/subscriptions/${context.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${target.poolName}-identity?api-version=2023-01-31`,
  )
  const principalId = identity.properties?.principalId
  if (!principalId)
    throw new AppError(
      'NotFound',
      `The pool's managed identity (${target.poolName}-identity) was not found.`,
    )
  const scope = `/subscriptions/${context.subscriptionId}/resourceGroups/${target.resourceGroup}`
  const client = authorizationClient(context)
  for await (const a of client.roleAssignments.listForScope(scope, {
    filter: `principalId eq '${principalId}'`,
  }))
    if (a.roleDefinitionId?.toLowerCase().endsWith(builtInRoleIds.Reader)) return
  try {
    await client.roleAssignments.create(scope, randomUUID(), {
      roleDefinitionId: `/subscriptions/${context.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoleIds.Reader}`,
      principalId,
      principalType: 'ServicePrincipal',
      description: `DSVM pool ${target.poolName}: its JupyterHub checks at each sign-in that the person is a member of the pool`,
    })
  } catch (error) {
    if ((error as { code?: string }).code !== 'RoleAssignmentExists') throw error
  }
}

function ownerOnly(error: unknown): never {
  if (error instanceof RestError && error.statusCode === 403)
    throw new AppError(
      'Forbidden',
      "Only the owner of this pool's JupyterHub app registration (who set up its sign-in) or an Application Developer can renew its secret. Ask them to do it.",
    )
  throw error
}
