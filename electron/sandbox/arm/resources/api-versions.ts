import { ArmError } from '../../core/arm-error'
import type { SandboxRequest } from '../../core/http'

/**
 * Api-versions of Microsoft.Resources (resource groups, resources, deployments) the sandbox
 * answers: those @azure/arm-resources and @azure/arm-resourcesdeployments send (2025-04-01,
 * 2026-06-01) and the older ones az CLI and templates still use.
 */
export const resourcesApiVersions = [
  '2019-05-01',
  '2019-05-10',
  '2019-07-01',
  '2019-08-01',
  '2019-10-01',
  '2020-06-01',
  '2020-08-01',
  '2020-10-01',
  '2021-01-01',
  '2021-04-01',
  '2022-09-01',
  '2023-07-01',
  '2024-03-01',
  '2024-07-01',
  '2024-11-01',
  '2025-03-01',
  '2025-04-01',
  '2026-06-01',
]

export function checkResourcesApiVersion(req: SandboxRequest): string {
  const version = req.query('api-version')!
  if (!resourcesApiVersions.includes(version)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${resourcesApiVersions.join(',')}'. Please see https://aka.ms/api-version for more details.`,
    )
  }
  return version
}
