import { describe, expect, it } from 'vitest'
import type { AccountInfo } from '@azure/msal-node'
import { homeAccounts } from '../../../electron/azure/auth/auth-service'
import {
  azureCliClientId,
  resolveClientId,
  resolveCloud,
  sandboxCloud,
} from '../../../electron/azure/auth/clouds'
import { interactionReason, isNetworkError, signInError } from '../../../electron/azure/auth/errors'
import { problemText } from '../../../electron/azure/subscriptions'
import { sandboxClientId } from '../../../sandbox/seed/directory'
import { AppError } from '../../../shared/errors'

describe('clouds and client ids', () => {
  const endpoints = {
    armEndpoint: 'https://localhost:4443',
    authorityHost: 'https://localhost:4443/',
    filesEndpoint: 'https://127.0.0.1:4443',
    pricesEndpoint: 'https://localhost:4443/api/retail/prices',
  }

  it('builds the Sandbox cloud from the running sandbox', () => {
    expect(sandboxCloud(endpoints)).toEqual({
      name: 'Sandbox',
      displayName: 'Sandbox',
      armEndpoint: 'https://localhost:4443',
      armAudience: 'https://management.azure.com',
      authorityHost: 'https://localhost:4443',
      storageSuffix: '127.0.0.1:4443',
      pricesEndpoint: 'https://localhost:4443/api/retail/prices',
      portalUrl: 'https://localhost:4443',
      graphEndpoint: 'https://localhost:4443',
      graphAudience: 'https://graph.microsoft.com',
    })
    expect(resolveCloud('AzureUSGovernment').authorityHost).toBe('https://login.microsoftonline.us')
    expect(() => resolveCloud('Sandbox')).toThrow(/not running/)
  })

  it('picks the client id: env var, then Settings, then the Azure CLI default; Sandbox always its own', () => {
    expect(resolveClientId('AzureCloud')).toBe(azureCliClientId)
    expect(resolveClientId('AzureCloud', { settings: 'from-settings' })).toBe('from-settings')
    expect(
      resolveClientId('AzureCloud', {
        settings: 'from-settings',
        env: { DSVM_CLIENT_ID: ' from-env ' },
      }),
    ).toBe('from-env')
    expect(resolveClientId('Sandbox', { settings: 'x', env: { DSVM_CLIENT_ID: 'y' } })).toBe(
      sandboxClientId,
    )
  })
})

describe('sign-in errors', () => {
  const interaction = (message: string) =>
    Object.assign(new Error(message), {
      name: 'InteractionRequiredAuthError',
      errorCode: 'interaction_required',
      errorMessage: message,
    })

  it('maps MSAL errors to codes a person can act on', () => {
    expect(signInError({ errorCode: 'access_denied' }).code).toBe('Cancelled')
    expect(
      signInError({ errorCode: 'post_request_failed', errorMessage: 'authorization_declined' })
        .code,
    ).toBe('Cancelled')
    expect(
      signInError({ errorCode: 'post_request_failed', errorMessage: 'expired_token' }).code,
    ).toBe('AuthRequired')
    expect(signInError({ errorCode: 'network_error' }).code).toBe('Offline')
    expect(
      signInError(
        { errorCode: 'invalid_grant', errorMessage: 'AADSTS700082' },
        'ada@contoso.example',
      ),
    ).toMatchObject({
      code: 'AuthRequired',
      message: 'Sign in again as ada@contoso.example: the session has expired.',
    })
    expect(signInError(interaction('AADSTS50076: multi-factor')).message).toContain(
      'multi-factor authentication',
    )
    expect(signInError({ errorCode: 'unauthorized_client' }).code).toBe('Validation')
    expect(signInError(new Error('boom'))).toMatchObject({ code: 'Unknown' })
    const own = new AppError('Cancelled', 'x')
    expect(signInError(own)).toBe(own)
  })

  it('explains why a directory wants the person back', () => {
    expect(interactionReason('AADSTS65001: consent')).toBe(
      'this directory requires consent for the app.',
    )
    expect(interactionReason('AADSTS50020: ...')).toBe(
      'the account is not a member of this directory.',
    )
  })

  it('recognises network failures from MSAL and from the Azure SDK', () => {
    expect(isNetworkError({ errorCode: 'network_error' })).toBe(true)
    expect(isNetworkError({ name: 'RestError', code: 'ECONNREFUSED' })).toBe(true)
    expect(isNetworkError({ cause: { code: 'ENOTFOUND' } })).toBe(true)
    expect(isNetworkError({ statusCode: 500 })).toBe(false)
  })

  it('describes a tenant that could not be read', () => {
    expect(
      problemText(new AppError('AuthRequired', 'Sign in again: AADSTS50076'), 'Fabrikam'),
    ).toBe(
      'Fabrikam asks for more before it shows its subscriptions: this directory requires multi-factor authentication. Sign in to this directory to continue.',
    )
    expect(
      problemText(new AppError('AuthRequired', 'Sign in again: AADSTS700082'), 'Fabrikam'),
    ).toBe('Sign in to Fabrikam again: the session has expired.')
    expect(problemText({ statusCode: 403 }, 'Fabrikam')).toMatch(/Ask an administrator/)
    expect(problemText(new Error('x'), 'Fabrikam')).toMatch(/could not be read right now/)
  })
})

describe('homeAccounts', () => {
  const profile = (tenantId: string, username = 'ada@contoso.example') =>
    ({
      homeAccountId: 'oid-1.home-tenant',
      environment: 'login.microsoftonline.com',
      tenantId,
      username,
      localAccountId: 'oid-1',
    }) as AccountInfo

  it('lists a person once, by the home tenant profile, however many tenants they use', () => {
    const guest = profile('other-tenant', 'ada_contoso.example#EXT#@fabrikam.example')
    const home = profile('home-tenant')
    expect(homeAccounts([guest, home])).toEqual([home])
    expect(homeAccounts([home, guest])).toEqual([home])
  })

  it('keeps different people apart', () => {
    const other = { ...profile('home-tenant'), homeAccountId: 'oid-2.home-tenant' }
    expect(homeAccounts([profile('home-tenant'), other])).toHaveLength(2)
  })
})
