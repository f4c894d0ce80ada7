import {
  LogLevel,
  ProtocolMode,
  PublicClientApplication,
  type ICachePlugin,
} from '@azure/msal-node'
import type { Cloud } from '../../../shared/clouds'
import { TrustingNetworkClient } from './network-client'
import { RetryingNetworkClient, type SignInRetryOptions } from './retrying-network-client'

/**
 * One MSAL public client per cloud and client id. Microsoft's clouds use MSAL's defaults;
 * the sandbox is a generic OIDC authority MSAL must be told to trust (knownAuthorities,
 * protocolMode OIDC, and its CA for the HTTPS calls). In every cloud the HTTP calls go
 * through the app's network client, which waits out a throttled or failing sign-in service.
 */
export function createMsalClient(options: {
  cloud: Cloud
  clientId: string
  cachePlugin: ICachePlugin
  tlsCa?: string | undefined
  log?: ((message: string) => void) | undefined
  /** How a busy sign-in service is waited out (see RetryingNetworkClient). */
  retry?: SignInRetryOptions | undefined
}): PublicClientApplication {
  const { cloud, clientId, cachePlugin, tlsCa, log } = options
  const isSandbox = cloud.name === 'Sandbox'
  return new PublicClientApplication({
    auth: {
      clientId,
      // Work and school accounts of any directory; a tenant is named per token request.
      authority: `${cloud.authorityHost}/organizations`,
      ...(isSandbox ? { knownAuthorities: [new URL(cloud.authorityHost).host] } : {}),
    },
    cache: { cachePlugin },
    system: {
      ...(isSandbox ? { protocolMode: ProtocolMode.OIDC } : {}),
      // Throttling and 5xx answers are waited out and retried, in every cloud.
      networkClient: new RetryingNetworkClient(new TrustingNetworkClient(tlsCa), options.retry),
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (_level, message, containsPii) => {
          if (!containsPii) log?.(message)
        },
      },
    },
  })
}
