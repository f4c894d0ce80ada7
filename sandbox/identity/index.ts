import type { SandboxModule } from '../core/module'
import type { Route } from '../core/http'
import { AuthorizeEndpoint } from './authorize'
import { ClientCredentialsGrant } from './client-credentials'
import { installManagedIdentityEndpoint } from './managed-identity-endpoint'
import { DeviceCodeFlow } from './device-code'
import { instanceDiscovery, jwks, openIdConfiguration } from './discovery'
import { loadSigningKey } from './keys'
import { TenantPolicies } from './policies'
import { doneDevicePage } from './pages'
import { TokenEndpoint } from './token-endpoint'
import { TokenService } from './tokens'
import { SshCertificateAuthority } from './ssh-ca'

/**
 * The Microsoft Entra stand-in: an OpenID Connect authority that @azure/msal-node uses
 * unchanged, and the token verifier ARM and Files use (ctx.tokens).
 */
export { requireMultiFactorAuthentication } from './policies'

/** The managed-identity token endpoint's path (the sandbox's `identityEndpoint`). */
export const managedIdentityPath = '/metadata/identity/oauth2/token'

export const identityModule: SandboxModule = {
  name: 'identity',
  install(ctx, router) {
    const host = () => ctx.endpoints.authorityHost
    const key = loadSigningKey(ctx.state, ctx.newId)
    const tokens = new TokenService(key, ctx.state, host, ctx.newId)
    ctx.tokens = tokens
    ctx.faults.on('expireTokens', () => tokens.expireIssuedTokens())

    const deviceCodes = new DeviceCodeFlow(() => `${host()}/common/oauth2/deviceauth`)
    const policies = new TenantPolicies(ctx.state)
    const authorize = new AuthorizeEndpoint(policies)
    const sshCa = new SshCertificateAuthority(ctx.state)
    const tokenEndpoint = new TokenEndpoint(
      tokens,
      authorize,
      deviceCodes,
      policies,
      sshCa,
      new ClientCredentialsGrant(tokens, host),
    )
    const managedIdentity = installManagedIdentityEndpoint(ctx, tokens)

    const route = (method: string, pattern: string, handler: Route['handler']): Route => ({
      service: 'identity',
      method,
      pattern,
      handler,
    })
    router.add(
      route('GET', '/common/discovery/instance', () => instanceDiscovery(host())),
      route('GET', '/{tenant}/v2.0/.well-known/openid-configuration', (req) =>
        openIdConfiguration(req, host()),
      ),
      route('GET', '/{tenant}/.well-known/openid-configuration', (req) =>
        openIdConfiguration(req, host()),
      ),
      route('GET', '/{tenant}/discovery/v2.0/keys', () => jwks(key)),
      route('GET', '/{tenant}/discovery/keys', () => jwks(key)),
      route('GET', '/common/oauth2/deviceauth', (req) => deviceCodes.showVerification(req)),
      route('POST', '/common/oauth2/deviceauth', (req) => deviceCodes.approve(req)),
      route('GET', '/{tenant}/oauth2/v2.0/authorize', (req) => authorize.showSignIn(req)),
      route('POST', '/{tenant}/oauth2/v2.0/authorize', (req) => authorize.chooseAccount(req)),
      route('POST', '/{tenant}/oauth2/v2.0/token', (req) => tokenEndpoint.handle(req)),
      route('POST', '/{tenant}/oauth2/v2.0/devicecode', (req) => deviceCodes.start(req)),
      route('GET', managedIdentityPath, (req) => managedIdentity.handle(req)),
      route('POST', managedIdentityPath, (req) => managedIdentity.handle(req)),
      route('GET', '/{tenant}/oauth2/v2.0/logout', () =>
        doneDevicePage('You have signed out of the sandbox. You can close this window.'),
      ),
    )
  },
}
