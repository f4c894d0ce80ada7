import { join } from 'node:path'
import type { DeploymentRef, DeploymentStatus } from '../../../shared/deploy'
import type { EventHub } from '../../ipc/events'
import type { CloudSession } from '../cloud-session'
import { perSession } from '../per-session'
import { RetailPricesClient } from '../prices/retail-prices-client'
import { DeployService, WizardService, type TemplateFiles } from './index'

export interface SessionDeployDeps {
  session(): Promise<CloudSession>
  /** The pool template and the instance scripts. */
  poolFiles: TemplateFiles
  /** The app's data folder (the prices cache). */
  dataDir: string
  events: EventHub
  /** The subscriptions chosen in Settings: running deployments are looked up in them. */
  chosenSubscriptionIds(): string[]
  /** A pool deployment succeeded: the pools list and the team find it now. */
  onPoolCreated(ref: DeploymentRef): void
  /** How often deployments are read (tests against a fast sandbox read more often). */
  options?: { watchIntervalMs?: number; updateIntervalInMs?: number } | undefined
  log(level: 'warn', message: string): void
}

/** Creating a pool: the wizard's choices and the deployments, built anew per cloud session. */
export function sessionDeploy({
  session,
  poolFiles,
  dataDir,
  events,
  chosenSubscriptionIds,
  onPoolCreated,
  options,
  log,
}: SessionDeployDeps) {
  const services = perSession(
    session,
    (current) => {
      const contextFor = (subscriptionId: string) => current.arm.for(subscriptionId)
      let prices: RetailPricesClient | undefined
      return {
        wizard: new WizardService({
          contextFor,
          files: poolFiles,
          prices: async () =>
            (prices ??= new RetailPricesClient({
              endpoint: current.cloud.pricesEndpoint,
              cacheDir: join(dataDir, 'prices-cache'),
              ca: current.tlsCa,
            })),
        }),
        service: new DeployService({
          contextFor,
          files: poolFiles,
          onProgress: (status: DeploymentStatus) => {
            events.emit('deploy.progress', status)
            if (status.state === 'Succeeded') onPoolCreated(status.ref)
          },
          ownerOf: async (context) =>
            (await current.auth.accounts()).find((a) => a.id === context.accountId)?.username,
          ...options,
          log: (message) => log('warn', message),
        }),
      }
    },
    (built) => built.service.close(),
  )

  /**
   * Lists deployments, finding pool deployments still running from before the app started in
   * every chosen subscription not looked up yet (one signed in since is looked up now).
   */
  async function watchedDeployments() {
    const { service } = await services.get()
    await service.resume(chosenSubscriptionIds()).catch((error: unknown) => {
      log('warn', `Running deployments could not be looked up: ${(error as Error).name}`)
    })
    return service.list()
  }

  return { deployServices: services.get, watchedDeployments, close: services.close }
}
