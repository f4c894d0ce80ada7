import { toAppError } from '../../ipc/errors'
import type {
  Region,
  ResourceGroupInfo,
  SizePrice,
  StorageAccountInfo,
  VmSizeInfo,
} from '../../../shared/deploy'
import { azCommands } from '../../../shared/az-commands'
import {
  exportParameterFile,
  maskSecrets,
  toParameterFile,
  type ParameterFile,
} from '../../../shared/parameter-file'
import { poolDeploymentName, type PoolSpec } from '../../../shared/pool-spec'
import type { ArmContext } from '../arm-context'
import { selectVmMeter, vmPriceQuery } from '../prices/meters'
import type { RetailPricesClient } from '../prices/retail-prices-client'
import { listRegions, listResourceGroups, listStorageAccounts, listVmSizes } from './catalog'
import { armClients } from './clients'
import { teamAccessDefault } from './key-access'
import { GraphClient } from '../team/graph-client'
import { mayRegisterApps } from '../team/jupyterhub-app'
import type { TemplateFiles } from './template-files'
import { quotaRequestUrl } from './preflight/size-and-quota'

export { DeployService, type DeployServiceOptions } from './deploy-service'
export { explainAzureError, failuresOf } from './azure-errors'
export { findResourcesDir, templateFiles, type TemplateFiles } from './template-files'
export type { ImagePlan } from './preflight'

/**
 * What the wizard asks main while a person answers: the choices of a subscription and region,
 * prices per size, and the Review step's parameter file and az commands.
 */
export class WizardService {
  constructor(
    private readonly options: {
      contextFor(subscriptionId: string): Promise<ArmContext>
      files: TemplateFiles
      prices(): Promise<RetailPricesClient>
    },
  ) {}

  private async clients(subscriptionId: string) {
    return armClients(await this.options.contextFor(subscriptionId))
  }

  /** How teammates sign in by default, from the person's rights (see key-access.ts). */
  async teamAccessDefault(
    subscriptionId: string,
    resourceGroup: string,
  ): Promise<{ choice: 'entra' | 'poolAccounts'; reason: string }> {
    const clients = await this.clients(subscriptionId)
    const { cloud, credential, tlsCa } = clients.context
    return teamAccessDefault(clients, resourceGroup, () =>
      mayRegisterApps(new GraphClient(cloud, credential, tlsCa)),
    )
  }

  async regions(subscriptionId: string): Promise<Region[]> {
    return listRegions(await this.clients(subscriptionId))
  }

  async resourceGroups(subscriptionId: string): Promise<ResourceGroupInfo[]> {
    return listResourceGroups(await this.clients(subscriptionId))
  }

  async storageAccounts(subscriptionId: string): Promise<StorageAccountInfo[]> {
    return listStorageAccounts(await this.clients(subscriptionId))
  }

  async vmSizes(
    subscriptionId: string,
    location: string,
    priority: 'Regular' | 'Spot',
  ): Promise<VmSizeInfo[]> {
    const clients = await this.clients(subscriptionId)
    const requestUrl = quotaRequestUrl(clients.context.cloud.portalUrl)
    return (await listVmSizes(clients, location, priority)).map((size) =>
      size.quota ? { ...size, quota: { ...size.quota, requestUrl } } : size,
    )
  }

  /** Hourly price of one instance of each size (one cached Retail Prices query per size). */
  async sizePrices(input: {
    location: string
    osType: 'Linux' | 'Windows'
    priority: 'Regular' | 'Spot'
    sizes: string[]
    currency?: string
  }): Promise<SizePrice[]> {
    const client = await this.options.prices()
    const currency = input.currency ?? 'USD'
    const one = async (size: string): Promise<SizePrice> => {
      const want = {
        region: input.location,
        vmSize: size,
        os: input.osType,
        priority: input.priority,
      }
      try {
        const answer = await client.query(vmPriceQuery(want), currency)
        const match = selectVmMeter(answer.items, want)
        return 'meter' in match
          ? { name: size, perHour: match.meter.retailPrice, currency: answer.currency }
          : {
              name: size,
              currency,
              problem: `No ${match.problem.kind === 'none' ? '' : 'single '}price for ${match.problem.wanted}`,
            }
      } catch (error) {
        return { name: size, currency, problem: toAppError(error).message }
      }
    }
    const results: SizePrice[] = []
    // A few at a time: the price list is a public API with its own limits.
    for (let i = 0; i < input.sizes.length; i += 6)
      results.push(...(await Promise.all(input.sizes.slice(i, i + 6).map(one))))
    return results
  }

  /** The Review step: the parameter file (secrets masked), its export, and the az commands. */
  review(spec: PoolSpec): {
    deploymentName: string
    parameterFile: Record<string, unknown>
    exportFile: Record<string, unknown>
    azCommands: string[]
  } {
    const mountScript = this.options.files.mountScript(spec.osType)
    const deploymentName = poolDeploymentName(spec.poolName)
    const inputs = {
      mountScript,
      ...(spec.teamAccess === 'poolAccounts' && spec.osType === 'Linux'
        ? { poolAccounts: { script: this.options.files.accountsScript(), accounts: [] } }
        : {}),
    }
    return {
      deploymentName,
      parameterFile: asRecord(maskSecrets(toParameterFile(spec, inputs))),
      exportFile: asRecord(exportParameterFile(spec, inputs)),
      azCommands: azCommands(spec, { deploymentName }),
    }
  }
}

const asRecord = (file: ParameterFile) => file as unknown as Record<string, unknown>
