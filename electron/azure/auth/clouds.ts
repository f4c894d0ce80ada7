import { publicClouds, type Cloud, type CloudName } from '../../../shared/clouds'
import { sandboxClientId } from '../../../shared/sandbox-client'

/**
 * The Azure CLI's public client id: a documented, pre-consented multi-tenant public client
 * that accepts loopback redirects and device code. Organisations that want their own app
 * registration override it in Settings or with the DSVM_CLIENT_ID environment variable.
 */
export const azureCliClientId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'

/** Where a running sandbox answers (see startSandbox()). */
export interface SandboxEndpointsInput {
  armEndpoint: string
  authorityHost: string
  filesEndpoint: string
  pricesEndpoint: string
}

/**
 * The Sandbox cloud record. ARM in the sandbox accepts tokens for management.azure.com, as
 * Azure does, so the audience stays the public one. Azure Files in the sandbox is path-style
 * on an IP host, so `storageSuffix` is that host:port (a file service URL is
 * `https://<storageSuffix>/<account>`).
 */
export function sandboxCloud(endpoints: SandboxEndpointsInput): Cloud {
  const trim = (url: string) => url.replace(/\/+$/, '')
  return {
    name: 'Sandbox',
    displayName: 'Sandbox',
    armEndpoint: trim(endpoints.armEndpoint),
    armAudience: 'https://management.azure.com',
    authorityHost: trim(endpoints.authorityHost),
    storageSuffix: new URL(endpoints.filesEndpoint).host,
    pricesEndpoint: endpoints.pricesEndpoint,
    portalUrl: trim(endpoints.armEndpoint),
    // The sandbox answers Graph on its one port, for tokens issued to Graph's audience.
    graphEndpoint: trim(endpoints.armEndpoint),
    graphAudience: 'https://graph.microsoft.com',
  }
}

/** The cloud record for a name; the Sandbox needs its running endpoints. */
export function resolveCloud(name: CloudName, sandbox?: SandboxEndpointsInput): Cloud {
  if (name !== 'Sandbox') return publicClouds[name]
  if (!sandbox)
    throw new Error('The sandbox is not running: start it before choosing the Sandbox cloud.')
  return sandboxCloud(sandbox)
}

/**
 * The public client id to sign in with. The sandbox directory knows only its own client;
 * for Azure: DSVM_CLIENT_ID, then the id from Settings, then the Azure CLI's.
 */
export function resolveClientId(
  cloud: CloudName,
  overrides: { settings?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): string {
  if (cloud === 'Sandbox') return sandboxClientId
  const fromEnv = overrides.env?.DSVM_CLIENT_ID?.trim()
  return fromEnv || overrides.settings || azureCliClientId
}

/** `${graphAudience}/.default`: the delegated Graph permissions consented for the client. */
export const graphScope = (cloud: Cloud) => `${cloud.graphAudience}/.default`

/** `${armAudience}/.default`: the scope every ARM client asks for. */
export const armScope = (cloud: Cloud) => `${cloud.armAudience}/.default`
