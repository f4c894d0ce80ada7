import { RestError } from '@azure/core-rest-pipeline'
import type { CloudName } from '../../../shared/clouds'
import { AppError } from '../../../shared/errors'
import type { PoolSpec } from '../../../shared/pool-spec'
import type { GraphClient } from './graph-client'

/*
 * The app registration a Linux pool's JupyterHub signs members in with (docs/team.md,
 * "JupyterHub with Microsoft accounts"). Created through Microsoft Graph with the signed-in
 * user's delegated permissions: the application (single tenant, one web redirect URI),
 * its service principal (so the tenant can sign people in to it) and one client secret.
 * The secret is returned once, here; it goes only into the deployment's secureObject
 * parameter `jupyterHubSignIn` (the Custom Script extension's protected settings) and is
 * never stored, logged, tagged or written by the app.
 */

/** Where DSVM's JupyterHub answers, on every pool (the load balancer's rule). */
export const jupyterHubPort = 8000

/** Public DNS zones of load balancer addresses (<label>.<region>.<zone>). */
const cloudappZones: Record<CloudName, string> = {
  AzureCloud: 'cloudapp.azure.com',
  AzureUSGovernment: 'cloudapp.usgovcloudapi.net',
  AzureChinaCloud: 'cloudapp.chinacloudapi.cn',
  Sandbox: 'cloudapp.azure.com',
}

/**
 * The public address a pool will have, known before it is deployed: the template gives the
 * public IP the DNS label from the pool spec (the pool name unless chosen), in the pool's
 * region. Internal pools have no name before deployment: their address is the load
 * balancer's private IP, read from the deployment's `jupyterHubUrl` output afterwards.
 */
export function publicPoolAddress(cloud: CloudName, dnsLabel: string, location: string): string {
  return `${dnsLabel.toLowerCase()}.${location.toLowerCase()}.${cloudappZones[cloud]}`
}

/** `https://<address>:8000/hub/oauth_callback`: where Entra sends a member back to JupyterHub. */
export function jupyterHubRedirectUri(address: string): string {
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address
  return `https://${host}:${jupyterHubPort}/hub/oauth_callback`
}

/**
 * The redirect URI to register before deploying: a public pool's is known, an Internal
 * pool's is not (register without one, then `updateJupyterHubRedirectUri` with the
 * deployment's `jupyterHubUrl` output).
 */
export function plannedRedirectUri(spec: PoolSpec, cloud: CloudName): string | undefined {
  return spec.network.access === 'Public'
    ? jupyterHubRedirectUri(publicPoolAddress(cloud, spec.network.dnsLabel, spec.location))
    : undefined
}

/** The redirect URI for a deployed pool, from its `jupyterHubUrl` output (https://host:8000/). */
export function redirectUriFromHubUrl(jupyterHubUrl: string): string {
  const url = new URL(jupyterHubUrl)
  return jupyterHubRedirectUri(url.hostname)
}

export interface JupyterHubApp {
  /** Object id of the application (for PATCH and DELETE). */
  objectId: string
  /** The application (client) id JupyterHub signs in with. */
  clientId: string
  servicePrincipalId: string
  /** Undefined until an Internal pool is deployed and its address known. */
  redirectUri?: string
  /** Text of the client secret: only for the deployment request; never store it. */
  clientSecret: string
  /** When the secret ends (ISO 8601); the pool's sign-in needs a new one before then. */
  secretEndsAt: string
}

export type JupyterHubAppResult =
  | { ok: true; app: JupyterHubApp }
  /** The directory does not let this user register applications: use pool accounts. */
  | { ok: false; reason: 'AppRegistrationForbidden'; message: string }

export const appRegistrationForbiddenWords =
  'Your organisation does not let your account register applications, which JupyterHub sign-in with Microsoft accounts needs. The pool will use pool accounts instead; or ask your IT administrator for the Application Developer role and set up team access again.'

function checkRedirectUri(uri: string): void {
  let url: URL | undefined
  try {
    url = new URL(uri)
  } catch {
    url = undefined
  }
  if (url?.protocol !== 'https:' || !url.pathname.endsWith('/hub/oauth_callback')) {
    throw new AppError(
      'Validation',
      `The JupyterHub address '${uri}' is not an https …/hub/oauth_callback address.`,
    )
  }
}

const isDenied = (error: unknown) =>
  error instanceof RestError &&
  error.statusCode === 403 &&
  error.code === 'Authorization_RequestDenied'

/**
 * Registers the pool's JupyterHub application. Answers `{ ok: false }` (and creates
 * nothing) when the tenant forbids this user registering applications; other failures throw.
 * When a later step fails, the half-made application is deleted again.
 */
export async function registerJupyterHubApp(
  graph: GraphClient,
  input: { poolName: string; redirectUri?: string },
): Promise<JupyterHubAppResult> {
  if (input.redirectUri !== undefined) checkRedirectUri(input.redirectUri)
  let app: { id: string; appId: string }
  try {
    app = await graph.send<{ id: string; appId: string }>('POST', '/v1.0/applications', {
      displayName: `DSVM pool ${input.poolName} – JupyterHub`,
      signInAudience: 'AzureADMyOrg',
      web: {
        redirectUris: input.redirectUri ? [input.redirectUri] : [],
        implicitGrantSettings: { enableIdTokenIssuance: false, enableAccessTokenIssuance: false },
      },
    })
  } catch (error) {
    if (isDenied(error)) {
      return {
        ok: false,
        reason: 'AppRegistrationForbidden',
        message: appRegistrationForbiddenWords,
      }
    }
    throw error
  }
  try {
    const principal = await graph.send<{ id: string }>('POST', '/v1.0/servicePrincipals', {
      appId: app.appId,
    })
    const password = await graph.send<{ secretText: string; endDateTime: string }>(
      'POST',
      `/v1.0/applications/${encodeURIComponent(app.id)}/addPassword`,
      { passwordCredential: { displayName: `JupyterHub on pool ${input.poolName}` } },
    )
    return {
      ok: true,
      app: {
        objectId: app.id,
        clientId: app.appId,
        servicePrincipalId: principal.id,
        ...(input.redirectUri ? { redirectUri: input.redirectUri } : {}),
        clientSecret: password.secretText,
        secretEndsAt: password.endDateTime,
      },
    }
  } catch (error) {
    await deleteJupyterHubApp(graph, app.id).catch(() => undefined)
    throw error
  }
}

/** Directory roles that may register applications whatever the tenant's setting says. */
const registeringRoles = new Set([
  'cf1c38e5-3621-4004-a7cb-879624dced7c', // Application Developer
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
  '62e90394-69f5-4237-9190-012177145e10', // Global Administrator
])

/**
 * Whether the signed-in user may register applications, as far as their own rights let the
 * app see: true with a directory role that may; otherwise the tenant's
 * `defaultUserRolePermissions.allowedToCreateApps` where they may read the authorization
 * policy (administrators); undefined when neither tells (ordinary users cannot read it).
 */
export async function mayRegisterApps(graph: GraphClient): Promise<boolean | undefined> {
  try {
    const roles = await graph.send<{ value: Array<{ roleTemplateId?: string }> }>(
      'GET',
      '/v1.0/me/memberOf/microsoft.graph.directoryRole?$select=roleTemplateId',
    )
    if (roles.value.some((r) => r.roleTemplateId && registeringRoles.has(r.roleTemplateId)))
      return true
  } catch {
    // Not readable: the policy may still tell.
  }
  try {
    const policy = await graph.send<{
      defaultUserRolePermissions?: { allowedToCreateApps?: boolean }
    }>('GET', '/v1.0/policies/authorizationPolicy?$select=defaultUserRolePermissions')
    const allowed = policy.defaultUserRolePermissions?.allowedToCreateApps
    return typeof allowed === 'boolean' ? allowed : undefined
  } catch {
    return undefined
  }
}

/** Points the application at the pool's real address (Internal pools, after deployment). */
export async function updateJupyterHubRedirectUri(
  graph: GraphClient,
  objectId: string,
  redirectUri: string,
): Promise<void> {
  checkRedirectUri(redirectUri)
  await graph
    .send('PATCH', `/v1.0/applications/${encodeURIComponent(objectId)}`, {
      web: { redirectUris: [redirectUri] },
    })
    .catch(ownerOnly)
}

/** Deletes the application (and with it its service principal), e.g. when a deployment is abandoned. */
export async function deleteJupyterHubApp(graph: GraphClient, objectId: string): Promise<void> {
  await graph.send('DELETE', `/v1.0/applications/${encodeURIComponent(objectId)}`).catch(ownerOnly)
}

/** Graph's 403 on someone else's application, in words that say who can change it. */
function ownerOnly(error: unknown): never {
  if (isDenied(error)) {
    throw new AppError(
      'Forbidden',
      "Only the person who set up this pool's JupyterHub sign-in (the owner of its app registration) or an Application Developer can change it. Ask them to do it.",
    )
  }
  throw error
}

/**
 * The value of the template's secureObject parameter `jupyterHubSignIn`. The template writes
 * it into the Custom Script extension's protected settings only.
 */
export function jupyterHubSignInParameter(app: JupyterHubApp, tenantId: string) {
  return { tenantId, clientId: app.clientId, clientSecret: app.clientSecret }
}
