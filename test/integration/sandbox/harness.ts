import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth'
import {
  LogLevel,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
} from '@azure/msal-node'
import { TrustingNetworkClient } from '../../../electron/azure/auth/network-client'
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox'

/**
 * A sandbox for integration tests, with credentials obtained the way the app obtains them:
 * real @azure/msal-node, interactive sign-in with PKCE and the loopback redirect, where a
 * scripted "browser" loads the sandbox's sign-in page and clicks the user's button.
 */
export interface TestSandbox {
  sandbox: Sandbox
  /**
   * A TokenCredential for a seeded user (default ada@contoso.example); one per user. After
   * `sandbox.faults.expireTokens()` it fetches fresh tokens, while SDK clients that already
   * hold a token keep sending the expired one (and get 401 ExpiredAuthenticationToken).
   */
  credential(username?: string): TokenCredential
  /** An MSAL public client set up for the sandbox (own, empty in-memory cache). */
  msalClient(): PublicClientApplication
  close(): Promise<void>
}

export const defaultUser = 'ada@contoso.example'

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox(options)
  const credentials = new Map<string, SandboxUserCredential>()
  sandbox.faults.on('expireTokens', () => {
    for (const credential of credentials.values()) credential.renewNextTime()
  })
  return {
    sandbox,
    credential(username = defaultUser) {
      let credential = credentials.get(username)
      if (!credential) {
        credential = new SandboxUserCredential(sandbox, username)
        credentials.set(username, credential)
      }
      return credential
    },
    msalClient: () => sandboxMsalClient(sandbox),
    close: () => sandbox.close(),
  }
}

/** MSAL configured as the app configures it for the sandbox cloud. */
export function sandboxMsalClient(
  sandbox: Sandbox,
  authorityTenant = 'organizations',
): PublicClientApplication {
  const host = new URL(sandbox.authorityHost).host
  return new PublicClientApplication({
    auth: {
      clientId: sandbox.clientId,
      authority: `${sandbox.authorityHost}/${authorityTenant}`,
      knownAuthorities: [host],
    },
    system: {
      protocolMode: 'OIDC',
      networkClient: new TrustingNetworkClient(sandbox.caCert),
      loggerOptions: {
        logLevel: LogLevel.Error,
        piiLoggingEnabled: false,
        loggerCallback: () => undefined,
      },
    },
  })
}

export class SandboxUserCredential implements TokenCredential {
  private readonly msal: PublicClientApplication
  private account: Promise<AccountInfo> | undefined
  /** Tenant + scopes fetched since the last expireTokens(); undefined before any expiry. */
  private renewedSinceExpiry: Set<string> | undefined

  constructor(
    private readonly sandbox: Sandbox,
    private readonly username: string,
  ) {
    this.msal = sandboxMsalClient(sandbox)
  }

  renewNextTime(): void {
    this.renewedSinceExpiry = new Set()
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const scopeList = Array.isArray(scopes) ? scopes : [scopes]
    let result: AuthenticationResult
    if (!this.account) {
      const signIn = this.msal.acquireTokenInteractive({
        scopes: scopeList,
        ...(options?.tenantId
          ? { authority: `${this.sandbox.authorityHost}/${options.tenantId}` }
          : {}),
        openBrowser: (url) => signInWithBrowser(url, this.username, this.sandbox.caCert),
      })
      this.account = signIn.then((r) => r.account!)
      this.account.catch(() => (this.account = undefined))
      result = await signIn
    } else {
      const account = await this.account
      const tenantId = options?.tenantId ?? account.tenantId
      const key = `${tenantId} ${scopeList.join(' ')}`
      const forceRefresh =
        this.renewedSinceExpiry !== undefined && !this.renewedSinceExpiry.has(key)
      this.renewedSinceExpiry?.add(key)
      result = await this.msal.acquireTokenSilent({
        account: { ...account, tenantId },
        scopes: scopeList,
        authority: `${this.sandbox.authorityHost}/${tenantId}`,
        forceRefresh,
      })
    }
    return {
      token: result.accessToken,
      expiresOnTimestamp: result.expiresOn!.getTime(),
      tokenType: 'Bearer',
    }
  }
}

// ---- a scripted browser for the sandbox's sign-in pages ------------------------------------

interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One HTTP(S) request as a browser makes it; trusts the sandbox CA for https. */
export function browserRequest(
  url: string,
  init: { method?: string; form?: Record<string, string>; ca?: string } = {},
): Promise<HttpResult> {
  const target = new URL(url)
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: init.method ?? (body ? 'POST' : 'GET'),
        ...(target.protocol === 'https:' && init.ca ? { ca: init.ca } : {}),
        headers: body
          ? {
              'Content-Type': 'application/x-www-form-urlencoded',
              'Content-Length': Buffer.byteLength(body),
            }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

export interface HtmlForm {
  action: string
  fields: Record<string, string>
  /** Submit buttons: name, value and visible text. */
  buttons: Array<{ name: string; value: string; text: string }>
}

const unescapeHtml = (text: string) =>
  text.replace(
    /&(lt|gt|amp|#39|quot);/g,
    (_, e: string) => ({ lt: '<', gt: '>', amp: '&', '#39': "'", quot: '"' })[e]!,
  )

const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)
  return match ? unescapeHtml(match[1]!) : undefined
}

/** The first form of a page, as a browser would see it. */
export function parseForm(html: string, pageUrl: string): HtmlForm {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/.exec(html)
  if (!form) throw new Error(`No form on the page:\n${html.slice(0, 500)}`)
  const formTag = /<form\b[^>]*>/.exec(form[0])![0]
  const fields: Record<string, string> = {}
  for (const input of form[1]!.match(/<input\b[^>]*>/g) ?? []) {
    const name = attribute(input, 'name')
    if (name && attribute(input, 'type') === 'hidden')
      fields[name] = attribute(input, 'value') ?? ''
  }
  const buttons = [...form[1]!.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)].map((b) => ({
    name: attribute(b[1]!, 'name') ?? '',
    value: attribute(b[1]!, 'value') ?? '',
    text: unescapeHtml(
      b[2]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  }))
  return {
    action: new URL(attribute(formTag, 'action') ?? pageUrl, pageUrl).toString(),
    fields,
    buttons,
  }
}

/**
 * What a person does in the browser MSAL opens: load the sandbox's sign-in page, click the
 * button of `username`, and let the auto-submitting form post the code to the app's loopback
 * address. `username: 'cancel'` clicks Cancel instead.
 */
export async function signInWithBrowser(
  authorizeUrl: string,
  username: string,
  ca: string,
): Promise<void> {
  const page = await browserRequest(authorizeUrl, { ca })
  if (page.status !== 200)
    throw new Error(`Sign-in page answered ${page.status}: ${page.body.slice(0, 300)}`)
  const form = parseForm(page.body, authorizeUrl)
  const button = form.buttons.find((b) =>
    username === 'cancel' ? b.name === 'cancel' : b.name === 'username' && b.value === username,
  )
  if (!button) throw new Error(`No button for ${username} on the sign-in page`)
  const answer = await browserRequest(form.action, {
    ca,
    form: { ...form.fields, [button.name]: button.value },
  })
  if (answer.status !== 200)
    throw new Error(`Sign-in answered ${answer.status}: ${answer.body.slice(0, 300)}`)
  const autoPost = parseForm(answer.body, form.action)
  await browserRequest(autoPost.action, { form: autoPost.fields })
}

/** A person entering a device code on the sandbox's verification page and picking a user. */
export async function approveDeviceCode(
  verificationUri: string,
  userCode: string,
  username: string,
  ca: string,
): Promise<HttpResult> {
  const page = await browserRequest(verificationUri, { ca })
  const form = parseForm(page.body, verificationUri)
  const button =
    username === 'cancel'
      ? { name: 'cancel', value: '1' }
      : form.buttons.find((b) => b.name === 'username' && b.value === username)
  if (!button) throw new Error(`No button for ${username} on the device code page`)
  return browserRequest(form.action, {
    ca,
    form: { ...form.fields, otc: userCode, [button.name]: button.value },
  })
}
