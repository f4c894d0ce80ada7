import type { DeploymentOperation } from '@azure/arm-resourcesdeployments'
import { describe, expect, it } from 'vitest'
import { explainAzureError, failuresOf } from '../../../electron/azure/deploy/azure-errors'
import { actionMatches, allowedBy } from '../../../electron/azure/deploy/preflight'
import { durationSeconds, resourcesOf, stateOf } from '../../../electron/azure/deploy/progress'
import { typeAndName } from '../../../electron/azure/deploy/what-if'

describe('Azure errors explained', () => {
  it('says how much quota to request, from the numbers in Azure’s message', () => {
    const failure = explainAzureError(
      'OperationNotAllowed',
      'Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota. Additional details - Current Limit: 64, Current Usage: 8, Additional Required: 80, (Minimum) New Limit Required: 88.',
    )
    expect(failure.whatToDo).toContain('at least 88 vCPUs')
    expect(failure.code).toBe('OperationNotAllowed')
  })

  it("explains a failed instance setup script in words, from the script's own output", () => {
    const failed = explainAzureError(
      'VMExtensionProvisioningError',
      "VM has reported a failure when processing extension 'mount-share' (publisher 'Microsoft.Azure.Extensions' and type 'CustomScript'). Error message: 'Enable failed: failed to execute command: command terminated with exit status=1\n[stdout]\n\n[stderr]\nmount-share: share name is not valid'.",
    )
    expect(failed.whatToDo).toBe(
      `The instances' setup script 'mount-share' failed saying "share name is not valid". Correct that answer in the wizard and deploy again; the instances keep running, so you can also look at /var/log/azure on one of them.`,
    )
    const refused = explainAzureError(
      'VMExtensionProvisioningError',
      "VM has reported a failure when processing extension 'mount-share'. Error message: '[stderr]\nmount error(13): Permission denied'.",
    )
    expect(refused.whatToDo).toContain('the file share refused the storage key')
  })

  it('finds the real causes inside DeploymentFailed, including JSON in a message', () => {
    const failures = failuresOf({
      code: 'DeploymentFailed',
      message: 'At least one resource deployment operation failed.',
      details: [
        {
          code: 'Conflict',
          message: JSON.stringify({
            error: {
              code: 'StorageAccountAlreadyTaken',
              message: 'The storage account named x is already taken.',
            },
          }),
        },
      ],
    })
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ code: 'StorageAccountAlreadyTaken' })
    expect(failures[0]!.whatToDo).toContain('Choose another name')
  })

  it('names the role for AuthorizationFailed and hides tokens in messages', () => {
    const failure = explainAzureError('AuthorizationFailed', 'denied for Bearer eyJabc.def')
    expect(failure.whatToDo).toContain('Contributor')
    expect(failure.message).toBe('denied for Bearer [redacted]')
  })
})

describe('permissions', () => {
  it('matches action wildcards and honours notActions', () => {
    expect(actionMatches('*/read', 'Microsoft.Compute/virtualMachineScaleSets/read')).toBe(true)
    expect(actionMatches('*/read', 'Microsoft.Compute/virtualMachineScaleSets/write')).toBe(false)
    const contributor = [{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write'] }]
    expect(allowedBy(contributor, 'Microsoft.Resources/deployments/write')).toBe(true)
    expect(allowedBy(contributor, 'Microsoft.Authorization/roleAssignments/write')).toBe(false)
  })
})

describe('deployment progress', () => {
  it('reads ISO durations and ARM states', () => {
    expect(durationSeconds('PT1M30.5S')).toBe(90.5)
    expect(durationSeconds('P1DT2H')).toBe(93600)
    expect(durationSeconds(undefined)).toBe(0)
    expect(stateOf('Succeeded')).toBe('Succeeded')
    expect(stateOf('Creating')).toBe('Running')
    expect(stateOf('Canceling')).toBe('Canceling')
  })

  it('keeps the latest operation per resource and explains its failure', () => {
    const op = (
      state: string,
      time: string,
      error?: { code: string; message: string },
    ): DeploymentOperation => ({
      properties: {
        provisioningOperation: 'Create',
        provisioningState: state,
        timestamp: new Date(time),
        duration: 'PT12S',
        targetResource: {
          id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachineScaleSets/team',
          resourceType: 'Microsoft.Compute/virtualMachineScaleSets',
          resourceName: 'team',
        },
        ...(error ? { statusMessage: { status: 'Failed', error } } : {}),
      },
    })
    const resources = resourcesOf([
      op('Running', '2026-11-28T01:00:00Z'),
      op('Failed', '2026-11-28T01:00:12Z', { code: 'SkuNotAvailable', message: 'Not here.' }),
    ])
    expect(resources).toEqual([
      {
        type: 'Microsoft.Compute/virtualMachineScaleSets',
        name: 'team',
        state: 'Failed',
        elapsedSeconds: 12,
        failure: expect.objectContaining({
          code: 'SkuNotAvailable',
          resource: 'Microsoft.Compute/virtualMachineScaleSets team',
        }),
      },
    ])
  })

  it('splits a resource id into type and name', () => {
    expect(
      typeAndName(
        '/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a/fileServices/default/shares/n',
      ),
    ).toEqual({
      type: 'Microsoft.Storage/storageAccounts/fileServices/shares',
      name: 'a/default/n',
    })
  })
})
