import {
  ShareServiceClient,
  StorageSharedKeyCredential,
  type ShareClientOptions,
} from '@azure/storage-file-share'
import type { TokenCredential } from '@azure/core-auth'
import type { Sandbox } from '../../../../sandbox'

/**
 * @azure/storage-file-share has no `tlsOptions` in its typed options, but it hands unknown
 * pipeline options on to @azure/core-rest-pipeline, whose tlsPolicy applies them: this is
 * how a client trusts the sandbox's certificate without NODE_EXTRA_CA_CERTS.
 */
export function sandboxClientOptions(
  sandbox: Sandbox,
  options: ShareClientOptions = {},
): ShareClientOptions & { tlsOptions: { ca: string } } {
  return {
    retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 200 },
    ...options,
    tlsOptions: { ca: sandbox.caCert },
  }
}

export function shareServiceClient(
  sandbox: Sandbox,
  account: string,
  credential: StorageSharedKeyCredential | TokenCredential,
  options: ShareClientOptions = {},
): ShareServiceClient {
  return new ShareServiceClient(
    `${sandbox.filesEndpoint}/${account}`,
    credential,
    sandboxClientOptions(sandbox, options),
  )
}

export const sharedKey = (account: string, key: string) =>
  new StorageSharedKeyCredential(account, key)
