import { poolDeploymentName, type PoolSpec } from '../../../../shared/pool-spec'
import { failuresOf, type AzureErrorBody } from '../azure-errors'
import type { ArmClients } from '../clients'
import { deploymentBody } from '../deployment-body'
import type { TemplateFiles } from '../template-files'
import { check, errorBody, missingRole, statusOf, type Check } from './check'

/*
 * Azure's own validation of the deployment with these answers (existing groups only).
 */

export async function validateTemplate(
  spec: PoolSpec,
  clients: ArmClients,
  files: TemplateFiles,
  updateIntervalInMs: number,
): Promise<Check> {
  const title = 'Azure validation'
  try {
    const body = await deploymentBody(spec, clients, files)
    const result = await clients.deployments.deployments.validate(
      spec.resourceGroup.name,
      poolDeploymentName(spec.poolName),
      body,
      { updateIntervalInMs },
    )
    const error = (result as { error?: AzureErrorBody }).error
    if (error) return validationProblem(title, error)
    return check('template', title, 'ok', 'Azure accepted the template with these answers.')
  } catch (error) {
    if (statusOf(error) === 403) return missingRole('template', title, 'validate deployments')
    const body = errorBody(error)
    if (body) return validationProblem(title, body)
    throw error
  }
}

function validationProblem(title: string, error: AzureErrorBody): Check {
  const failures = failuresOf(error)
  return check(
    'template',
    title,
    'problem',
    failures.map((f) => `${f.code}: ${f.message} — ${f.whatToDo}`).join('\n') ||
      'Azure refused the deployment.',
  )
}
