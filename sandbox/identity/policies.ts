import type { SandboxContext } from '../core/context'
import type { SandboxState, Table } from '../core/state'

/**
 * Conditional-access rules of the sandbox directory. A tenant that requires multi-factor
 * authentication refuses refresh-token grants unless the person completed a sign-in through
 * that tenant (in the sandbox, picking the account on its sign-in page counts as completing
 * the second factor), the way Entra answers AADSTS50076 to a token for another tenant.
 */
export class TenantPolicies {
  private readonly table: Table<boolean>

  constructor(state: SandboxState) {
    this.table = state.table<boolean>('identity-policies')
  }

  requiresMfa(tenantId: string): boolean {
    return this.table.get(`mfa:${tenantId}`) === true
  }

  setMfa(tenantId: string, required: boolean): void {
    if (required) this.table.set(`mfa:${tenantId}`, true)
    else this.table.delete(`mfa:${tenantId}`)
  }
}

/** For tests and demos: make a tenant require multi-factor authentication (or not). */
export function requireMultiFactorAuthentication(
  ctx: SandboxContext,
  tenantId: string,
  required = true,
): void {
  new TenantPolicies(ctx.state).setMfa(tenantId, required)
}
