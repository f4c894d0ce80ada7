import { describe, expect, it } from 'vitest'
import type { Tenant } from '../../../shared/api'
import { ApiError } from '../../../renderer/api/api-error'
import { describeError } from '../../../renderer/lib/error-text'
import { countSubscriptions, filterTenants } from '../../../renderer/lib/subscription-filter'
import { initials } from '../../../renderer/components/initials'

const sub = (id: string, displayName: string, tenantId: string) => ({
  id,
  displayName,
  tenantId,
  state: 'Enabled',
  accountId: 'a.b',
})
const tenants: Tenant[] = [
  {
    id: 't-contoso',
    displayName: 'Contoso Research',
    defaultDomain: 'contoso.example',
    subscriptions: [
      sub('00000000-0000-4000-8000-000000000001', 'Contoso Data Science', 't-contoso'),
      sub('00000000-0000-4000-8000-000000000002', 'Contoso Dev/Test', 't-contoso'),
    ],
  },
  {
    id: 't-fabrikam',
    displayName: 'Fabrikam Labs',
    subscriptions: [
      sub('00000000-0000-4000-8000-000000000003', 'Fabrikam Analytics', 't-fabrikam'),
    ],
  },
]

describe('subscription search', () => {
  it('keeps everything for an empty query', () => {
    expect(filterTenants(tenants, '  ')).toEqual(tenants)
    expect(countSubscriptions(tenants)).toBe(3)
  })

  it('matches subscription names case-insensitively, word by word', () => {
    const result = filterTenants(tenants, 'dev contoso')
    expect(result.map((t) => t.subscriptions.map((s) => s.displayName))).toEqual([
      ['Contoso Dev/Test'],
    ])
  })

  it('matches by subscription id', () => {
    expect(
      filterTenants(tenants, '000000000003')[0]?.subscriptions.map((s) => s.displayName),
    ).toEqual(['Fabrikam Analytics'])
  })

  it('keeps a whole tenant when its name or domain matches', () => {
    expect(filterTenants(tenants, 'contoso.example')[0]?.subscriptions).toHaveLength(2)
  })

  it('returns nothing when nothing matches', () => {
    expect(filterTenants(tenants, 'northwind')).toEqual([])
  })
})

describe('error text', () => {
  it('turns AuthRequired into a sign-in prompt, not an error', () => {
    expect(describeError(new ApiError('AuthRequired', 'interaction_required'))).toMatchObject({
      title: 'Sign in again',
      signIn: true,
      retry: false,
    })
  })

  it('tells consent problems apart from missing roles', () => {
    expect(describeError(new ApiError('Forbidden', 'AADSTS65001: consent required')).title).toMatch(
      /approve/,
    )
    expect(describeError(new ApiError('Forbidden', 'AuthorizationFailed')).title).toMatch(/access/)
  })

  it('says the error’s own next step when main gives one, instead of the general advice', () => {
    expect(
      describeError(new ApiError('Validation', 'Pool accounts need a template pool.')),
    ).toMatchObject({
      whatToDo: 'Correct the value and try again.',
    })
    expect(
      describeError(
        new ApiError('Validation', 'Pool accounts need a template pool.', {
          whatToDo: 'Add members under Team.',
        }),
      ),
    ).toMatchObject({
      title: 'That wasn’t accepted',
      whatToDo: 'Add members under Team.',
      retry: false,
    })
  })

  it('offers a retry for network trouble', () => {
    expect(describeError(new ApiError('Offline', 'ENOTFOUND'))).toMatchObject({
      retry: true,
      signIn: false,
    })
  })
})

describe('initials', () => {
  it('takes first and last initials of a name', () => {
    expect(initials('Ada Lovelace')).toBe('AL')
    expect(initials('Alan Turing (read only)')).toBe('AT')
    expect(initials('grace')).toBe('G')
    expect(initials('')).toBe('?')
  })
})
