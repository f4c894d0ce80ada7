import { describe, expect, it } from 'vitest'
import {
  jupyterHubRedirectUri,
  publicPoolAddress,
  redirectUriFromHubUrl,
  registerJupyterHubApp,
} from '../../../electron/azure/team/jupyterhub-app'
import type { GraphClient } from '../../../electron/azure/team/graph-client'

describe("a pool's JupyterHub address for its app registration", () => {
  it('is known before deployment for public pools: the DNS label in the region, per cloud', () => {
    expect(publicPoolAddress('AzureCloud', 'Team-Pool', 'WestEurope')).toBe(
      'team-pool.westeurope.cloudapp.azure.com',
    )
    expect(publicPoolAddress('AzureUSGovernment', 'lab', 'usgovvirginia')).toBe(
      'lab.usgovvirginia.cloudapp.usgovcloudapi.net',
    )
    expect(publicPoolAddress('AzureChinaCloud', 'lab', 'chinanorth3')).toBe(
      'lab.chinanorth3.cloudapp.chinacloudapi.cn',
    )
  })

  it('calls JupyterHub back on port 8000 at /hub/oauth_callback, IPv6 in brackets', () => {
    expect(jupyterHubRedirectUri('lab.westeurope.cloudapp.azure.com')).toBe(
      'https://lab.westeurope.cloudapp.azure.com:8000/hub/oauth_callback',
    )
    expect(jupyterHubRedirectUri('fd00::4')).toBe('https://[fd00::4]:8000/hub/oauth_callback')
    expect(redirectUriFromHubUrl('https://10.0.0.4:8000')).toBe(
      'https://10.0.0.4:8000/hub/oauth_callback',
    )
    expect(redirectUriFromHubUrl('https://lab.westeurope.cloudapp.azure.com:8000/')).toBe(
      'https://lab.westeurope.cloudapp.azure.com:8000/hub/oauth_callback',
    )
  })

  it('refuses to register an address that is not an https callback, before asking Graph', async () => {
    const graph = {
      send: () => Promise.reject(new Error('Graph must not be called')),
    } as unknown as GraphClient
    await expect(
      registerJupyterHubApp(graph, {
        poolName: 'lab',
        redirectUri: 'http://lab.example:8000/hub/oauth_callback',
      }),
    ).rejects.toMatchObject({ code: 'Validation' })
  })

  it('deletes the half-made application when a later step fails, and throws what Graph said', async () => {
    const calls: string[] = []
    const graph = {
      send: (method: string, path: string) => {
        calls.push(`${method} ${path}`)
        if (path === '/v1.0/applications') return Promise.resolve({ id: 'obj-1', appId: 'app-1' })
        if (path === '/v1.0/servicePrincipals') return Promise.reject(new Error('Graph is down'))
        return Promise.resolve(undefined)
      },
    } as unknown as GraphClient
    await expect(
      registerJupyterHubApp(graph, {
        poolName: 'lab',
        redirectUri: jupyterHubRedirectUri('lab.westeurope.cloudapp.azure.com'),
      }),
    ).rejects.toThrow('Graph is down')
    expect(calls).toEqual([
      'POST /v1.0/applications',
      'POST /v1.0/servicePrincipals',
      'DELETE /v1.0/applications/obj-1',
    ])
  })
})
