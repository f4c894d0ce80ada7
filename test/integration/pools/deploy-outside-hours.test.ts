import { afterEach, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import { DeployService, templateFiles } from '../../../electron/azure/deploy/index'
import { ed25519KeyPair } from '../../../electron/azure/ssh-keys'
import type { DeploymentStatus } from '../../../shared/deploy'
import { poolSpecSchema } from '../../../shared/pool-spec'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { poolOf, poolServiceFor, pollUntil } from './pool-env'

/*
 * Issue 12: a pool deployed on a Sunday lands at zero. Its derived view says so and why, and
 * "Start now until …" brings it up and keeps it up until the chosen time. The deployment runs
 * at a fast sandbox time scale; the rest moves the clock forward.
 */

let env: TestSandbox
let deploy: DeployService | undefined
afterEach(async () => {
  deploy?.close()
  await env?.close()
})

it('deployed outside working hours: at zero by its schedule, then started until a chosen time', async () => {
  // Sunday 6 December 2026, 15:00 UTC.
  env = await startTestSandbox({ timeScale: 600, startAt: Date.parse('2026-12-06T15:00:00Z') })
  const { sandbox } = env
  const progress: DeploymentStatus[] = []
  deploy = new DeployService({
    contextFor: async (subscriptionId) => ({
      cloud: sandboxCloud(sandbox),
      subscriptionId,
      tenantId: sandbox.tenantId,
      accountId: 'ada@contoso.example',
      credential: env.credential(),
      tlsCa: sandbox.caCert,
    }),
    files: templateFiles(),
    onProgress: (status) => progress.push(status),
    ownerOf: async () => 'ada@contoso.example',
    watchIntervalMs: 20,
    updateIntervalInMs: 10,
  })
  await deploy.start(
    poolSpecSchema.parse({
      subscriptionId: sandbox.subscriptionId,
      resourceGroup: { mode: 'new', name: 'weekend-rg' },
      location: 'westeurope',
      poolName: 'weekend',
      osType: 'Linux',
      vmSku: 'Standard_D4s_v5',
      instanceCount: 2,
      priority: 'Regular',
      evictionPolicy: 'Deallocate',
      maxPrice: -1,
      autoscale: {
        enabled: true,
        minimum: 1,
        maximum: 4,
        default: 2,
        schedule: {
          days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
          start: '08:00',
          end: '18:00',
          timeZone: 'UTC',
        },
      },
      adminUsername: 'dsvmadmin',
      sshPublicKey: ed25519KeyPair('ada@laptop').publicKey,
      allowedSourceRanges: ['203.0.113.0/24'],
      network: { access: 'Public', dnsLabel: 'weekend' },
      storage: {
        mode: 'new',
        accountName: 'weekendfiles',
        shareName: 'notebooks',
        mountpointPath: '/mnt/dsvmshare',
      },
      tags: {},
    }),
  )
  for (let i = 0; i < 3000 && !progress.some((s) => s.state === 'Succeeded'); i++)
    await new Promise((resolve) => setTimeout(resolve, 10))
  const done = progress.find((s) => s.state === 'Succeeded')
  expect(done, JSON.stringify(progress.at(-1))).toBeDefined()
  // From here on, time moves only when the test moves it.
  sandbox.clock.setTimeScale(1e-9)

  const { service } = poolServiceFor(env)
  const poolId = done!.outputs!.scaleSetId!
  await service.list()
  service.close()
  await pollUntil(env, service, () => poolOf(service, poolId).view.state === 'Scaled to zero', {
    stepMs: 60_000,
  })
  const view = poolOf(service, poolId).view
  expect(view).toMatchObject({ scaledToZero: true, heldAtZeroBy: 'schedule' })
  expect(view.banner).toMatchObject({ offer: 'startUntil' })
  expect(view.banner?.text).toMatch(
    /^At zero outside working hours: autoscale keeps it there until Mon \d\d:00\.$/,
  )
  expect(view.jupyterHubBlocked).toMatch(/at zero/)

  const until = new Date(sandbox.clock.now() + 60 * 60_000).toISOString()
  const started = await service.keepUntil(poolId, until)
  // Sandbox time moves on while the app waits (instances take minutes), but never more than
  // ten minutes of it: the override's hour is not crossed however slow this machine is.
  let moved = 0
  const advancing = setInterval(() => {
    // Simulated time waits for work that takes real time (instance scripts).
    if (moved >= 10 * 60_000 || sandbox.context.lro.busy) return
    sandbox.clock.advance(30_000)
    moved += 30_000
  }, 5)
  try {
    await started.done
  } finally {
    clearInterval(advancing)
  }
  await pollUntil(env, service, () => poolOf(service, poolId).running === 2)
  expect(poolOf(service, poolId).view).toMatchObject({
    state: 'Running',
    scaledToZero: false,
    override: { capacity: 2, until },
  })
})
