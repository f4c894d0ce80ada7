import { z } from 'zod'

export const cloudNames = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud', 'Sandbox'] as const
export const cloudNameSchema = z.enum(cloudNames)
export type CloudName = z.infer<typeof cloudNameSchema>

/** Everything that differs between clouds, in one record (DESIGN.md decision 3). */
export interface Cloud {
  name: CloudName
  displayName: string
  /** Resource Manager endpoint, no trailing slash. */
  armEndpoint: string
  /** Token audience for ARM, used as `${armAudience}/.default`. */
  armAudience: string
  /** Entra authority host, e.g. https://login.microsoftonline.com (tenant appended). */
  authorityHost: string
  /** Suffix of storage data-plane hosts, e.g. core.windows.net. */
  storageSuffix: string
  pricesEndpoint: string
  portalUrl: string
  /** Microsoft Graph endpoint, no trailing slash (people search, app registrations). */
  graphEndpoint: string
  /** Token audience for Graph, used as `${graphAudience}/.default`. */
  graphAudience: string
}

export const publicClouds: Record<Exclude<CloudName, 'Sandbox'>, Cloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    displayName: 'Azure',
    armEndpoint: 'https://management.azure.com',
    armAudience: 'https://management.azure.com',
    authorityHost: 'https://login.microsoftonline.com',
    storageSuffix: 'core.windows.net',
    pricesEndpoint: 'https://prices.azure.com/api/retail/prices',
    portalUrl: 'https://portal.azure.com',
    graphEndpoint: 'https://graph.microsoft.com',
    graphAudience: 'https://graph.microsoft.com',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    displayName: 'Azure US Government',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armAudience: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
    storageSuffix: 'core.usgovcloudapi.net',
    pricesEndpoint: 'https://prices.azure.com/api/retail/prices',
    portalUrl: 'https://portal.azure.us',
    graphEndpoint: 'https://graph.microsoft.us',
    graphAudience: 'https://graph.microsoft.us',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    displayName: 'Azure China (21Vianet)',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armAudience: 'https://management.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
    storageSuffix: 'core.chinacloudapi.cn',
    pricesEndpoint: 'https://prices.azure.com/api/retail/prices',
    portalUrl: 'https://portal.azure.cn',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
    graphAudience: 'https://microsoftgraph.chinacloudapi.cn',
  },
}
