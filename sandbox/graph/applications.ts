import { randomBytes, randomUUID } from 'node:crypto'
import { ArmError } from '../core/arm-error'
import type { SandboxContext } from '../core/context'
import type { Principal, SandboxReply, SandboxRequest } from '../core/http'
import { tenants, users } from '../seed/directory'

/**
 * Microsoft Graph v1.0 app registrations, the part a pool's JupyterHub sign-in needs:
 * `applications` (create, read, update the redirect URIs, delete), `servicePrincipals`
 * (create for an app) and `applications/{id}/addPassword`. A client secret's text is
 * answered once, by addPassword; the sandbox keeps only its hint (the first three
 * characters), so its state on disk holds no secret.
 *
 * Who may register: Contoso's directory says "Users can register applications: No" (the
 * authorization policy's `allowedToCreateApps` is false), and Ada holds the Application
 * Developer directory role, which may register anyway. Everyone else there is answered
 * 403 Authorization_RequestDenied, as Entra answers.
 */

interface StoredPassword {
  keyId: string
  displayName: string | null
  hint: string
  startDateTime: string
  endDateTime: string
}

interface StoredApplication {
  id: string
  appId: string
  tenantId: string
  ownerOid: string
  displayName: string
  signInAudience: string
  createdDateTime: string
  redirectUris: string[]
  enableIdTokenIssuance: boolean
  passwords: StoredPassword[]
}

interface StoredServicePrincipal {
  id: string
  appId: string
  tenantId: string
  displayName: string
  createdDateTime: string
}

const graphBase = 'https://graph.microsoft.com/v1.0'

/** Tenants whose users may not register applications (authorizationPolicy.allowedToCreateApps false). */
const appRegistrationForbidden = new Set([tenants[0]!.id])
/** Holders of the Application Developer directory role. */
export const applicationDevelopers = new Set(
  users.filter((u) => u.username === 'ada@contoso.example').map((u) => u.oid),
)

const writeScopes = ['Application.ReadWrite.All', 'Directory.AccessAsUser.All']
const readScopes = ['Application.Read.All', ...writeScopes, 'Directory.Read.All']

const denied = () =>
  new ArmError(
    403,
    'Authorization_RequestDenied',
    'Insufficient privileges to complete the operation.',
  )

function requireScope(principal: Principal, accepted: string[]): void {
  const granted = new Set(principal.scopes.map((s) => s.toLowerCase()))
  if (!accepted.some((s) => granted.has(s.toLowerCase()))) throw denied()
}

const notFound = (id: string) =>
  new ArmError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  )

const badRequest = (message: string) => new ArmError(400, 'Request_BadRequest', message)

const now = (ctx: SandboxContext) => new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z')

function checkRedirectUris(value: unknown): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw badRequest(
      "Invalid value specified for property 'redirectUris' of resource 'Application'.",
    )
  }
  for (const uri of value as string[]) {
    let url: URL
    try {
      url = new URL(uri)
    } catch {
      throw badRequest(
        "Invalid value specified for property 'redirectUris' of resource 'Application'.",
      )
    }
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1'
    if ((url.protocol !== 'https:' && !(local && url.protocol === 'http:')) || uri.includes('*')) {
      throw badRequest(
        "Invalid value specified for property 'redirectUris' of resource 'Application'.",
      )
    }
  }
  return value as string[]
}

function applicationBody(app: StoredApplication) {
  return {
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    createdDateTime: app.createdDateTime,
    deletedDateTime: null,
    signInAudience: app.signInAudience,
    identifierUris: [],
    publisherDomain: tenants.find((t) => t.id === app.tenantId)?.defaultDomain ?? null,
    keyCredentials: [],
    passwordCredentials: app.passwords.map((p) => ({
      customKeyIdentifier: null,
      displayName: p.displayName,
      endDateTime: p.endDateTime,
      hint: p.hint,
      keyId: p.keyId,
      secretText: null,
      startDateTime: p.startDateTime,
    })),
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: app.redirectUris,
      implicitGrantSettings: {
        enableAccessTokenIssuance: false,
        enableIdTokenIssuance: app.enableIdTokenIssuance,
      },
      redirectUriSettings: app.redirectUris.map((uri) => ({ uri, index: null })),
    },
  }
}

export function applicationRoutes(ctx: SandboxContext) {
  const apps = ctx.state.table<StoredApplication>('graphApplications')
  const principals = ctx.state.table<StoredServicePrincipal>('graphServicePrincipals')

  const ownApp = (req: SandboxRequest, scopes: string[]): StoredApplication => {
    const principal = req.principal!
    requireScope(principal, scopes)
    const app = apps.get(req.params.id!)
    if (!app || app.tenantId !== principal.tenantId) throw notFound(req.params.id!)
    return app
  }
  // Only an owner (the creator) or an Application Developer may change an application.
  const mayChange = (principal: Principal, app: StoredApplication) => {
    if (app.ownerOid !== principal.oid && !applicationDevelopers.has(principal.oid)) throw denied()
  }

  function create(req: SandboxRequest): SandboxReply {
    const principal = req.principal!
    requireScope(principal, writeScopes)
    if (
      appRegistrationForbidden.has(principal.tenantId) &&
      !applicationDevelopers.has(principal.oid)
    ) {
      throw denied()
    }
    const body = req.json<{
      displayName?: unknown
      signInAudience?: unknown
      web?: { redirectUris?: unknown; implicitGrantSettings?: { enableIdTokenIssuance?: unknown } }
    }>()
    if (!body || typeof body.displayName !== 'string' || !body.displayName.trim()) {
      throw badRequest("Property 'displayName' is required.")
    }
    const audience = body.signInAudience ?? 'AzureADandPersonalMicrosoftAccount'
    if (
      typeof audience !== 'string' ||
      ![
        'AzureADMyOrg',
        'AzureADMultipleOrgs',
        'AzureADandPersonalMicrosoftAccount',
        'PersonalMicrosoftAccount',
      ].includes(audience)
    ) {
      throw badRequest(
        "Invalid value specified for property 'signInAudience' of resource 'Application'.",
      )
    }
    const app: StoredApplication = {
      id: randomUUID(),
      appId: randomUUID(),
      tenantId: principal.tenantId,
      ownerOid: principal.oid,
      displayName: body.displayName,
      signInAudience: audience,
      createdDateTime: now(ctx),
      redirectUris: checkRedirectUris(body.web?.redirectUris),
      enableIdTokenIssuance: body.web?.implicitGrantSettings?.enableIdTokenIssuance === true,
      passwords: [],
    }
    apps.set(app.id, app)
    return {
      status: 201,
      headers: { Location: `${graphBase}/applications/${app.id}` },
      body: {
        '@odata.context': `${graphBase}/$metadata#applications/$entity`,
        ...applicationBody(app),
      },
    }
  }

  function get(req: SandboxRequest): SandboxReply {
    const app = ownApp(req, readScopes)
    return {
      status: 200,
      body: {
        '@odata.context': `${graphBase}/$metadata#applications/$entity`,
        ...applicationBody(app),
      },
    }
  }

  function update(req: SandboxRequest): SandboxReply {
    const app = ownApp(req, writeScopes)
    mayChange(req.principal!, app)
    const body = req.json<{ displayName?: unknown; web?: { redirectUris?: unknown } }>()
    if (!body || typeof body !== 'object') throw badRequest('The request body is not valid.')
    if (body.displayName !== undefined) {
      if (typeof body.displayName !== 'string' || !body.displayName.trim()) {
        throw badRequest(
          "Invalid value specified for property 'displayName' of resource 'Application'.",
        )
      }
      app.displayName = body.displayName
    }
    if (body.web?.redirectUris !== undefined)
      app.redirectUris = checkRedirectUris(body.web.redirectUris)
    apps.touch()
    return { status: 204 }
  }

  function remove(req: SandboxRequest): SandboxReply {
    const app = ownApp(req, writeScopes)
    mayChange(req.principal!, app)
    apps.delete(app.id)
    for (const [key, sp] of principals.entries()) if (sp.appId === app.appId) principals.delete(key)
    return { status: 204 }
  }

  function addPassword(req: SandboxRequest): SandboxReply {
    const app = ownApp(req, writeScopes)
    mayChange(req.principal!, app)
    const body = req.json<{
      passwordCredential?: { displayName?: unknown; endDateTime?: unknown }
    }>()
    const wanted = body?.passwordCredential ?? {}
    const start = new Date(ctx.clock.now())
    const end =
      typeof wanted.endDateTime === 'string'
        ? new Date(wanted.endDateTime)
        : new Date(start.getTime())
    if (typeof wanted.endDateTime !== 'string') end.setUTCFullYear(end.getUTCFullYear() + 2)
    if (Number.isNaN(end.getTime()) || end.getTime() <= start.getTime()) {
      throw badRequest(
        "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.",
      )
    }
    // Entra's secrets: 40 characters of letters, digits and ._~-, the first three are the hint.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-'
    const secretText = [...randomBytes(40)].map((b) => alphabet[b % alphabet.length]).join('')
    const password: StoredPassword = {
      keyId: randomUUID(),
      displayName: typeof wanted.displayName === 'string' ? wanted.displayName : null,
      hint: secretText.slice(0, 3),
      startDateTime: start.toISOString().replace(/\.\d+Z$/, 'Z'),
      endDateTime: end.toISOString().replace(/\.\d+Z$/, 'Z'),
    }
    app.passwords.push(password)
    apps.touch()
    return {
      status: 200,
      body: {
        '@odata.context': `${graphBase}/$metadata#microsoft.graph.passwordCredential`,
        customKeyIdentifier: null,
        displayName: password.displayName,
        endDateTime: password.endDateTime,
        hint: password.hint,
        keyId: password.keyId,
        secretText,
        startDateTime: password.startDateTime,
      },
    }
  }

  /** `GET /applications?$filter=appId eq '…'`: the caller's tenant's applications, filtered. */
  function list(req: SandboxRequest): SandboxReply {
    const principal = req.principal!
    requireScope(principal, readScopes)
    const filter = req.query('$filter')
    let found = apps.values().filter((a) => a.tenantId === principal.tenantId)
    if (filter !== undefined) {
      const byAppId = /^\s*appId\s+eq\s+'([^']*)'\s*$/i.exec(filter)
      if (!byAppId)
        throw new ArmError(
          400,
          'Request_UnsupportedQuery',
          'Unsupported or invalid query filter clause specified for property of resource Application.',
        )
      found = found.filter((a) => a.appId.toLowerCase() === byAppId[1]!.toLowerCase())
    }
    return {
      status: 200,
      body: {
        '@odata.context': `${graphBase}/$metadata#applications`,
        value: found.map(applicationBody),
      },
    }
  }

  /** Removes one client secret by its keyId; answers 204 No Content, as Graph does. */
  function removePassword(req: SandboxRequest): SandboxReply {
    const app = ownApp(req, writeScopes)
    mayChange(req.principal!, app)
    const body = req.json<{ keyId?: unknown }>()
    if (!body || typeof body.keyId !== 'string') throw badRequest("Property 'keyId' is required.")
    const keyId = body.keyId.toLowerCase()
    const index = app.passwords.findIndex((p) => p.keyId.toLowerCase() === keyId)
    if (index < 0)
      throw new ArmError(
        404,
        'Request_ResourceNotFound',
        `No password credential found with keyId '${body.keyId}'.`,
      )
    app.passwords.splice(index, 1)
    apps.touch()
    return { status: 204 }
  }

  function createServicePrincipal(req: SandboxRequest): SandboxReply {
    const principal = req.principal!
    requireScope(principal, writeScopes)
    const body = req.json<{ appId?: unknown }>()
    if (!body || typeof body.appId !== 'string') throw badRequest("Property 'appId' is required.")
    const app = apps
      .values()
      .find((a) => a.appId === body.appId && a.tenantId === principal.tenantId)
    if (!app) {
      throw badRequest(
        `The appId '${body.appId}' of the service principal does not reference a valid application object.`,
      )
    }
    mayChange(principal, app)
    if (principals.values().some((sp) => sp.appId === app.appId)) {
      throw new ArmError(
        409,
        'Request_MultipleObjectsWithSameKeyValue',
        `The service principal cannot be created, updated, or restored because the service principal name ${app.appId} is already in use.`,
      )
    }
    const sp: StoredServicePrincipal = {
      id: randomUUID(),
      appId: app.appId,
      tenantId: app.tenantId,
      displayName: app.displayName,
      createdDateTime: now(ctx),
    }
    principals.set(sp.id, sp)
    return {
      status: 201,
      headers: { Location: `${graphBase}/servicePrincipals/${sp.id}` },
      body: {
        '@odata.context': `${graphBase}/$metadata#servicePrincipals/$entity`,
        id: sp.id,
        appId: sp.appId,
        appDisplayName: sp.displayName,
        displayName: sp.displayName,
        accountEnabled: true,
        appRoleAssignmentRequired: false,
        servicePrincipalType: 'Application',
        servicePrincipalNames: [sp.appId],
        appOwnerOrganizationId: sp.tenantId,
        signInAudience: app.signInAudience,
        replyUrls: app.redirectUris,
        tags: [],
      },
    }
  }

  return { create, list, get, update, remove, addPassword, removePassword, createServicePrincipal }
}
