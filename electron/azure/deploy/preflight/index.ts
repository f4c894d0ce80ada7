import type { PreflightResult } from '../../../../shared/deploy'
import type { PoolSpec } from '../../../../shared/pool-spec'
import type { ArmClients } from '../clients'
import type { TemplateFiles } from '../template-files'
import { check } from './check'
import { checkPermissions } from './permissions'
import { checkResourceGroup } from './resource-group'
import { checkSizeAndQuota } from './size-and-quota'
import { checkStorage } from './storage-name'
import { checkTerms, type ImagePlan } from './terms'
import { validateTemplate } from './validation'
import { chooseKeyAccess, keyAccessCheck } from '../key-access'

export { errorBody } from './check'
export { actionMatches, allowedBy } from './permissions'
export { quotaRequestUrl } from './size-and-quota'
export { acceptTerms, termsPath, type ImagePlan } from './terms'

/**
 * Checks before Deploy, each answering ok, a warning or a problem with the fixes that solve
 * it: permissions, the resource group, the size in the region, quota, marketplace terms, the
 * storage account name, and Azure's own validation of the template with these answers.
 */

export interface PreflightOptions {
  /** The marketplace plan of the image, when it has one (the current DSVM images do not). */
  plan?: ImagePlan
  /** Random source for suggested names (tests make it predictable). */
  random?: () => number
  /** Poll interval of Azure's validation (long-running); default 2 s. */
  updateIntervalInMs?: number
}

export async function preflight(
  spec: PoolSpec,
  clients: ArmClients,
  files: TemplateFiles,
  options: PreflightOptions = {},
): Promise<PreflightResult> {
  const group = await checkResourceGroup(spec, clients)
  const [permissions, sizeAndQuota, terms, storage, keyAccess] = await Promise.all([
    checkPermissions(spec, clients, group.exists),
    checkSizeAndQuota(spec, clients),
    checkTerms(spec, clients, options.plan),
    checkStorage(spec, clients, options.random ?? Math.random),
    chooseKeyAccess(spec, clients),
  ])
  const checks = [
    permissions,
    group.check,
    ...sizeAndQuota,
    terms,
    storage,
    keyAccessCheck(spec, keyAccess),
  ]
  const blocked = checks.some((c) => c.status === 'problem')
  checks.push(
    blocked
      ? check(
          'template',
          'Azure validation',
          'skipped',
          'Azure validates the deployment once the problems above are solved.',
        )
      : group.exists
        ? await validateTemplate(spec, clients, files, options.updateIntervalInMs ?? 2000)
        : check(
            'template',
            'Azure validation',
            'skipped',
            'The resource group is new: Azure validates the deployment right after Deploy creates it.',
          ),
  )
  return { checks, ready: !checks.some((c) => c.status === 'problem') }
}
