import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto'
import type { SandboxContext } from '../core/context'
import { addAppPrincipal, grantAppRole } from '../seed/app-principals'
import { defaultTenantId, type Role } from '../seed/directory'

/**
 * Making application principals in the sandbox directory (what `az ad sp create-for-rbac`
 * and a user-assigned identity do in Azure), for tests and for a sandbox user who scripts
 * against it. Roles are per subscription id, as for the seeded users.
 */
export interface SandboxIdentities {
  /** A service principal that signs in with the secret returned here (shown once) or a certificate. */
  addServicePrincipal(options: {
    displayName: string
    tenantId?: string
    roles?: Record<string, Role>
    /** PEM of a certificate whose private key signs client assertions; no secret is made then. */
    certificatePem?: string
  }): { appId: string; objectId: string; tenantId: string; secret?: string }
  /** A managed identity that the identityEndpoint issues tokens for. */
  addManagedIdentity(options: { name: string; tenantId?: string; roles?: Record<string, Role> }): {
    clientId: string
    principalId: string
    resourceId: string
  }
  grantRole(objectId: string, subscriptionId: string, role: Role): void
}

export function sandboxIdentities(ctx: SandboxContext): SandboxIdentities {
  return {
    addServicePrincipal(options) {
      const appId = randomUUID()
      const objectId = randomUUID()
      const tenantId = options.tenantId ?? defaultTenantId
      const secret = options.certificatePem
        ? undefined
        : `${randomBytes(3).toString('base64url')}8Q~${randomBytes(27).toString('base64url')}`
      addAppPrincipal({
        kind: 'servicePrincipal',
        oid: objectId,
        appId,
        homeTenantId: tenantId,
        username: appId,
        name: options.displayName,
        roles: lowerKeys(options.roles),
        secretHashes: secret ? [createHash('sha256').update(secret).digest('hex')] : [],
        certificates: options.certificatePem ? [certificateOf(options.certificatePem)] : [],
        owner: ctx,
      })
      return { appId, objectId, tenantId, ...(secret ? { secret } : {}) }
    },
    addManagedIdentity(options) {
      const clientId = randomUUID()
      const principalId = randomUUID()
      const resourceId = `/subscriptions/sandbox/resourcegroups/identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${options.name}`
      addAppPrincipal({
        kind: 'managedIdentity',
        oid: principalId,
        appId: clientId,
        homeTenantId: options.tenantId ?? defaultTenantId,
        username: resourceId,
        name: options.name,
        roles: lowerKeys(options.roles),
        secretHashes: [],
        certificates: [],
        owner: ctx,
      })
      return { clientId, principalId, resourceId }
    },
    grantRole: grantAppRole,
  }
}

const lowerKeys = (roles: Record<string, Role> = {}) =>
  Object.fromEntries(Object.entries(roles).map(([id, role]) => [id.toLowerCase(), role]))

function certificateOf(pem: string) {
  const certificate = new X509Certificate(pem)
  return {
    sha1Thumbprint: createHash('sha1').update(certificate.raw).digest('base64url'),
    sha256Thumbprint: createHash('sha256').update(certificate.raw).digest('base64url'),
    publicKeyPem: certificate.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}
