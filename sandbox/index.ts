import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { ArmError } from './core/arm-error'
import { SandboxClock } from './core/clock'
import type { SandboxContext, SandboxEndpoints } from './core/context'
import { Faults } from './core/faults'
import { RequestTap } from './core/request-tap'
import { LongRunningOperations } from './core/lro'
import { operationRoutes } from './core/operation-routes'
import type { SeedName } from './core/module'
import { Router } from './core/router'
import { createSandboxServer, dispatchInternal } from './core/server'
import { Resources } from './core/resources'
import { UsageLog } from './core/usage'
import { SandboxState } from './core/state'
import { createCertificate } from './core/tls'
import { modules } from './modules'
import { sandboxIdentities, type SandboxIdentities } from './identity/app-registrations'
import { managedIdentityPath } from './identity'
import {
  defaultSubscriptionId,
  defaultTenantId,
  sandboxClientId,
  subscriptions,
  tenants,
  users,
} from './seed/directory'

export type { SeedName }

export interface SandboxOptions {
  /** 0 or omitted: any free port. */
  port?: number
  /** How much faster than real time the sandbox's clock runs (default 1; 0: only advance()). */
  timeScale?: number
  /** Sandbox time at start, ms since the epoch (default: now); tests pin a weekday and hour. */
  startAt?: number
  /** Keep everything in this folder across restarts; memory only without it. */
  stateDir?: string
  /** 'demo': pools and a month of spend to look at; 'empty' (default): just the directory. */
  seed?: SeedName
}

export interface Sandbox {
  port: number
  armEndpoint: string
  /** Authority for the default tenant, e.g. https://localhost:PORT/<tenantId>. */
  authority: string
  authorityHost: string
  filesEndpoint: string
  pricesEndpoint: string
  /**
   * The managed-identity token endpoint: `GET <identityEndpoint>?api-version=2018-02-01&resource=...`
   * with `Metadata: true` (as the instance metadata service), or MSI_ENDPOINT for `az login --identity`.
   */
  identityEndpoint: string
  /** PEM; trust it with `tlsOptions: { ca }` or NODE_EXTRA_CA_CERTS. */
  caCert: string
  tenantId: string
  subscriptionId: string
  clientId: string
  directory: { tenants: typeof tenants; subscriptions: typeof subscriptions; users: typeof users }
  clock: SandboxClock
  faults: Faults
  /** Service principals and managed identities made in the sandbox directory. */
  identities: SandboxIdentities
  /** Every request as it arrives, before faults (tests and benchmarks count them). */
  requests: RequestTap
  /** Internal state, for tests that need to look behind the API. */
  context: SandboxContext
  close(): Promise<void>
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const certificate = await createCertificate()
  const state = new SandboxState(options.stateDir)
  const savedClock = state.table<number>('clock')
  const clock = new SandboxClock({
    start: savedClock.get('now') ?? options.startAt ?? Date.now(),
    timeScale: options.timeScale ?? 1,
  })
  const faults = new Faults()
  const requests = new RequestTap()
  const router = new Router()
  const endpoints: SandboxEndpoints = {
    armEndpoint: '',
    authorityHost: '',
    filesEndpoint: '',
    pricesEndpoint: '',
  }
  const newId = () => randomUUID()
  const lro = new LongRunningOperations(clock, state, () => endpoints.armEndpoint, newId)
  const ctx: SandboxContext = {
    endpoints,
    caCert: certificate.cert,
    clock,
    state,
    faults,
    lro,
    newId,
    requests,
    resources: new Resources(state),
    usage: new UsageLog(state, newId),
    dispatch: (request) => dispatchInternal(ctx, router, request),
    tokens: {
      verify: () =>
        new ArmError(401, 'AuthenticationFailed', 'The sandbox has no identity module installed.'),
    },
  }
  router.add(...operationRoutes(lro))
  for (const module of modules) module.install(ctx, router)

  const server = createSandboxServer(ctx, router, certificate)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
    })
  } catch (error) {
    // Nothing started: the state folder is free again for the next attempt.
    state.close()
    clock.close()
    throw error
  }
  const port = (server.address() as AddressInfo).port
  Object.assign(endpoints, {
    armEndpoint: `https://localhost:${port}`,
    authorityHost: `https://localhost:${port}`,
    filesEndpoint: `https://127.0.0.1:${port}`,
    pricesEndpoint: `https://localhost:${port}/api/retail/prices`,
  } satisfies SandboxEndpoints)

  if (!state.restored) {
    for (const module of modules) await module.seed?.(ctx, options.seed ?? 'empty')
  }
  lro.resume()
  for (const module of modules) module.start?.(ctx)
  const clockSaver = clock.every(60_000, () => savedClock.set('now', clock.now()))

  return {
    port,
    ...endpoints,
    authority: `${endpoints.authorityHost}/${defaultTenantId}`,
    identityEndpoint: `${endpoints.armEndpoint}${managedIdentityPath}`,
    identities: sandboxIdentities(ctx),
    caCert: certificate.cert,
    tenantId: defaultTenantId,
    subscriptionId: defaultSubscriptionId,
    clientId: sandboxClientId,
    directory: { tenants, subscriptions, users },
    clock,
    faults,
    requests,
    context: ctx,
    async close() {
      clockSaver.cancel()
      savedClock.set('now', clock.now())
      state.close()
      clock.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
