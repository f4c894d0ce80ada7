import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modules } from '../../../../sandbox/modules'
import { startTestSandbox } from '../harness'
import { collect, resourcesClient } from '../resources/clients'
import { deploymentsClient } from './deployments-client'
import { fakeProviderModule, widgetCreateMs } from './fake-provider'

const api = '2024-01-01'
const template = {
  parameters: { secret: { type: 'securestring' } },
  resources: [
    {
      type: 'Sandbox.Test/widgets',
      apiVersion: api,
      name: 'first',
      location: 'eastus',
      properties: { size: 'small' },
    },
    {
      type: 'Sandbox.Test/widgets',
      apiVersion: api,
      name: 'second',
      location: 'eastus',
      dependsOn: ['first'],
      properties: { size: 'small', protectedSettings: { secret: "[parameters('secret')]" } },
    },
  ],
}

describe('a deployment across a sandbox restart (--state DIR)', () => {
  let stateDir: string

  beforeAll(() => {
    modules.push(fakeProviderModule)
    stateDir = mkdtempSync(join(tmpdir(), 'sandbox-deploy-'))
  })
  afterAll(() => {
    modules.splice(modules.indexOf(fakeProviderModule), 1)
    rmSync(stateDir, { recursive: true, force: true })
  })

  it('carries on where it stopped and finishes', async () => {
    const first = await startTestSandbox({ stateDir })
    const groups = resourcesClient(first, first.credential())
    await groups.resourceGroups.createOrUpdate('resume-rg', { location: 'eastus' })
    const poller = deploymentsClient(first, first.credential()).createOrUpdate(
      'resume-rg',
      'long',
      {
        properties: { mode: 'Incremental', template, parameters: { secret: { value: 'hush' } } },
      },
    )
    await poller.submitted()
    first.sandbox.clock.advance(2_000)
    await expect
      .poll(
        () =>
          first.sandbox.context.resources.list({
            subscriptionId: first.sandbox.subscriptionId,
            resourceGroup: 'resume-rg',
          }).length,
      )
      .toBe(1)
    await first.close()

    const second = await startTestSandbox({ stateDir })
    try {
      const deployments = deploymentsClient(second, second.credential())
      expect((await deployments.get('resume-rg', 'long')).properties.provisioningState).toBe(
        'Running',
      )
      second.sandbox.clock.advance(widgetCreateMs)
      await expect
        .poll(async () => (await deployments.get('resume-rg', 'long')).properties.provisioningState)
        .toBe('Running')
      second.sandbox.clock.advance(widgetCreateMs)
      await expect
        .poll(async () => (await deployments.get('resume-rg', 'long')).properties.provisioningState)
        .toBe('Succeeded')
      const operations = await collect(deployments.listOperations('resume-rg', 'long'))
      expect(
        operations.map((o) => [
          o.properties.targetResource?.resourceName,
          o.properties.provisioningState,
        ]),
      ).toEqual([
        ['first', 'Succeeded'],
        ['second', 'Succeeded'],
        [undefined, 'Succeeded'],
      ])
      expect(
        second.sandbox.context.resources.get(
          `${(await resourcesClient(second, second.credential()).resourceGroups.get('resume-rg')).id}/providers/Sandbox.Test/widgets/second`,
        )?.properties,
      ).toMatchObject({
        protectedSettings: { secret: 'hush' },
      })
      // Secure parameter values are kept only while the deployment runs.
      expect(
        JSON.stringify(second.sandbox.context.state.table('deployments').values()),
      ).not.toContain('hush')
    } finally {
      await second.close()
    }
  })
})
