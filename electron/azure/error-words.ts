import type { ErrorCode } from '../../shared/errors'

/*
 * Every Azure error code the app can meet, in words that say what to do. Azure's codes come from
 * Resource Manager and its providers (compute, network, storage, monitor, cost), the Azure Files
 * REST API and Entra; the SDKs add their own text ("Pagination failed with unexpected
 * statusCode 503") that nobody should have to read. A code not in the table gets the words of
 * its HTTP status class. Where Azure's own message names the value, limit or policy involved,
 * `quote` adds it after the words.
 */

export interface ErrorWords {
  code: ErrorCode
  words: string
  /** Azure's message names the exact value or limit: show it after the words. */
  quote?: true
}

const signInAgain: ErrorWords = {
  code: 'AuthRequired',
  words: 'Your sign-in has expired or is not valid for this directory. Sign in again to continue.',
}
const askForRole: ErrorWords = {
  code: 'Forbidden',
  words:
    'Your account does not have the role this needs. Ask an Owner of the subscription or resource group for the Contributor role there (the Team section says which role each action needs), then try again.',
  quote: true,
}
const refusedValue: ErrorWords = {
  code: 'Validation',
  words: 'Azure refused one of the values. Change the value its message names and try again.',
  quote: true,
}
const goneNow: ErrorWords = {
  code: 'NotFound',
  words:
    'It no longer exists in Azure: someone may have deleted it. Refresh the pools list; create it again if you still need it.',
}
const changedMeanwhile: ErrorWords = {
  code: 'Conflict',
  words:
    'Someone or something changed it at the same time. The view refreshes; look at it again and repeat your change if it is still needed.',
}
const busyNow: ErrorWords = {
  code: 'Conflict',
  words:
    'Another change to the same resource is still running. Wait a minute and try again; nothing was changed by this attempt.',
}
const azureTrouble: ErrorWords = {
  code: 'Transient',
  words:
    'Azure had a temporary problem. Nothing is lost: try again in a minute; if it keeps happening, check status.azure.com.',
}
function azureTroubleWith(what: string): ErrorWords {
  return { code: 'Transient', words: `${what} ${azureTrouble.words}` }
}
const throttled: ErrorWords = {
  code: 'Throttled',
  words:
    'Azure is asking this account to slow down for a moment. Wait a minute and try again; views that refresh by themselves catch up on their own.',
}
const quota: ErrorWords = {
  code: 'QuotaExceeded',
  words:
    'Your subscription’s quota is too small for this. Choose fewer instances or a smaller size, or request more quota in the Azure portal (Usage + quotas).',
  quote: true,
}
const shareKeyRefused: ErrorWords = {
  code: 'Forbidden',
  words:
    'The storage account refused the app’s key: it was probably rotated. Close and reopen the Files panel so the app reads the current key; if it keeps happening, ask a Manager of the pool for access.',
}
const appTooOld: ErrorWords = {
  code: 'Unknown',
  words:
    'Azure did not understand a request from this version of the app in this cloud. Update the app; if you are up to date, please report it.',
  quote: true,
}

export const azureErrorWords: Readonly<Record<string, ErrorWords>> = {
  // Signing in and permissions
  InvalidAuthenticationToken: signInAgain,
  InvalidAuthenticationTokenTenant: signInAgain,
  ExpiredAuthenticationToken: signInAgain,
  NoAuthenticationInformation: signInAgain,
  interaction_required: signInAgain,
  invalid_grant: signInAgain,
  consent_required: signInAgain,
  login_required: signInAgain,
  AuthorizationFailed: askForRole,
  LinkedAuthorizationFailed: askForRole,
  RBACAccessDenied: {
    code: 'Forbidden',
    words:
      'Your account cannot read this subscription’s costs. Ask an Owner for the Cost Management Reader role on the subscription or the pool’s resource group.',
  },
  AccountCostDisabled: {
    code: 'Forbidden',
    words:
      'Cost views are turned off for this billing account. Ask your billing administrator to allow account owners to view charges.',
  },
  IndirectCostDisabled: {
    code: 'Forbidden',
    words:
      'Your partner or enterprise agreement hides costs from subscription users. Ask your billing administrator to turn on cost views.',
  },
  RequestDisallowedByPolicy: {
    code: 'Forbidden',
    words:
      'An Azure Policy of your organisation forbids this. Its message names the policy: ask the policy’s owner for an exception, or change the answer it refuses.',
    quote: true,
  },
  ScopeLocked: {
    code: 'Forbidden',
    words:
      'A lock on the resource group or subscription stops changes. Ask its owner to remove the lock (Settings > Locks in the Azure portal), then try again.',
  },
  ReadOnlyDisabledSubscription: {
    code: 'Forbidden',
    words:
      'This subscription is disabled, so nothing can be changed in it. Ask its owner or billing administrator to re-enable it.',
  },
  MissingSubscriptionRegistration: {
    code: 'Forbidden',
    words:
      'The subscription has not registered a resource provider this pool needs. An Owner can register it (Subscription > Resource providers); then try again.',
    quote: true,
  },
  KeyBasedAuthenticationNotPermitted: {
    code: 'Forbidden',
    words:
      'This storage account does not allow access with keys. Ask its owner to allow shared key access, or choose a storage account that does.',
  },
  AuthenticationFailed: shareKeyRefused,
  AuthorizationPermissionMismatch: shareKeyRefused,
  AuthorizationResourceTypeMismatch: shareKeyRefused,
  AuthorizationServiceMismatch: shareKeyRefused,
  AuthorizationFailure: shareKeyRefused,
  InsufficientAccountPermissions: shareKeyRefused,
  ResourcePurchaseValidationFailed: {
    code: 'Forbidden',
    words:
      'The image’s marketplace terms are not accepted on this subscription. Accept them in the wizard’s pre-flight checks, then try again.',
  },
  MarketplacePurchaseEligibilityFailed: {
    code: 'Forbidden',
    words:
      'This subscription may not buy the image from the marketplace (its offer type does not allow it). Choose another subscription or ask your billing administrator.',
  },

  // Quotas, sizes and capacity
  QuotaExceeded: quota,
  PublicIPCountLimitReached: quota,
  SubnetIsFull: {
    code: 'QuotaExceeded',
    words:
      'The pool’s subnet has no free addresses for more instances. Keep the pool at its current size, or deploy it again with a larger address range.',
  },
  InboundNatPoolFrontendPortRangeSmallerThanRequestedPorts: {
    code: 'QuotaExceeded',
    words:
      'The load balancer has no SSH ports left for more instances. Keep the pool at its current size, or redeploy it with a larger maximum.',
  },
  SkuNotAvailable: {
    code: 'Forbidden',
    words:
      'This VM size is not offered to your subscription in this region. Choose another size or region in the wizard.',
    quote: true,
  },
  AllocationFailed: {
    code: 'Transient',
    words:
      'Azure has no capacity for this VM size in the region right now. Try again later, or choose another size or region.',
  },
  ZonalAllocationFailed: {
    code: 'Transient',
    words:
      'Azure has no capacity for this VM size in the zone right now. Try again later, or choose another size or region.',
  },
  OverconstrainedAllocationRequest: {
    code: 'Transient',
    words:
      'Azure cannot place this VM size with these constraints right now. Try again later, or choose another size.',
  },

  // Conflicts: someone else, or something still running
  Conflict: busyNow,
  AnotherOperationInProgress: busyNow,
  OperationNotAllowed: {
    code: 'Conflict',
    words: 'Azure does not allow this change in the resource’s current state.',
    quote: true,
  },
  DeploymentActive: {
    code: 'Conflict',
    words:
      'A deployment of this pool is still running. Wait for it to finish (its progress is shown in the app), or cancel it first.',
  },
  DeploymentCannotBeCancelled: {
    code: 'Conflict',
    words: 'The deployment has already finished, so there is nothing to cancel.',
  },
  ResourceGroupBeingDeleted: {
    code: 'Conflict',
    words: 'The resource group is being deleted. Wait until it is gone, or use another name.',
  },
  AccountBeingCreated: busyNow,
  PreconditionFailed: changedMeanwhile,
  ConditionNotMet: changedMeanwhile,
  ResourceAlreadyExists: {
    code: 'Conflict',
    words:
      'Something with that name is already there. Choose another name, or open the one that exists.',
  },
  AlreadyExists: {
    code: 'Conflict',
    words:
      'Something with that name is already there. Choose another name, or open the one that exists.',
  },
  ShareAlreadyExists: {
    code: 'Conflict',
    words:
      'A share with that name already exists in the storage account. Use it or choose another name.',
  },
  StorageAccountAlreadyTaken: {
    code: 'Conflict',
    words:
      'Storage account names are unique across all of Azure and this one is taken. Choose another name on the Storage step.',
  },
  StorageAccountAlreadyExists: {
    code: 'Conflict',
    words:
      'Storage account names are unique across all of Azure and this one is taken. Choose another name on the Storage step.',
  },
  DnsRecordInUse: {
    code: 'Conflict',
    words:
      'The pool’s DNS name is taken in this region. Choose another DNS label on the Access step.',
  },
  DirectoryNotEmpty: {
    code: 'Conflict',
    words:
      'The folder is not empty. Delete what it holds first, or delete the folder with its contents.',
  },
  SharingViolation: {
    code: 'Conflict',
    words: 'The file is open on an instance or a computer. Close it there (or wait) and try again.',
  },
  FileLockConflict: {
    code: 'Conflict',
    words:
      'The file is locked by an instance or a computer. Close it there (or wait) and try again.',
  },
  InUseSubnetCannotBeDeleted: busyNow,
  InUseNetworkSecurityGroupCannotBeDeleted: busyNow,
  LoadBalancerInUseByVirtualMachineScaleSet: busyNow,
  PublicIPAddressCannotBeDeleted: busyNow,
  SecurityRuleConflict: refusedValue,
  TargetResourceIdIsImmutable: refusedValue,

  // Gone
  ResourceNotFound: goneNow,
  NotFound: goneNow,
  TargetResourceNotFound: goneNow,
  ParentResourceNotFound: goneNow,
  ResourceGroupNotFound: {
    code: 'NotFound',
    words:
      'The resource group no longer exists. Refresh the pools list; in the wizard, choose another group or a new one.',
  },
  SubscriptionNotFound: {
    code: 'NotFound',
    words:
      'Your account can no longer see this subscription. Choose your subscriptions again in Settings, or ask its owner for access.',
  },
  DeploymentNotFound: goneNow,
  DeploymentOperationNotFound: goneNow,
  OperationNotFound: goneNow,
  StorageAccountNotFound: goneNow,
  ShareNotFound: {
    code: 'NotFound',
    words:
      'The pool’s file share no longer exists in its storage account. Ask a Manager of the pool to recreate it (Set up storage again).',
  },
  ParentNotFound: {
    code: 'NotFound',
    words: 'The folder was moved or deleted by someone else. Refresh the list and open it again.',
  },
  ShareBeingDeleted: goneNow,

  // Values Azure refused
  BadRequest: refusedValue,
  InvalidParameter: refusedValue,
  InvalidRequestContent: refusedValue,
  InvalidRequestFormat: refusedValue,
  InvalidRequestPropertyValue: refusedValue,
  InvalidTemplate: refusedValue,
  InvalidTemplateDeployment: refusedValue,
  InvalidDeploymentName: refusedValue,
  InvalidContentLink: refusedValue,
  InvalidResourceName: refusedValue,
  InvalidResourceGroup: refusedValue,
  InvalidResourceGroupLocation: refusedValue,
  InvalidResourceLocation: refusedValue,
  InvalidResourceReference: refusedValue,
  InvalidResourceType: refusedValue,
  InvalidDomainNameLabel: refusedValue,
  InvalidAddressPrefixFormat: refusedValue,
  InvalidPublicIpSku: refusedValue,
  InvalidTag: refusedValue,
  InvalidTagCount: refusedValue,
  InvalidTagNameCharacters: refusedValue,
  InvalidValuesForRequestParameters: refusedValue,
  InvalidFilterInQueryString: refusedValue,
  InvalidQueryParameterValue: refusedValue,
  InvalidHeaderValue: refusedValue,
  InvalidUri: refusedValue,
  InvalidRange: refusedValue,
  OutOfRangeInput: refusedValue,
  AccountNameInvalid: refusedValue,
  LocationRequired: refusedValue,
  LocationNotAvailableForResourceGroup: refusedValue,
  LocationNotAvailableForResourceType: refusedValue,
  NetcfgInvalidSubnet: refusedValue,
  NetcfgSubnetRangesOverlap: refusedValue,
  SecurityRuleInvalidPriority: refusedValue,
  SecurityRuleParameterContainsUnsupportedValue: refusedValue,
  StandardSkuPublicIPAddressesCannotBeDynamic: refusedValue,
  PropertyChangeNotAllowed: refusedValue,
  RequestBodyTooLarge: refusedValue,
  Md5Mismatch: {
    code: 'Transient',
    words: 'A piece of the file arrived damaged and was refused. Try the transfer again.',
  },
  MissingRequiredHeader: appTooOld,
  MissingApiVersionParameter: appTooOld,
  InvalidApiVersionParameter: appTooOld,
  NoRegisteredProviderFound: appTooOld,
  UnsupportedHttpVerb: appTooOld,
  MethodNotAllowed: appTooOld,
  UnsupportedRequestContent: appTooOld,
  ResourceTypeMismatch: appTooOld,

  // Deployments: the causes inside are explained one by one on the deploy screen
  DeploymentFailed: {
    code: 'Unknown',
    words: 'The deployment failed. The deploy screen lists each cause and what to do about it.',
  },
  ResourceDeploymentFailure: {
    code: 'Unknown',
    words: 'A resource of the pool could not be created. The deploy screen says which and why.',
  },
  DeploymentOutputEvaluationFailed: {
    code: 'Unknown',
    words:
      'The pool was created but its addresses could not be read. Refresh the pools list; the pool shows its addresses once Azure has them.',
  },
  VMExtensionProvisioningError: {
    code: 'Unknown',
    words:
      'An instance’s setup script failed. Its message says why (often the storage account or its key); fix that on the pool, then reimage the instance.',
    quote: true,
  },
  OperationCanceled: {
    code: 'Cancelled',
    words:
      'The operation was cancelled before it finished. Nothing more will change; start it again if you still need it.',
  },
  Canceled: {
    code: 'Cancelled',
    words:
      'The operation was cancelled before it finished. Nothing more will change; start it again if you still need it.',
  },

  // Team members: role assignments and the directory (Microsoft Graph)
  Authorization_RequestDenied: {
    code: 'Forbidden',
    words:
      'Your directory does not let your account read other people’s names here. Ask your IT administrator, or add the member by their exact email address.',
  },
  PrincipalNotFound: {
    code: 'NotFound',
    words:
      'That person is not in your directory yet (a new guest can take a minute to appear). Wait a minute and try again, or check the email address.',
  },
  RoleAssignmentExists: {
    code: 'Conflict',
    words: 'This person already has that role on the pool. Refresh the Team section to see it.',
  },
  RoleAssignmentNotFound: {
    code: 'NotFound',
    words: 'That role was already removed, perhaps by another Manager. Refresh the Team section.',
  },
  RoleAssignmentUpdateNotPermitted: {
    code: 'Conflict',
    words:
      'A role assignment cannot be changed in place. Remove the member’s role and add the new one; the Team section does both when you change a role.',
  },
  RoleDefinitionDoesNotExist: appTooOld,
  InvalidRoleAssignmentId: appTooOld,
  Request_BadRequest: refusedValue,
  Request_UnsupportedQuery: appTooOld,
  UnsupportedQuery: appTooOld,
  Request_MultipleObjectsWithSameKeyValue: {
    code: 'Conflict',
    words:
      'It already exists in your directory, perhaps made a moment ago by you or a teammate. Refresh, then try again only if it is still missing.',
  },
  Request_ResourceNotFound: {
    code: 'NotFound',
    words:
      'That person is no longer in your directory. Refresh the Team section; remove them if they left.',
  },

  // Managed identities and the rest of a pool's resources
  FailedIdentityOperation: azureTroubleWith('The pool’s managed identity could not be set up.'),
  InvalidIdentityValues: refusedValue,
  InvalidResourceNamespace: appTooOld,
  IPv4BasicSkuPublicIpCountLimitReached: {
    code: 'Validation',
    words:
      'Basic public IP addresses were retired on 30 September 2025. Deploy the pool again from the app, which uses a Standard address.',
  },

  // Azure having trouble, or asking the app to slow down
  TooManyRequests: throttled,
  SubscriptionRequestsThrottled: throttled,
  TenantRequestsThrottled: throttled,
  ServerBusy: throttled,
  InternalServerError: azureTrouble,
  InternalError: azureTrouble,
  InternalExecutionError: azureTrouble,
  ServiceUnavailable: azureTrouble,
  GatewayTimeout: azureTrouble,
  OperationTimedOut: azureTrouble,
  RetryableError: azureTrouble,
}

/** Words for an HTTP status without a known Azure code (the SDKs' own failures included). */
export function wordsForStatus(status: number): ErrorWords {
  if (status === 401) return signInAgain
  if (status === 403) return askForRole
  if (status === 404) return goneNow
  if (status === 409) return busyNow
  if (status === 412) return changedMeanwhile
  if (status === 429) return throttled
  if (status >= 500) return azureTrouble
  return refusedValue
}

/** The words for an Azure error code, or for its status when the code is not known. */
export function wordsFor(azureCode: string | undefined, status: number | undefined): ErrorWords {
  const known =
    azureCode && Object.hasOwn(azureErrorWords, azureCode) ? azureErrorWords[azureCode] : undefined
  if (known) return known
  // Nothing vouches for the text of an error nobody here has seen: the words alone.
  const { quote: _quote, ...words } = status !== undefined ? wordsForStatus(status) : azureTrouble
  return words
}
