/**
 * Guests in the sandbox directory: people from another organisation invited into a tenant
 * (Microsoft Entra B2B). They appear in Graph searches of the inviting tenant with
 * userType Guest and a `#EXT#` sign-in name, and can be given roles there.
 */
export interface SandboxGuest {
  oid: string
  /** The tenant that invited them. */
  tenantId: string
  displayName: string
  mail: string
}

export const guests: SandboxGuest[] = [
  {
    oid: 'd4d4d4d4-0000-4000-8000-00000000ca7e',
    tenantId: '72f988bf-0000-4000-8000-00000000c0de',
    displayName: 'Katherine Johnson',
    mail: 'katherine@fabrikam.example',
  },
]
