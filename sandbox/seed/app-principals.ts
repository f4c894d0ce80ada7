import type { Role, SandboxUser } from './directory-types'

/**
 * Principals that are applications, not people: service principals (sign in with a secret
 * or a certificate, the client-credentials grant) and managed identities (tokens from the
 * managed-identity endpoint). They hold roles like users do, so ARM authorizes them alike.
 * Made at run time (startSandbox's `identities`); secrets are kept as hashes only.
 */
export interface AppPrincipal extends SandboxUser {
  kind: 'servicePrincipal' | 'managedIdentity'
  /** The application (client) id: what a token request names. */
  appId: string
  /** SHA-256 (hex) of each client secret. */
  secretHashes: string[]
  /** Certificates the application may sign client assertions with. */
  certificates: Array<{ sha1Thumbprint: string; sha256Thumbprint: string; publicKeyPem: string }>
  /** The sandbox that made it (several sandboxes can run in one process, as in tests). */
  owner?: object
}

const registry: AppPrincipal[] = []

export function addAppPrincipal(principal: AppPrincipal): AppPrincipal {
  registry.push(principal)
  return principal
}

export const appPrincipalByOid = (oid: string) => registry.find((p) => p.oid === oid)

export const appPrincipalByAppId = (appId: string) =>
  registry.find((p) => p.appId.toLowerCase() === appId.toLowerCase())

/** Every service principal and managed identity, of every sandbox in this process. */
export const allAppPrincipals = (): readonly AppPrincipal[] => registry

export const managedIdentities = (owner: object) =>
  registry.filter((p) => p.kind === 'managedIdentity' && p.owner === owner)

export function grantAppRole(oid: string, subscriptionId: string, role: Role): void {
  const principal = appPrincipalByOid(oid)
  if (principal) principal.roles[subscriptionId.toLowerCase()] = role
}
