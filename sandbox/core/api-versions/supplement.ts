/**
 * Api-versions Azure accepts that the generated table (table.json) cannot know, each with
 * its reason. Everything else comes from the table; keep this list short and sourced.
 */

/**
 * Operations that are not deployable resources, so the table (built from resource
 * definitions) has no entry for them. Versions from Microsoft's REST API reference.
 */
export const operationVersions: Record<string, Record<string, string[]>> = {
  'Microsoft.Resources': {
    // Subscriptions API (GET /subscriptions, /tenants, /locations): the spec's
    // resources/.../Microsoft.Resources/stable/<version>/subscriptions.json folders.
    subscriptions: [
      '2022-12-01',
      '2021-01-01',
      '2020-01-01',
      '2019-11-01',
      '2019-06-01',
      '2018-06-01',
      '2016-06-01',
    ],
  },
  'Microsoft.Insights': {
    // Metrics and metric definitions (monitor/.../stable/<version>/metrics*_API.json).
    metrics: ['2024-02-01', '2023-10-01', '2021-05-01', '2019-07-01', '2018-01-01'],
    metricDefinitions: ['2024-02-01', '2023-10-01', '2021-05-01', '2018-01-01'],
    metricNamespaces: ['2024-02-01', '2017-12-01-preview'],
  },
}

/**
 * Versions the SDKs this app ships send that were published after the table's source was
 * generated (bump with the SDKs; `npm ls` names them). Azure accepts its own SDKs' versions.
 */
export const newerSdkVersions: Record<string, string[]> = {
  // @azure/arm-network 39
  'Microsoft.Network': ['2026-01-01'],
  // @azure/arm-resourcesdeployments 2
  'Microsoft.Resources': ['2026-06-01'],
  // @azure/arm-storage 21
  'Microsoft.Storage': ['2026-09-01'],
  // @azure/arm-monitor 8 (its metric baseline and diagnostic operation groups)
  'Microsoft.Insights': ['2023-05-01-preview'],
}

/**
 * Versions Azure answers that no spec folder holds: Microsoft's own example in the
 * marketplaceordering 2021-01-01 folder (GetMarketplaceTerms.json) calls 2016-04-01.
 */
export const unpublishedVersions: Record<string, string[]> = {
  'Microsoft.MarketplaceOrdering': ['2016-04-01'],
}

/** GET /metadata/endpoints (not a provider; ARM itself answers). */
export const metadataEndpointsVersions = ['2022-09-01', '2020-06-01', '2019-05-01', '2015-01-01']
