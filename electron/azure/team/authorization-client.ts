import { AuthorizationManagementClient } from '@azure/arm-authorization'
import { armClient, armClientOptions, type ArmContext } from '../arm-context'

/**
 * @azure/arm-authorization for one subscription. It is an older-generation client: it
 * takes the endpoint as `$host` and the token scope as `credentialScopes`.
 */
export function authorizationClient(
  context: Pick<ArmContext, 'cloud' | 'tlsCa' | 'credential' | 'subscriptionId'>,
): AuthorizationManagementClient {
  const options = armClientOptions(context)
  return armClient(
    context,
    new AuthorizationManagementClient(context.credential, context.subscriptionId, {
      $host: options.endpoint,
      endpoint: options.endpoint,
      credentialScopes: options.credentials.scopes,
      ...(options.tlsOptions ? { tlsOptions: options.tlsOptions } : {}),
    } as ConstructorParameters<typeof AuthorizationManagementClient>[2]),
  )
}
