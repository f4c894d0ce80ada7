import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveCloud } from '../../../electron/azure/auth/clouds'
import { GraphClient } from '../../../electron/azure/team/graph-client'
import {
  deleteJupyterHubApp,
  jupyterHubRedirectUri,
  jupyterHubSignInParameter,
  plannedRedirectUri,
  publicPoolAddress,
  redirectUriFromHubUrl,
  registerJupyterHubApp,
  updateJupyterHubRedirectUri,
  type JupyterHubApp,
} from '../../../electron/azure/team/jupyterhub-app'
import { templateFiles } from '../../../electron/azure/deploy/template-files'
import { armClients } from '../../../electron/azure/deploy/clients'
import { deploymentBody } from '../../../electron/azure/deploy/deployment-body'
import { poolDeploymentName } from '../../../shared/pool-spec'
import { poolTags } from '../../../shared/pool-tags'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { collect } from '../sandbox/resources/clients'
import {
  armGet,
  clientsFor,
  owner,
  poolSpec,
  recordProviderRequests,
} from '../pool-template/deploy'

/**
 * A pool's JupyterHub app registration through Microsoft Graph, with the real pipeline and
 * the signed-in user's delegated token against the sandbox, and a pool deployed with it: the
 * client secret reaches only the Custom Script extension's protected settings.
 */

const ada = 'ada@contoso.example'
const grace = 'grace@contoso.example'

let env: TestSandbox
const graphAs = (username: string) =>
  new GraphClient(
    resolveCloud('Sandbox', env.sandbox),
    env.credential(username),
    env.sandbox.caCert,
  )

const contextOf = (username: string) => ({
  cloud: resolveCloud('Sandbox', env.sandbox),
  subscriptionId: env.sandbox.subscriptionId,
  tenantId: env.sandbox.tenantId,
  accountId: username,
  credential: env.credential(username),
  tlsCa: env.sandbox.caCert,
})

interface GraphApplication {
  appId: string
  displayName: string
  signInAudience: string
  web: { redirectUris: string[] }
  passwordCredentials: Array<{ hint: string; secretText: string | null; endDateTime: string }>
}

beforeAll(async () => {
  env = await startTestSandbox({ timeScale: 600 })
})
afterAll(() => env?.close())

describe("a pool's JupyterHub app registration", () => {
  const redirectUri = jupyterHubRedirectUri(publicPoolAddress('Sandbox', 'team-pool', 'westeurope'))
  let app: JupyterHubApp

  beforeAll(async () => {
    const result = await registerJupyterHubApp(graphAs(ada), { poolName: 'team-pool', redirectUri })
    if (!result.ok) throw new Error(result.message)
    app = result.app
  })

  it("Ada registers it: a client id, a service principal and a secret, for the pool's JupyterHub address", async () => {
    expect(redirectUri).toBe(
      'https://team-pool.westeurope.cloudapp.azure.com:8000/hub/oauth_callback',
    )
    expect(app.clientId).toMatch(/^[0-9a-f-]{36}$/)
    expect(app.servicePrincipalId).toMatch(/^[0-9a-f-]{36}$/)
    expect(app.clientSecret.length).toBeGreaterThanOrEqual(32)
    const stored = await graphAs(ada).send<GraphApplication>(
      'GET',
      `/v1.0/applications/${app.objectId}`,
    )
    expect(stored).toMatchObject({
      appId: app.clientId,
      displayName: 'DSVM pool team-pool – JupyterHub',
      signInAudience: 'AzureADMyOrg',
      web: { redirectUris: [redirectUri] },
    })
    // Entra answers the secret's text once (addPassword): afterwards only its hint.
    expect(stored.passwordCredentials).toEqual([
      expect.objectContaining({ hint: app.clientSecret.slice(0, 3), secretText: null }),
    ])
    expect(JSON.stringify(stored)).not.toContain(app.clientSecret)
  })

  it('Grace may not register applications in Contoso: the pool falls back to pool accounts, and nothing is created', async () => {
    const result = await registerJupyterHubApp(graphAs(grace), {
      poolName: 'grace-pool',
      redirectUri: jupyterHubRedirectUri('grace-pool.westeurope.cloudapp.azure.com'),
    })
    expect(result).toEqual({
      ok: false,
      reason: 'AppRegistrationForbidden',
      message: expect.stringContaining('does not let your account register applications'),
    })
  })

  it('points the app at the address an Internal pool got when it was deployed', async () => {
    const deployed = redirectUriFromHubUrl('https://10.0.0.4:8000')
    expect(deployed).toBe('https://10.0.0.4:8000/hub/oauth_callback')
    await updateJupyterHubRedirectUri(graphAs(ada), app.objectId, deployed)
    const stored = await graphAs(ada).send<GraphApplication>(
      'GET',
      `/v1.0/applications/${app.objectId}`,
    )
    expect(stored.web.redirectUris).toEqual([deployed])
    // Entra refuses a plain-http address: Graph's error reaches the caller with its code.
    await expect(
      graphAs(ada).send('PATCH', `/v1.0/applications/${app.objectId}`, {
        web: { redirectUris: ['http://10.0.0.4:8000/hub/oauth_callback'] },
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'Request_BadRequest' })
    await updateJupyterHubRedirectUri(graphAs(ada), app.objectId, redirectUri)
  })

  it('an Internal pool registers without an address and gets it once deployed', async () => {
    const spec = poolSpec(env, { poolName: 'lab', network: { access: 'Internal' } })
    expect(plannedRedirectUri(spec, 'Sandbox')).toBeUndefined()
    expect(plannedRedirectUri(poolSpec(env, { poolName: 'lab' }), 'Sandbox')).toBe(
      'https://lab.westeurope.cloudapp.azure.com:8000/hub/oauth_callback',
    )
    const result = await registerJupyterHubApp(graphAs(ada), { poolName: 'lab' })
    if (!result.ok) throw new Error(result.message)
    const before = await graphAs(ada).send<GraphApplication>(
      'GET',
      `/v1.0/applications/${result.app.objectId}`,
    )
    expect(before.web.redirectUris).toEqual([])
    await updateJupyterHubRedirectUri(
      graphAs(ada),
      result.app.objectId,
      redirectUriFromHubUrl('https://10.1.0.5:8000'),
    )
    const after = await graphAs(ada).send<GraphApplication>(
      'GET',
      `/v1.0/applications/${result.app.objectId}`,
    )
    expect(after.web.redirectUris).toEqual(['https://10.1.0.5:8000/hub/oauth_callback'])
    await deleteJupyterHubApp(graphAs(ada), result.app.objectId)
  })

  it('a deployment with it needs the right to assign roles: Grace (Contributor) is told before anything is sent', async () => {
    await expect(
      deploymentBody(
        poolSpec(env, { poolName: 'grace-pool' }),
        armClients(contextOf(grace)),
        templateFiles(),
        grace,
        jupyterHubSignInParameter(app, env.sandbox.tenantId),
      ),
    ).rejects.toMatchObject({
      code: 'Forbidden',
      message: expect.stringContaining('needs the right to assign roles'),
    })
  })

  it('only its owner changes or deletes it', async () => {
    await expect(deleteJupyterHubApp(graphAs(grace), app.objectId)).rejects.toMatchObject({
      code: 'Forbidden',
      message: expect.stringContaining('owner of its app registration'),
    })
    await expect(
      updateJupyterHubRedirectUri(graphAs(grace), app.objectId, redirectUri),
    ).rejects.toMatchObject({ code: 'Forbidden' })
    // One service principal per application, as in Entra.
    await expect(
      graphAs(ada).send('POST', '/v1.0/servicePrincipals', { appId: app.clientId }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'Request_MultipleObjectsWithSameKeyValue' })
    const spare = await registerJupyterHubApp(graphAs(ada), { poolName: 'spare', redirectUri })
    if (!spare.ok) throw new Error(spare.message)
    await deleteJupyterHubApp(graphAs(ada), spare.app.objectId)
    await expect(
      graphAs(ada).send('GET', `/v1.0/applications/${spare.app.objectId}`),
    ).rejects.toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' })
  })

  describe('a Linux pool deployed with it', () => {
    const pool = 'team-pool'
    const group = 'team-pool-rg'
    let script: string
    let visible: string
    let deployment: Awaited<
      ReturnType<ReturnType<typeof clientsFor>['deployments']['beginCreateOrUpdateAndWait']>
    >

    beforeAll(async () => {
      const clients = clientsFor(env)
      const spec = poolSpec(env, { poolName: pool })
      await clients.resources.resourceGroups.createOrUpdate(group, { location: spec.location })
      // The body the app deploys (deploy-service.ts), with the app registration passed in.
      const body = await deploymentBody(
        spec,
        armClients(contextOf(ada)),
        templateFiles(),
        owner,
        jupyterHubSignInParameter(app, env.sandbox.tenantId),
      )
      const recorder = recordProviderRequests(env)
      try {
        deployment = await clients.deployments.beginCreateOrUpdateAndWait(
          group,
          poolDeploymentName(pool),
          body as Parameters<typeof clients.deployments.beginCreateOrUpdateAndWait>[2],
        )
        const extension =
          recorder.scaleSetPut(pool).properties.virtualMachineProfile.extensionProfile
            .extensions[0]!
        script = Buffer.from(extension.properties.protectedSettings!.script!, 'base64').toString()
      } finally {
        recorder.stop()
      }
      visible = JSON.stringify([
        deployment,
        await clients.deployments.get(group, poolDeploymentName(pool)),
        await collect(clients.deployments.listOperations(group, poolDeploymentName(pool))),
        await clients.compute.virtualMachineScaleSets.get(group, pool),
        await collect(clients.resources.resources.listByResourceGroup(group)),
        await clients.resources.resourceGroups.get(group),
      ])
    })

    it('succeeds, and the secret is in no parameter, output, tag, operation or resource Azure shows', () => {
      expect(deployment.properties!.provisioningState).toBe('Succeeded')
      expect(deployment.properties!.parameters.jupyterHubSignIn).toEqual({ type: 'SecureObject' })
      expect(visible).not.toContain(app.clientSecret)
      expect(visible).not.toContain(Buffer.from(app.clientSecret).toString('base64'))
    })

    it('records the app registration’s client id (not a secret) on the scale set, as Set up team access does', async () => {
      const scaleSet = await clientsFor(env).compute.virtualMachineScaleSets.get(group, pool)
      expect(scaleSet.tags?.[poolTags.jupyterHubApp]).toBe(app.clientId)
    })

    it("hands the instances the app registration and the pool's JupyterHub address in protected settings only", () => {
      expect(script).toContain(
        `export JUPYTERHUB_TENANT_ID='${env.sandbox.tenantId}' JUPYTERHUB_CLIENT_ID='${app.clientId}' JUPYTERHUB_CLIENT_SECRET_BASE64='${Buffer.from(app.clientSecret).toString('base64')}' JUPYTERHUB_CALLBACK_URL='${redirectUri}'`,
      )
      expect(script).not.toContain(app.clientSecret)
      // environment().authentication.loginEndpoint: where Entra signs people in.
      expect(script).toContain(`JUPYTERHUB_LOGIN_ENDPOINT='${env.sandbox.authorityHost}/'`)
    })

    it("the instances' Custom Script extension ran the JupyterHub part and the share's, and says so", async () => {
      const compute = clientsFor(env).compute
      const [instance] = await collect(compute.virtualMachineScaleSetVMs.list(group, pool))
      const view = await compute.virtualMachineScaleSetVMs.getInstanceView(
        group,
        pool,
        instance!.instanceId!,
      )
      const status = view.extensions?.find((e) => e.name === 'mount-share')?.statuses?.[0]
      expect(status?.code).toBe('ProvisioningState/succeeded')
      expect(status?.message).toContain(
        'jupyterhub-entra: JupyterHub at https://team-pool.westeurope.cloudapp.azure.com:8000 signs members in with their Microsoft account',
      )
      expect(status?.message).toContain('mount-share: //team')
      expect(status?.message).not.toContain(app.clientSecret)
    })

    it("lets the pool's identity read the group's role assignments, to let in members only", async () => {
      const identity = await clientsFor(env).resources.resources.getById(
        `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${pool}-identity`,
        '2024-11-30',
      )
      const { principalId } = identity.properties as Record<string, string>
      const groupId = `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${group}`
      const assignments = await armGet<{ value: Array<{ properties: Record<string, string> }> }>(
        env,
        `${groupId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`assignedTo('${principalId}')`)}`,
      )
      expect(assignments.value.map((a) => a.properties)).toContainEqual(
        expect.objectContaining({
          principalId,
          principalType: 'ServicePrincipal',
          scope: groupId,
          roleDefinitionId: `/subscriptions/${env.sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
        }),
      )
    })
  })
})
