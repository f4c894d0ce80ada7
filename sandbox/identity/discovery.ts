import type { SandboxReply, SandboxRequest } from '../core/http'
import { resolveTenantSegment } from './directory-lookup'
import { unknownTenant } from './oauth-errors'
import type { SigningKey } from './keys'

/** OpenID Connect discovery, JWKS and instance discovery, laid out as Entra lays them out. */
export function openIdConfiguration(req: SandboxRequest, host: string): SandboxReply {
  const name = req.params.tenant!
  const segment = resolveTenantSegment(name)
  if (!segment) return unknownTenant(name)
  const base = `${host}/${name}`
  const issuerTenant = segment.kind === 'tenant' ? segment.tenant.id : '{tenantid}'
  return {
    status: 200,
    headers: { 'Cache-Control': 'max-age=86400, private', 'Access-Control-Allow-Origin': '*' },
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${host}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
        'oid',
      ],
      code_challenge_methods_supported: ['plain', 'S256'],
      tenant_region_scope: null,
      cloud_instance_name: new URL(host).host,
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    },
  }
}

export function jwks(key: SigningKey): SandboxReply {
  return {
    status: 200,
    headers: { 'Cache-Control': 'max-age=86400, private', 'Access-Control-Allow-Origin': '*' },
    body: { keys: [key.publicJwk] },
  }
}

export function instanceDiscovery(host: string): SandboxReply {
  const hostName = new URL(host).host
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: `${host}/{tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: hostName, preferred_cache: hostName, aliases: [hostName] }],
    },
  }
}
