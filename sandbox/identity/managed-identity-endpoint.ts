import type { SandboxContext } from '../core/context'
import type { SandboxReply, SandboxRequest } from '../core/http'
import {
  addAppPrincipal,
  appPrincipalByOid,
  managedIdentities,
  type AppPrincipal,
} from '../seed/app-principals'
import { subscriptions } from '../seed/directory'
import { parseScopes, type TokenService } from './tokens'

const userAssignedType = 'Microsoft.ManagedIdentity/userAssignedIdentities'

/**
 * The managed-identity token endpoint (the sandbox's `identityEndpoint`), with the two
 * interfaces Azure's clients use:
 * - the instance metadata service: `GET ?api-version=2018-02-01&resource=...` with
 *   `Metadata: true`, optionally `client_id`, `object_id` or `msi_res_id`;
 * - the VM extension's older endpoint that `az login --identity` calls through
 *   MSI_ENDPOINT: a form POST of `resource` (and the same selectors) with `Metadata: true`.
 * The identity is a user-assigned identity (a Microsoft.ManagedIdentity resource) or one
 * made with startSandbox's `identities.addManagedIdentity`. Without a selector the only
 * identity answers; with several, Azure's error asks for one.
 */
export class ManagedIdentityEndpoint {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly tokens: TokenService,
  ) {}

  /**
   * `attached`: the resource ids of the identities a VM has (its model's
   * userAssignedIdentities), when the request comes from that VM's metadata service: only
   * those answer, as on an instance. Without it every managed identity of the sandbox does.
   */
  async handle(req: SandboxRequest, attached?: string[]): Promise<SandboxReply> {
    const params =
      req.method === 'POST' ? new URLSearchParams(req.body.toString('utf8')) : req.url.searchParams
    const fail = (description: string, status = 400): SandboxReply => ({
      status,
      body: { error: 'invalid_request', error_description: description },
    })
    if (req.header('metadata')?.toLowerCase() !== 'true')
      return fail('Required metadata header not specified')
    if (req.method === 'GET' && !req.query('api-version'))
      return fail("Required query variable 'api-version' is missing")
    const resource = params.get('resource') ?? ''
    if (!resource) return fail('Required audience parameter not specified')
    // The sandbox's own Resource Manager address stands for Resource Manager's app id URI.
    const audience = sameUrl(resource, this.ctx.endpoints.armEndpoint)
      ? 'https://management.azure.com/'
      : resource
    const known = parseScopes(`${audience.replace(/\/+$/, '')}/.default`)
    if ('error' in known)
      return fail(`Resource '${resource}' is not a resource this identity can get tokens for.`)

    const all = this.identities()
    const onVm = attached?.map((id) => id.toLowerCase())
    // A VM's metadata service answers for the identities in its model; the sandbox's own
    // endpoint is the host's (az login --identity there): identities made for it with
    // sandbox.identities, not those a deployment attaches to scale sets.
    const candidates = onVm
      ? all.filter((c) => onVm.includes(c.username.toLowerCase()))
      : all.filter((c) => !this.madeByArm.has(c.username.toLowerCase()))
    const clientId = params.get('client_id') ?? params.get('clientid')
    const objectId = params.get('object_id')
    const resourceId = params.get('msi_res_id') ?? params.get('mi_res_id')
    let identity: AppPrincipal | undefined
    if (clientId || objectId || resourceId) {
      identity = candidates.find(
        (c) =>
          (clientId && c.appId.toLowerCase() === clientId.toLowerCase()) ||
          (objectId && c.oid.toLowerCase() === objectId.toLowerCase()) ||
          (resourceId && c.username.toLowerCase() === resourceId.toLowerCase()),
      )
    } else if (candidates.length > 1) {
      return fail(
        'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
      )
    } else identity = candidates[0]
    if (!identity) return fail('Identity not found')

    const issued = await this.tokens.issueApp({
      principal: identity,
      tenantId: identity.homeTenantId,
      audience,
    })
    // The metadata service answers numbers as strings.
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store, no-cache' },
      body: {
        access_token: issued.accessToken,
        client_id: identity.appId,
        expires_in: String(issued.expiresIn),
        expires_on: String(issued.notBefore + issued.expiresIn),
        ext_expires_in: String(issued.expiresIn),
        not_before: String(issued.notBefore),
        resource,
        token_type: 'Bearer',
      },
    }
  }

  /** Every managed identity: registered ones and user-assigned identity resources. */
  /** Resource ids of the user-assigned identities made through Resource Manager. */
  private readonly madeByArm = new Set<string>()

  private identities(): AppPrincipal[] {
    for (const subscription of subscriptions) {
      for (const resource of this.ctx.resources.list({
        subscriptionId: subscription.id,
        type: userAssignedType,
      })) {
        this.madeByArm.add(resource.id.toLowerCase())
        const props = (resource.properties ?? {}) as Record<string, unknown>
        const principalId = String(props.principalId ?? '')
        if (!principalId || appPrincipalByOid(principalId)) continue
        addAppPrincipal({
          kind: 'managedIdentity',
          oid: principalId,
          appId: String(props.clientId ?? ''),
          homeTenantId: String(props.tenantId ?? subscription.tenantId),
          // A managed identity's name in ARM messages is its resource id.
          username: resource.id,
          name: resource.name,
          roles: {},
          secretHashes: [],
          certificates: [],
          owner: this.ctx,
        })
      }
    }
    return managedIdentities(this.ctx)
  }
}

const endpoints = new WeakMap<SandboxContext, ManagedIdentityEndpoint>()

/** The sandbox's endpoint, for the metadata service of the instances it runs scripts for. */
export const managedIdentityEndpointOf = (ctx: SandboxContext) => endpoints.get(ctx)

export function installManagedIdentityEndpoint(
  ctx: SandboxContext,
  tokens: TokenService,
): ManagedIdentityEndpoint {
  const endpoint = new ManagedIdentityEndpoint(ctx, tokens)
  endpoints.set(ctx, endpoint)
  return endpoint
}

const sameUrl = (a: string, b: string) =>
  a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase()
