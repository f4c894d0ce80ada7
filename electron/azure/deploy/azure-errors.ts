import type { Failure } from '../../../shared/deploy'

/**
 * Azure's deployment errors (code + message) translated into what the person should do.
 * The code and Azure's own message are kept: they name the limit, size or role involved.
 */

interface Rule {
  matches: (code: string, message: string) => boolean
  whatToDo: (code: string, message: string) => string
}

const roleAdvice =
  'Ask an Owner of the subscription (or of the resource group) to give your account the Contributor role there, then deploy again.'

const rules: Rule[] = [
  {
    matches: (code, message) =>
      (code === 'OperationNotAllowed' || code === 'QuotaExceeded') && /quota/i.test(message),
    whatToDo: (_code, message) => {
      const needed = /New Limit Required: (\d+)/.exec(message)?.[1]
      return `Your subscription's vCPU quota in this region is too small. Request a quota increase${needed ? ` to at least ${needed} vCPUs` : ''} in the Azure portal (Usage + quotas), or choose fewer instances or a smaller size.`
    },
  },
  {
    matches: (code) =>
      code === 'SkuNotAvailable' || code === 'ZonalAllocationFailed' || code === 'AllocationFailed',
    whatToDo: () =>
      'This VM size is not available in the region right now. Choose another size or another region and deploy again.',
  },
  {
    matches: (code) =>
      code === 'ResourcePurchaseValidationFailed' ||
      code === 'MarketplacePurchaseEligibilityFailed',
    whatToDo: () =>
      "The image's marketplace terms are not accepted on this subscription. Accept them in the pre-flight checks, then deploy again.",
  },
  {
    matches: (code) =>
      code === 'StorageAccountAlreadyTaken' ||
      code === 'StorageAccountAlreadyExists' ||
      code === 'AccountNameInvalid',
    whatToDo: () =>
      'Storage account names are unique across all of Azure and this one is taken. Choose another name on the Storage step.',
  },
  {
    matches: (code) =>
      code === 'AuthorizationFailed' || code === 'LinkedAuthorizationFailed' || code === '403',
    whatToDo: () => roleAdvice,
  },
  {
    // An instance's setup script (the share mount) failed; Azure's message carries its output.
    matches: (code) =>
      code === 'VMExtensionProvisioningError' || code === 'VMExtensionHandlerNonTransientError',
    whatToDo: (_code, message) => {
      const script = /processing extension '([^']+)'/.exec(message)?.[1]
      const said = /mount-share: ([^\n'\\]+)/.exec(message)?.[1]
      const step = script
        ? `The instances' setup script '${script}' failed`
        : "An instance's setup script failed"
      if (/Permission denied|error\(13\)/.test(message))
        return `${step}: the file share refused the storage key. Check the storage account name and key on the Storage step (a rotated key must be entered again), then deploy again.`
      if (/No such file or directory|error\(2\)/.test(message))
        return `${step}: the storage account or file share does not exist. Check their names on the Storage step, then deploy again.`
      return `${step}${said ? ` saying "${said.trim()}"` : ''}. Correct that answer in the wizard and deploy again; the instances keep running, so you can also look at /var/log/azure on one of them.`
    },
  },
  {
    matches: (code) => code === 'RequestDisallowedByPolicy',
    whatToDo: () =>
      "An Azure Policy of your organisation forbids part of this pool. Azure's message names the policy: ask its owner for an exception, or change the answer it refuses.",
  },
  {
    matches: (code) => code === 'ResourceGroupNotFound',
    whatToDo: () =>
      'The resource group no longer exists. Go back to Basics and choose another group or a new one.',
  },
  {
    matches: (code) => code === 'ResourceGroupBeingDeleted',
    whatToDo: () =>
      'The resource group is being deleted. Wait until it is gone, or use another name.',
  },
  {
    matches: (code) => code === 'DeploymentActive',
    whatToDo: () =>
      'A deployment of this pool is still running. Wait for it to finish (its progress is shown in the app), or cancel it first.',
  },
  {
    matches: (code) => code === 'InvalidTemplate' || code === 'InvalidTemplateDeployment',
    whatToDo: () =>
      "Azure refused the template with these answers. Azure's message names the value; correct it in the wizard and try again.",
  },
  {
    matches: (code) => code === 'InvalidParameter' || code === 'BadRequest',
    whatToDo: () =>
      "Azure refused one of the values. Azure's message names it; change that answer in the wizard and deploy again.",
  },
  {
    matches: (code) => code === 'Conflict' || code === 'AnotherOperationInProgress',
    whatToDo: () =>
      'Another change to the same resource was running. Wait a minute and deploy again; the deployment picks up where it stopped.',
  },
  {
    matches: (code) => code === 'Canceled' || code === 'DeploymentCanceled',
    whatToDo: () =>
      'The deployment was cancelled. Resources created so far stay in the group; deploy again to finish the pool, or delete the group.',
  },
  {
    matches: (code) => /^(InternalServerError|ServiceUnavailable|GatewayTimeout|5\d\d)$/.test(code),
    whatToDo: () => 'Azure had a temporary problem. Deploy again in a few minutes.',
  },
]

export function explainAzureError(code: string, message: string, resource?: string): Failure {
  const rule = rules.find((r) => r.matches(code, message))
  return {
    code,
    message: cleanMessage(message),
    whatToDo: rule
      ? rule.whatToDo(code, message)
      : "Read Azure's message above, correct what it names in the wizard, and deploy again.",
    ...(resource ? { resource } : {}),
  }
}

export interface AzureErrorBody {
  code?: string
  message?: string
  details?: AzureErrorBody[]
}

/**
 * The failures inside an Azure error, innermost first: DeploymentFailed wraps the real causes
 * in `details` (sometimes as JSON inside a message), which are what the person can act on.
 */
export function failuresOf(error: AzureErrorBody, resource?: string): Failure[] {
  const inner = (error.details ?? []).flatMap((d) => failuresOf(d, resource))
  if (inner.length > 0) return inner
  const code = error.code ?? 'Unknown'
  const message = error.message ?? ''
  const nested = parseNested(message)
  if (nested) return failuresOf(nested, resource)
  if (code === 'DeploymentFailed' && !message) return []
  return [explainAzureError(code, message, resource)]
}

function parseNested(message: string): AzureErrorBody | undefined {
  if (!message.trimStart().startsWith('{')) return undefined
  try {
    const parsed = JSON.parse(message) as { error?: AzureErrorBody } & AzureErrorBody
    return parsed.error ?? (parsed.code ? parsed : undefined)
  } catch {
    return undefined
  }
}

/** Azure messages may carry a bearer token or a key only by accident: never show one. */
function cleanMessage(message: string): string {
  return message
    .replace(/Bearer\s+[\w.-]+/gi, 'Bearer [redacted]')
    .replace(/(AccountKey|sig)=[^;&\s]+/gi, '$1=[redacted]')
    .slice(0, 2000)
}
