import { ArmError } from '../../core/arm-error'
import { canonicalNamespace, knownNamespaces, supportedVersions } from '../../core/api-versions'
import { operationVersions } from '../../core/api-versions/supplement'
import type { SandboxContext } from '../../core/context'
import { ok, type Route, type SandboxRequest } from '../../core/http'
import type { SandboxModule } from '../../core/module'
import { regions } from '../../seed/vm-sizes'

/**
 * Resource providers (GET /subscriptions/{id}/providers[/{namespace}], register) and ARM's
 * cloud metadata (GET /metadata/endpoints, answered without a token as Azure does). The
 * resource types and api-versions come from the same table that checks every request.
 */
export const providersModule: SandboxModule = {
  name: 'providers',
  install(ctx, router) {
    const arm = (method: string, pattern: string, handler: Route['handler']): Route => ({
      service: 'arm',
      method,
      pattern,
      handler,
    })
    router.add(
      {
        service: 'arm',
        method: 'GET',
        pattern: '/metadata/endpoints',
        anonymous: true,
        handler: (req) => ok(metadataEndpoints(ctx, req)),
      },
      arm('GET', '/subscriptions/{subscriptionId}/providers', (req) =>
        ok({ value: knownNamespaces().map(({ name }) => providerView(name, req)) }),
      ),
      arm('GET', '/subscriptions/{subscriptionId}/providers/{namespace}', (req) =>
        ok(providerView(namespaceOf(req), req)),
      ),
      arm('POST', '/subscriptions/{subscriptionId}/providers/{namespace}/register', (req) =>
        ok(providerView(namespaceOf(req), req)),
      ),
      arm('GET', '/providers/{namespace}', (req) => ok(providerView(namespaceOf(req), req))),
    )
  },
}

function namespaceOf(req: SandboxRequest): string {
  const given = req.params.namespace!
  const name = canonicalNamespace(given)
  if (!name)
    throw new ArmError(
      404,
      'InvalidResourceNamespace',
      `The resource namespace '${given}' is invalid.`,
    )
  return name
}

function providerView(namespace: string, req: SandboxRequest) {
  const entry = knownNamespaces().find((n) => n.name === namespace)!.entry
  const types = [...Object.keys(entry.types), ...Object.keys(operationVersions[namespace] ?? {})]
  const subscriptionId = req.params.subscriptionId
  return {
    id: `${subscriptionId ? `/subscriptions/${subscriptionId}` : ''}/providers/${namespace}`,
    namespace,
    ...(subscriptionId
      ? { registrationState: 'Registered', registrationPolicy: 'RegistrationRequired' }
      : {}),
    resourceTypes: types.map((resourceType) => {
      const apiVersions = supportedVersions(namespace, resourceType) ?? []
      return {
        resourceType,
        locations: regions.map((r) => r.displayName),
        apiVersions,
        defaultApiVersion: apiVersions.find((v) => !v.includes('preview')) ?? apiVersions[0],
        capabilities: 'None',
      }
    }),
  }
}

/**
 * The cloud's endpoints for `az cloud register --endpoint-resource-manager`: the single
 * object of api-version 2019-05-01 and earlier, a list of clouds from 2020-06-01.
 */
function metadataEndpoints(ctx: SandboxContext, req: SandboxRequest) {
  const arm = `${ctx.endpoints.armEndpoint}/`
  const cloud = {
    portal: 'https://portal.azure.com',
    authentication: {
      loginEndpoint: `${ctx.endpoints.authorityHost}/`,
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    media: 'https://rest.media.azure.net',
    graphAudience: 'https://graph.windows.net/',
    graph: 'https://graph.windows.net/',
    name: 'Sandbox',
    suffixes: {
      azureDataLakeStoreFileSystem: 'azuredatalakestore.net',
      acrLoginServer: 'azurecr.io',
      sqlServerHostname: 'database.windows.net',
      azureDataLakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
      keyVaultDns: 'vault.azure.net',
      storage: 'core.windows.net',
      azureFrontDoorEndpointSuffix: 'azurefd.net',
    },
    batch: 'https://batch.core.windows.net/',
    resourceManager: arm,
    vmImageAliasDoc:
      'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json',
    activeDirectoryDataLake: 'https://datalake.azure.net/',
    sqlManagement: 'https://management.core.windows.net:8443/',
    gallery: 'https://gallery.azure.com/',
    microsoftGraphResourceId: 'https://graph.microsoft.com/',
  }
  if ((req.query('api-version') ?? '') >= '2020-06-01') return [cloud]
  return {
    galleryEndpoint: cloud.gallery,
    graphEndpoint: cloud.graph,
    portalEndpoint: `${cloud.portal}/`,
    authentication: {
      loginEndpoint: cloud.authentication.loginEndpoint,
      audiences: cloud.authentication.audiences,
    },
    sqlManagement: cloud.sqlManagement,
    resourceManager: arm,
    batch: cloud.batch,
    media: cloud.media,
    vmImageAliasDoc: cloud.vmImageAliasDoc,
    activeDirectoryDataLake: cloud.activeDirectoryDataLake,
    suffixes: cloud.suffixes,
  }
}
