import type { AccessToken, TokenCredential } from '@azure/core-auth'
import {
  bearerTokenAuthenticationPolicy,
  bearerTokenAuthenticationPolicyName,
  type Pipeline,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline'

/*
 * Azure may refuse an access token that MSAL still holds as valid: clock skew, a session
 * revoked by an admin, Continuous Access Evaluation. It answers 401 with a Bearer challenge,
 * error="invalid_token" (ARM: ExpiredAuthenticationToken, InvalidAuthenticationToken). The
 * SDK's bearer policy renews a token only for a CAE claims challenge or when the token's own
 * expiry comes near, so every request would keep failing. Its `challengeCallbacks` are the
 * place for other challenges: this one asks MSAL for a new token (refresh token, not cache)
 * and sends the request once more.
 */

/** A credential that can get a new token when Azure refused the one it gave. */
export interface RenewableCredential extends TokenCredential {
  /**
   * A token other than `refused`: the one MSAL holds if another request already renewed
   * it, else a new one from the refresh token. Throws AppError 'AuthRequired' (words that
   * say to sign in again) when the sign-in itself is no longer good.
   */
  renewToken(scopes: string[], refused: string): Promise<AccessToken>
}

export function isRenewable(credential: TokenCredential): credential is RenewableCredential {
  return typeof (credential as Partial<RenewableCredential>).renewToken === 'function'
}

/** True for a Bearer challenge that refuses the token itself (not a claims challenge). */
export function refusesToken(challenge: string | undefined): boolean {
  if (!challenge || !/^\s*Bearer\b/i.test(challenge)) return false
  const error = /\berror="?([^",\s]+)"?/i.exec(challenge)?.[1]
  // insufficient_claims (CAE) is answered by the SDK's own policy before this one is asked.
  return error?.toLowerCase() === 'invalid_token'
}

const renewAgainAfterMs = 60_000

const bearer = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '')?.[1]

/**
 * The SDK's bearer token policy, with a renewal on a refused token. Requests after a renewal
 * carry the renewed token (the SDK's own token cache would send the refused one until it
 * comes near its expiry).
 */
export function renewingBearerTokenPolicy(
  credential: TokenCredential,
  scopes: string | string[],
): PipelinePolicy {
  let renewed: AccessToken | undefined
  let renewedAt = 0
  const newest = (a: AccessToken | null | undefined) =>
    renewed && (!a || renewed.expiresOnTimestamp > a.expiresOnTimestamp) ? renewed : a
  return bearerTokenAuthenticationPolicy({
    credential,
    scopes,
    challengeCallbacks: {
      async authorizeRequest({ scopes: wanted, request, getAccessToken }) {
        const token = newest(
          await getAccessToken(wanted, {
            abortSignal: request.abortSignal,
            tracingOptions: request.tracingOptions,
            enableCae: true,
          }),
        )
        if (token) request.headers.set('Authorization', `Bearer ${token.token}`)
      },
      async authorizeRequestOnChallenge({ scopes: wanted, request, response }) {
        if (!isRenewable(credential)) return false
        if (!refusesToken(response.headers.get('WWW-Authenticate'))) return false
        const refused = bearer(request.headers.get('Authorization')) ?? ''
        // A token renewed moments ago and refused again will not do better renewed again:
        // the answer goes back as it is (at most one token request a minute per client).
        if (renewed?.token === refused && Date.now() - renewedAt < renewAgainAfterMs) return false
        // Sent with a token older than one renewed meanwhile: the renewed one will do.
        if (!renewed || renewed.token === refused || renewed.expiresOnTimestamp <= Date.now()) {
          renewed = await credential.renewToken(wanted, refused)
          renewedAt = Date.now()
        }
        if (renewed.token === refused) return false
        request.headers.set('Authorization', `Bearer ${renewed.token}`)
        return true
      },
    },
  })
}

/**
 * Gives an Azure SDK client the renewing bearer policy in place of its own (as the
 * generated clients themselves swap in theirs). Returns the client.
 */
export function renewTokensOf<T extends { pipeline: Pipeline }>(
  client: T,
  credential: TokenCredential,
  scopes: string | string[],
): T {
  client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName })
  client.pipeline.addPolicy(renewingBearerTokenPolicy(credential, scopes))
  return client
}
