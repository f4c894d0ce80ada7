import { importParameterFile } from '../../../shared/parameter-file'
import type { SandboxRunner } from '../../embedded-sandbox/sandbox-runner'
import type { HandlerOutput, HandlersFor } from '../../ipc/handlers'
import type { CloudSession } from '../cloud-session'
import { httpsGet } from '../prices/http'
import { lookUpPublicAddress, publicAddressService } from '../public-address'
import { generateSshKey, readPublicKey } from '../ssh-keys'
import type { DeployService, WizardService } from './index'

export interface DeployHandlerDeps {
  options: { sshDir?: string }
  session(): Promise<CloudSession>
  sandbox: SandboxRunner
  deployServices(): Promise<{ wizard: WizardService; service: DeployService }>
  watchedDeployments(): Promise<HandlerOutput<'deploy.list'>>
}

/** wizard.* and deploy.*: creating a pool. */
export function deployHandlers({
  options,
  session,
  sandbox,
  deployServices,
  watchedDeployments,
}: DeployHandlerDeps) {
  return {
    'wizard.regions': async ({ subscriptionId }) =>
      (await deployServices()).wizard.regions(subscriptionId),
    'wizard.resourceGroups': async ({ subscriptionId }) =>
      (await deployServices()).wizard.resourceGroups(subscriptionId),
    'wizard.storageAccounts': async ({ subscriptionId }) =>
      (await deployServices()).wizard.storageAccounts(subscriptionId),
    'wizard.vmSizes': async ({ subscriptionId, location, priority }) =>
      (await deployServices()).wizard.vmSizes(subscriptionId, location, priority),
    'wizard.sizePrices': async (input) => (await deployServices()).wizard.sizePrices(input),
    'wizard.generateSshKey': ({ poolName }) =>
      generateSshKey(poolName, options.sshDir ? { sshDir: options.sshDir } : {}),
    'wizard.readPublicKey': ({ text }) => readPublicKey(text),
    'wizard.importParameters': ({ text }) => importParameterFile(text),
    'wizard.publicAddress': async () => {
      const { cloud, tlsCa } = await session()
      const stand = cloud.name === 'Sandbox' && sandbox.current
      const found = await lookUpPublicAddress(
        httpsGet({ ca: tlsCa, timeoutMs: 10_000 }),
        stand ? `${stand.armEndpoint}/_sandbox/public-address` : publicAddressService,
      )
      return {
        ...found,
        source: stand ? 'the sandbox (a stand-in address)' : new URL(publicAddressService).host,
      }
    },
    'wizard.teamAccessDefault': async ({ subscriptionId, resourceGroup }) =>
      (await deployServices()).wizard.teamAccessDefault(subscriptionId, resourceGroup),
    'wizard.review': async ({ spec }) => (await deployServices()).wizard.review(spec),
    'deploy.preflight': async ({ spec }) => (await deployServices()).service.preflight(spec),
    'deploy.whatIf': async ({ spec }) => (await deployServices()).service.whatIf(spec),
    'deploy.acceptTerms': async ({ subscriptionId, publisher, offer, plan }) => ({
      accepted: await (
        await deployServices()
      ).service.acceptTerms(subscriptionId, {
        publisher,
        product: offer,
        name: plan,
      }),
    }),
    'deploy.start': async ({ spec }) => (await deployServices()).service.start(spec),
    'deploy.status': async (ref) => (await deployServices()).service.status(ref),
    'deploy.cancel': async (ref) => (await deployServices()).service.cancel(ref),
    'deploy.list': () => watchedDeployments(),
  } satisfies HandlersFor<'wizard'> & HandlersFor<'deploy'>
}
