import { ArmError } from '../core/arm-error'
import type { SandboxModule } from '../core/module'
import { ok, type Principal, type Route, type SandboxRequest } from '../core/http'
import { directoryObject, directoryUsers, type GraphUser } from './directory'
import { parseFilter, parseSearch, parseSelect, project } from './query'
import { applicationDevelopers, applicationRoutes } from './applications'

/**
 * Microsoft Graph v1.0, the part a people picker needs: `/me`, `/users` (search and
 * filter, guests included), `/users/{id | userPrincipalName}` and
 * `/directoryObjects/getByIds`, and app registrations (./applications). Answers come from
 * the caller's tenant directory.
 */
export const graphAudiences = [
  'https://graph.microsoft.com',
  '00000003-0000-0000-c000-000000000000',
]

const graphBase = 'https://graph.microsoft.com/v1.0'
const readAllScopes = [
  'User.ReadBasic.All',
  'User.Read.All',
  'Directory.Read.All',
  'Directory.AccessAsUser.All',
]

function requireScope(principal: Principal, accepted: string[]): void {
  const granted = new Set(principal.scopes.map((s) => s.toLowerCase()))
  if (!accepted.some((s) => granted.has(s.toLowerCase()))) {
    throw new ArmError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    )
  }
}

const context = (select: string[] | undefined, suffix = '') =>
  `${graphBase}/$metadata#users${select ? `(${select.join(',')})` : ''}${suffix}`

function me(req: SandboxRequest) {
  const principal = req.principal!
  requireScope(principal, ['User.Read', ...readAllScopes])
  const user = directoryObject(principal.tenantId, principal.oid)
  if (!user) throw notFound(principal.oid)
  const select = parseSelect(req.query('$select'))
  return ok({ '@odata.context': context(select, '/$entity'), ...project(user, select) })
}

const notFound = (id: string) =>
  new ArmError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  )

function listUsers(req: SandboxRequest) {
  const principal = req.principal!
  requireScope(principal, readAllScopes)
  const search = req.query('$search')
  const filter = req.query('$filter')
  const eventual = req.header('consistencylevel')?.toLowerCase() === 'eventual'
  if (search !== undefined && !eventual) {
    throw new ArmError(
      400,
      'Request_UnsupportedQuery',
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    )
  }
  let found: GraphUser[] = directoryUsers(principal.tenantId)
  if (search !== undefined) found = found.filter(parseSearch(search))
  if (filter !== undefined) found = found.filter(parseFilter(filter))
  const topText = req.query('$top')
  const top = topText === undefined ? 100 : Number(topText)
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw new ArmError(
      400,
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`,
    )
  }
  const select = parseSelect(req.query('$select'))
  const count = req.query('$count')?.toLowerCase() === 'true'
  return ok({
    '@odata.context': context(select),
    ...(count ? { '@odata.count': found.length } : {}),
    value: found.slice(0, top).map((u) => project(u, select)),
  })
}

function getUser(req: SandboxRequest) {
  const principal = req.principal!
  requireScope(principal, readAllScopes)
  const user = directoryObject(principal.tenantId, req.params.id!)
  if (!user) throw notFound(req.params.id!)
  const select = parseSelect(req.query('$select'))
  return ok({ '@odata.context': context(select, '/$entity'), ...project(user, select) })
}

function getByIds(req: SandboxRequest) {
  const principal = req.principal!
  requireScope(principal, readAllScopes)
  const body = req.json<{ ids?: unknown; types?: unknown }>()
  if (!body || !Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string')) {
    throw new ArmError(
      400,
      'Request_BadRequest',
      "The property 'ids' is required and must be a list of strings.",
    )
  }
  if (body.ids.length > 1000) {
    throw new ArmError(400, 'Request_BadRequest', 'The number of ids must not exceed 1000.')
  }
  const types = Array.isArray(body.types)
    ? body.types.map((t) => String(t).toLowerCase())
    : undefined
  const value =
    types && !types.includes('user')
      ? []
      : (body.ids as string[])
          .map((id) => directoryObject(principal.tenantId, id))
          .filter((u, i): u is GraphUser => u?.id === (body.ids as string[])[i]!.toLowerCase())
          .map((u) => ({ '@odata.type': '#microsoft.graph.user', ...project(u, undefined) }))
  return ok({ '@odata.context': `${graphBase}/$metadata#directoryObjects`, value })
}

/** Application Developer's role template id (the same in every tenant). */
const applicationDeveloperTemplate = 'cf1c38e5-3621-4004-a7cb-879624dced7c'

/**
 * `/me/memberOf/microsoft.graph.directoryRole`: the signed-in user's directory roles (User.Read
 * is enough for one's own memberships). In the sandbox only Ada holds one: Application Developer.
 */
function myDirectoryRoles(req: SandboxRequest) {
  const principal = req.principal!
  requireScope(principal, ['User.Read', ...readAllScopes])
  const roles = applicationDevelopers.has(principal.oid)
    ? [
        {
          '@odata.type': '#microsoft.graph.directoryRole',
          id: '4d2e6c1a-9b3f-4e8d-a7c5-2f1b0e9d8c7a',
          deletedDateTime: null,
          description:
            "Can create application registrations independent of the 'Users can register applications' setting.",
          displayName: 'Application Developer',
          roleTemplateId: applicationDeveloperTemplate,
        },
      ]
    : []
  return ok({ '@odata.context': `${graphBase}/$metadata#directoryRoles`, value: roles })
}

/**
 * `/policies/authorizationPolicy` needs Policy.Read.All, which the app's client is not
 * consented for: Graph answers 403, as it does for ordinary users.
 */
function authorizationPolicy(req: SandboxRequest): never {
  requireScope(req.principal!, ['Policy.Read.All', 'Policy.ReadWrite.Authorization'])
  throw new ArmError(
    403,
    'Authorization_RequestDenied',
    'Insufficient privileges to complete the operation.',
  )
}

const route = (method: string, pattern: string, handler: Route['handler']): Route => ({
  service: 'graph',
  method,
  pattern,
  handler,
})

export const graphModule: SandboxModule = {
  name: 'graph',
  install(ctx, router) {
    const apps = applicationRoutes(ctx)
    router.add(
      route('GET', '/v1.0/me', me),
      route('GET', '/v1.0/me/memberOf/microsoft.graph.directoryRole', myDirectoryRoles),
      route('GET', '/v1.0/policies/authorizationPolicy', authorizationPolicy),
      route('GET', '/v1.0/users', listUsers),
      route('GET', '/v1.0/users/{id}', getUser),
      route('POST', '/v1.0/directoryObjects/getByIds', getByIds),
      route('POST', '/v1.0/applications', apps.create),
      route('GET', '/v1.0/applications', apps.list),
      route('GET', '/v1.0/applications/{id}', apps.get),
      route('PATCH', '/v1.0/applications/{id}', apps.update),
      route('DELETE', '/v1.0/applications/{id}', apps.remove),
      route('POST', '/v1.0/applications/{id}/addPassword', apps.addPassword),
      route('POST', '/v1.0/applications/{id}/removePassword', apps.removePassword),
      route('POST', '/v1.0/servicePrincipals', apps.createServicePrincipal),
    )
  },
}
