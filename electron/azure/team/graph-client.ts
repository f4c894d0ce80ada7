import type { TokenCredential } from '@azure/core-auth'
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline'
import type { Cloud } from '../../../shared/clouds'
import type { DirectoryUser } from '../../../shared/team'
import { graphScope } from '../auth/clouds'
import { renewingBearerTokenPolicy } from '../auth/token-renewal'

/**
 * Microsoft Graph with the signed-in user's delegated permissions (User.Read,
 * User.ReadBasic.All): who am I, find people by name or email (guests included), and names
 * for object ids. Goes through the same pipeline as the Azure SDKs (token, TLS, retries).
 */
interface GraphUserBody {
  id: string
  displayName?: string | null
  mail?: string | null
  userPrincipalName?: string | null
  userType?: string | null
}

const select = 'id,displayName,mail,userPrincipalName,userType'

export function toDirectoryUser(user: GraphUserBody): DirectoryUser {
  const email = user.mail || user.userPrincipalName || user.id
  return {
    id: user.id,
    displayName: user.displayName || email,
    email,
    guest:
      user.userType === 'Guest' || (user.userPrincipalName ?? '').toUpperCase().includes('#EXT#'),
  }
}

export class GraphClient {
  private readonly pipeline: Pipeline
  private http: HttpClient | undefined

  constructor(
    private readonly cloud: Cloud,
    credential: TokenCredential,
    tlsCa?: string,
  ) {
    this.pipeline = createPipelineFromOptions(tlsCa ? { tlsOptions: { ca: tlsCa } } : {})
    this.pipeline.addPolicy(renewingBearerTokenPolicy(credential, [graphScope(cloud)]))
  }

  async me(): Promise<DirectoryUser> {
    return toDirectoryUser(await this.send<GraphUserBody>('GET', `/v1.0/me?$select=${select}`))
  }

  /** People whose name, email or sign-in name has a word starting with `text`. */
  async search(text: string, top = 10): Promise<DirectoryUser[]> {
    // Graph's $search takes "property:text" clauses; a double quote or backslash would end one.
    const term = text.replace(/["\\]/g, ' ').trim()
    if (!term) return []
    const search = ['displayName', 'mail', 'userPrincipalName']
      .map((p) => `"${p}:${term}"`)
      .join(' OR ')
    const answer = await this.send<{ value: GraphUserBody[] }>(
      'GET',
      `/v1.0/users?$search=${encodeURIComponent(search)}&$select=${select}&$top=${top}`,
      undefined,
      { ConsistencyLevel: 'eventual' },
    )
    return answer.value.map(toDirectoryUser)
  }

  /** Names for object ids (up to 1000 per call); ids Graph does not know are left out. */
  async usersByIds(ids: string[]): Promise<DirectoryUser[]> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))]
    const found: DirectoryUser[] = []
    for (let i = 0; i < unique.length; i += 1000) {
      const answer = await this.send<{ value: GraphUserBody[] }>(
        'POST',
        '/v1.0/directoryObjects/getByIds',
        { ids: unique.slice(i, i + 1000), types: ['user'] },
      )
      found.push(...answer.value.map(toDirectoryUser))
    }
    return found
  }

  /** One Graph request; a 4xx/5xx answer becomes a RestError with Graph's code. */
  async send<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    this.http ??= createDefaultHttpClient()
    const request = createPipelineRequest({
      url: `${this.cloud.graphEndpoint}${path}`,
      method,
      headers: createHttpHeaders({
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const response = await this.pipeline.sendRequest(this.http, request)
    const parsed = response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined
    if (response.status >= 400) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error
      throw new RestError(error?.message ?? `Microsoft Graph answered ${response.status}`, {
        code: error?.code ?? String(response.status),
        statusCode: response.status,
        request,
        response,
      })
    }
    return parsed as T
  }
}
