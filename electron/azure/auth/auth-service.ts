import type { AccessToken, GetTokenOptions } from '@azure/core-auth'
import type {
  AccountInfo,
  AuthenticationResult,
  DeviceCodeRequest,
  PublicClientApplication,
} from '@azure/msal-node'
import type { Account, DeviceCode } from '../../../shared/api'
import type { Cloud } from '../../../shared/clouds'
import { AppError } from '../../../shared/errors'
import { armScope } from './clouds'
import { isInteractionRequired, signInError } from './errors'
import type { RenewableCredential } from './token-renewal'

export interface AuthServiceOptions {
  cloud: Cloud
  msal: PublicClientApplication
  /** Opens the sign-in page in the system browser. */
  openBrowser: (url: string) => Promise<void>
  /** A device code to show while a device-code sign-in waits (event auth.deviceCode). */
  onDeviceCode?: ((code: DeviceCode) => void) | undefined
  /** The account list changed (event auth.accountsChanged). */
  onAccountsChanged?: ((accounts: Account[]) => void) | undefined
  /** Set when tokens cannot be stored encrypted (see EncryptedCachePlugin.warning). */
  storageWarning?: string | undefined
}

const pageStyle =
  'font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;line-height:1.5'
const successPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Signed in</title><body style="${pageStyle}"><h1>You are signed in</h1><p>You can close this tab and return to DSVM Pool Manager.</p></body></html>`
const errorPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign-in did not finish</title><body style="${pageStyle}"><h1>Sign-in did not finish</h1><p>Return to DSVM Pool Manager and try again.</p></body></html>`

/** One sign-in in progress, and how to stop it. */
class SignInAttempt {
  cancelled = false
  private authorizeUrl: URL | undefined
  private deviceRequest: DeviceCodeRequest | undefined

  browserOpened(url: string): void {
    this.authorizeUrl = new URL(url)
  }

  polling(request: DeviceCodeRequest): void {
    this.deviceRequest = request
  }

  /**
   * Device code: MSAL stops at its next poll. Browser: MSAL waits on its loopback server
   * for the authority's answer, so answer it ourselves with the OAuth "access_denied"
   * response for this request's state, as the authority does when a person cancels.
   */
  async cancel(): Promise<void> {
    this.cancelled = true
    if (this.deviceRequest) this.deviceRequest.cancel = true
    const redirectUri = this.authorizeUrl?.searchParams.get('redirect_uri')
    const state = this.authorizeUrl?.searchParams.get('state')
    if (!redirectUri || !state) return
    const loopback = new URL(redirectUri)
    if (loopback.hostname === 'localhost') loopback.hostname = '127.0.0.1'
    await fetch(loopback, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        error: 'access_denied',
        error_description: 'Sign-in was cancelled in the app.',
        state,
      }),
    }).catch(() => undefined)
  }
}

/**
 * Sign-in, accounts and tokens for one cloud: MSAL's public client with the system browser
 * (loopback redirect) or device code, several accounts, sign-out per account and silent
 * renewal. Methods match the auth.* calls of shared/api.ts.
 */
/** The resource of Microsoft Entra ID login for Linux VMs (SSH certificates). */
export const sshCertificateScope = 'https://pas.windows.net/CheckMyAccess/Linux/.default'

export class AuthService {
  private current: SignInAttempt | undefined
  private readonly needsSignIn = new Set<string>()
  private readonly renewals = new Map<string, Promise<AccessToken>>()

  constructor(private readonly options: AuthServiceOptions) {}

  get cloud(): Cloud {
    return this.options.cloud
  }

  get storageWarning(): string | undefined {
    return this.options.storageWarning
  }

  async accounts(): Promise<Account[]> {
    return homeAccounts(await this.msalAccounts()).map((a) => this.toAccount(a))
  }

  /**
   * Signs a person in. With `tenantId`, the sign-in goes through that directory, which is
   * how a person satisfies its own requirements (MFA, consent) for a tenant the subscription
   * picker reported a problem with.
   */
  async signIn(input: {
    method: 'browser' | 'deviceCode'
    tenantId?: string | undefined
  }): Promise<Account> {
    await this.current?.cancel()
    const attempt = new SignInAttempt()
    this.current = attempt
    try {
      const result =
        input.method === 'browser'
          ? await this.signInWithBrowser(attempt, input.tenantId)
          : await this.signInWithDeviceCode(attempt, input.tenantId)
      if (!result.account)
        throw new AppError('Unknown', 'Sign-in finished without an account. Try again.')
      const id = result.account.homeAccountId
      this.needsSignIn.delete(id)
      await this.announceAccounts()
      // After a sign-in through another tenant the result names that tenant; report the home one.
      const home = await this.options.msal.getTokenCache().getAccountByHomeId(id)
      return this.toAccount(home ?? result.account)
    } catch (error) {
      if (attempt.cancelled) throw new AppError('Cancelled', 'Sign-in was cancelled.')
      throw signInError(error)
    } finally {
      if (this.current === attempt) this.current = undefined
    }
  }

  async cancelSignIn(): Promise<{ cancelled: boolean }> {
    const attempt = this.current
    if (!attempt) return { cancelled: false }
    this.current = undefined
    await attempt.cancel()
    return { cancelled: true }
  }

  async signOut(input: { accountId: string }): Promise<{ signedOut: boolean }> {
    const cache = this.options.msal.getTokenCache()
    const account = await cache.getAccountByHomeId(input.accountId)
    if (!account) return { signedOut: false }
    await cache.removeAccount(account)
    this.needsSignIn.delete(input.accountId)
    await this.announceAccounts()
    return { signedOut: true }
  }

  /**
   * An access token for a signed-in account, silently (cache, then refresh token). For a
   * tenant other than the account's home tenant, pass its id. InteractionRequired becomes
   * AppError 'AuthRequired' ("Sign in again ..."); at the home tenant the account is then
   * shown as signed out.
   */
  async getToken(
    accountId: string,
    scopes: string[],
    options: {
      tenantId?: string | undefined
      claims?: string | undefined
      /** A new token from the refresh token, not the cached one (Azure refused that). */
      forceRefresh?: boolean
    } = {},
  ): Promise<AccessToken> {
    const account = await this.options.msal.getTokenCache().getAccountByHomeId(accountId)
    if (!account)
      throw new AppError('AuthRequired', 'That account is no longer signed in. Sign in again.')
    const tenantId = options.tenantId ?? account.tenantId
    const atHome = tenantId === account.tenantId
    try {
      const result = await this.options.msal.acquireTokenSilent({
        // MSAL looks up cached tokens by the account's tenant: name the tenant wanted.
        account: { ...account, tenantId },
        scopes,
        authority: `${this.cloud.authorityHost}/${tenantId}`,
        ...(options.claims ? { claims: options.claims } : {}),
        ...(options.forceRefresh ? { forceRefresh: true } : {}),
      })
      if (atHome && this.needsSignIn.delete(accountId)) await this.announceAccounts()
      return {
        token: result.accessToken,
        expiresOnTimestamp: result.expiresOn!.getTime(),
        tokenType: 'Bearer',
      }
    } catch (error) {
      if (isInteractionRequired(error) && atHome && !this.needsSignIn.has(accountId)) {
        this.needsSignIn.add(accountId)
        await this.announceAccounts()
      }
      throw signInError(error, account.username)
    }
  }

  /**
   * An OpenSSH user certificate for the account's key (Entra ID login on Linux VMs): a token
   * request with token_type=ssh-cert and the public key as a JWK in req_cnf, through MSAL's
   * refresh token. Returns the certificate blob as base64 (what follows the key type in
   * -cert.pub).
   */
  async sshCertificate(
    accountId: string,
    key: { jwk: string },
    tenantId?: string,
    forceRefresh = false,
  ): Promise<string> {
    const account = await this.options.msal.getTokenCache().getAccountByHomeId(accountId)
    if (!account)
      throw new AppError('AuthRequired', 'That account is no longer signed in. Sign in again.')
    const tenant = tenantId ?? account.tenantId
    try {
      const result = await this.options.msal.acquireTokenSilent({
        account: { ...account, tenantId: tenant },
        scopes: [sshCertificateScope],
        authority: `${this.cloud.authorityHost}/${tenant}`,
        // msal-node sends every request as Bearer (its sshJwk/sshKid are for the browser and
        // broker builds), so the ssh-cert parameters go in the token request body as Entra
        // reads them, as the Azure CLI's MSAL does. The answer is not cached as a Bearer
        // token; SshCertificates keeps the certificate on disk instead.
        extraParameters: { token_type: 'ssh-cert', req_cnf: key.jwk },
        forceRefresh,
      })
      return result.accessToken
    } catch (error) {
      throw signInError(error, account.username)
    }
  }

  /**
   * A token in place of one Azure refused while MSAL still holds it as valid (clock skew, a
   * revoked session): the cached one if another request already renewed it, else a new one
   * from the refresh token. Requests refused at once share one renewal.
   */
  async renewToken(
    accountId: string,
    scopes: string[],
    refused: string,
    tenantId?: string,
  ): Promise<AccessToken> {
    const key = [accountId, tenantId ?? '', ...scopes].join('|')
    const running = this.renewals.get(key)
    if (running) return running
    const renewal = (async () => {
      const held = await this.getToken(accountId, scopes, { tenantId })
      if (held.token !== refused) return held
      return this.getToken(accountId, scopes, { tenantId, forceRefresh: true })
    })().finally(() => this.renewals.delete(key))
    this.renewals.set(key, renewal)
    return renewal
  }

  /**
   * A TokenCredential for the Azure SDKs, acting as one account in one tenant; it can renew
   * a token Azure refused (see token-renewal.ts).
   */
  credential(accountId: string, tenantId?: string): RenewableCredential {
    return {
      getToken: (scopes: string | string[], options?: GetTokenOptions) =>
        this.getToken(accountId, Array.isArray(scopes) ? scopes : [scopes], {
          tenantId: options?.tenantId ?? tenantId,
          claims: options?.claims,
        }),
      renewToken: (scopes, refused) => this.renewToken(accountId, scopes, refused, tenantId),
    }
  }

  private authority(tenantId: string | undefined): { authority?: string } {
    return tenantId ? { authority: `${this.cloud.authorityHost}/${tenantId}` } : {}
  }

  private async signInWithBrowser(
    attempt: SignInAttempt,
    tenantId: string | undefined,
  ): Promise<AuthenticationResult> {
    return this.options.msal.acquireTokenInteractive({
      scopes: [armScope(this.cloud)],
      ...this.authority(tenantId),
      prompt: 'select_account',
      successTemplate: successPage,
      errorTemplate: errorPage,
      openBrowser: async (url) => {
        attempt.browserOpened(url)
        if (attempt.cancelled) throw new AppError('Cancelled', 'Sign-in was cancelled.')
        await this.options.openBrowser(url)
      },
    })
  }

  private async signInWithDeviceCode(
    attempt: SignInAttempt,
    tenantId: string | undefined,
  ): Promise<AuthenticationResult> {
    const request: DeviceCodeRequest = {
      scopes: [armScope(this.cloud)],
      ...this.authority(tenantId),
      // MSAL calls back even when the device code request failed; its polling then reports why.
      deviceCodeCallback: (response) =>
        response.userCode &&
        this.options.onDeviceCode?.({
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          message: response.message,
          expiresOn: new Date(Date.now() + response.expiresIn * 1000).toISOString(),
        }),
    }
    attempt.polling(request)
    const result = await this.options.msal.acquireTokenByDeviceCode(request)
    if (!result) throw new AppError('Cancelled', 'Sign-in was cancelled.')
    return result
  }

  private async msalAccounts(): Promise<AccountInfo[]> {
    const cache = this.options.msal.getTokenCache()
    const all = await cache.getAllAccounts()
    if (this.cloud.name !== 'Sandbox') return all
    // A sandbox listens on a new port each run: accounts of an earlier run can never renew.
    const host = new URL(this.cloud.authorityHost).host
    const stale = all.filter((a) => a.environment !== host)
    for (const account of stale) await cache.removeAccount(account)
    return all.filter((a) => a.environment === host)
  }

  private toAccount(account: AccountInfo): Account {
    return {
      id: account.homeAccountId,
      username: account.username,
      name: account.name || account.username,
      tenantId: account.tenantId,
      cloud: this.cloud.name,
      signedIn: !this.needsSignIn.has(account.homeAccountId),
    }
  }

  private async announceAccounts(): Promise<void> {
    if (this.options.onAccountsChanged) this.options.onAccountsChanged(await this.accounts())
  }
}

/**
 * One entry per person: MSAL can list an account once per tenant profile (same
 * homeAccountId); the home tenant's entry names the person best.
 */
export function homeAccounts(accounts: AccountInfo[]): AccountInfo[] {
  const byId = new Map<string, AccountInfo>()
  for (const account of accounts) {
    const kept = byId.get(account.homeAccountId)
    const isHome = account.homeAccountId.endsWith(`.${account.tenantId}`)
    if (!kept || isHome) byId.set(account.homeAccountId, account)
  }
  return [...byId.values()]
}
