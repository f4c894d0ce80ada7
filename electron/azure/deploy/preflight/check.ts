import type { PreflightCheck, PreflightFix } from '../../../../shared/deploy'
import type { AzureErrorBody } from '../azure-errors'

/** One pre-flight answer: ok, a warning, a problem (with the fixes that solve it), or skipped. */
export type Check = PreflightCheck

export const check = (
  id: Check['id'],
  title: string,
  status: Check['status'],
  message: string,
  fixes: PreflightFix[] = [],
): Check => ({ id, title, status, message, fixes })

export const statusOf = (error: unknown) =>
  (error as { statusCode?: number } | undefined)?.statusCode

/** The `{ code, message, details }` of an SDK RestError, if it carries one. */
export function errorBody(error: unknown): AzureErrorBody | undefined {
  const e = error as { code?: unknown; message?: unknown; details?: unknown; statusCode?: unknown }
  if (!e || typeof e.statusCode !== 'number' || typeof e.code !== 'string') return undefined
  const details = (e.details as { error?: AzureErrorBody } | undefined)?.error
  return details ?? { code: e.code, message: typeof e.message === 'string' ? e.message : '' }
}

/** What a check says when the account lacks the role to create a pool. */
export function missingRole(id: Check['id'], title: string, what: string): Check {
  return check(
    id,
    title,
    'problem',
    `Your account may not ${what.includes('/') ? `perform ${what}` : what} here. Creating a pool needs the Contributor (or Owner) role on the subscription or resource group: ask an Owner to assign it, or choose a subscription where you have it.`,
  )
}
