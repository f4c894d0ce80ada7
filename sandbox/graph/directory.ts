import { guests } from '../seed/guests'
import { tenants, users } from '../seed/directory'

/** A user as Microsoft Graph v1.0 shows it (the default property set plus userType). */
export interface GraphUser {
  id: string
  displayName: string
  givenName: string | null
  surname: string | null
  mail: string | null
  userPrincipalName: string
  userType: 'Member' | 'Guest'
  jobTitle: string | null
  businessPhones: string[]
  mobilePhone: string | null
  officeLocation: string | null
  preferredLanguage: string | null
}

const person = (displayName: string) => {
  const words = displayName.replace(/\s*\(.*\)\s*$/, '').split(/\s+/)
  return { givenName: words[0] ?? null, surname: words.slice(1).join(' ') || null }
}

const blank = { jobTitle: null, businessPhones: [], mobilePhone: null, officeLocation: null }

/** Everyone in a tenant's directory: its members and the guests it invited. */
export function directoryUsers(tenantId: string): GraphUser[] {
  const tenant = tenants.find((t) => t.id === tenantId)
  if (!tenant) return []
  const members: GraphUser[] = users
    .filter((u) => u.homeTenantId === tenantId)
    .map((u) => ({
      id: u.oid,
      displayName: u.name,
      ...person(u.name),
      mail: u.username,
      userPrincipalName: u.username,
      userType: 'Member',
      ...blank,
      preferredLanguage: 'en-GB',
    }))
  const invited: GraphUser[] = guests
    .filter((g) => g.tenantId === tenantId)
    .map((g) => ({
      id: g.oid,
      displayName: g.displayName,
      ...person(g.displayName),
      mail: g.mail,
      userPrincipalName: `${g.mail.replace('@', '_')}#EXT#@${tenant.defaultDomain}`,
      userType: 'Guest',
      ...blank,
      preferredLanguage: null,
    }))
  return [...members, ...invited]
}

/** A user of the tenant by object id or sign-in name. */
export function directoryObject(tenantId: string, idOrName: string): GraphUser | undefined {
  const key = idOrName.toLowerCase()
  return directoryUsers(tenantId).find(
    (u) => u.id === key || u.userPrincipalName.toLowerCase() === key,
  )
}
