import { describe, expect, it } from 'vitest'
import { createApiClient } from '../../../renderer/api/client'
import { ApiError } from '../../../renderer/api/api-error'
import { fakeTransport, ok } from './fake-transport'

const account = {
  id: 'oid.tid',
  username: 'ada@contoso.example',
  name: 'Ada Lovelace',
  tenantId: 'tid',
  cloud: 'Sandbox',
  signedIn: true,
}

describe('api client', () => {
  it('resolves with the output of a successful call and sends {} when no input is given', async () => {
    const transport = fakeTransport({ 'auth.accounts': () => ok([account]) })
    const api = createApiClient(transport)
    await expect(api.call('auth.accounts')).resolves.toEqual([account])
    expect(transport.calls).toEqual([{ name: 'auth.accounts', input: {} }])
  })

  it('throws an ApiError carrying code, message and details of a failed call', async () => {
    const transport = fakeTransport({
      'subscriptions.list': () => ({
        ok: false,
        error: {
          code: 'AuthRequired',
          message: 'Sign in again.',
          details: { accountId: 'oid.tid' },
        },
      }),
    })
    const api = createApiClient(transport)
    const error = await api.call('subscriptions.list').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      code: 'AuthRequired',
      message: 'Sign in again.',
      details: { accountId: 'oid.tid' },
    })
  })

  it('turns a transport that throws into an Unknown ApiError', async () => {
    const transport = fakeTransport({
      'app.info': () => {
        throw new Error('bridge broke')
      },
    })
    const error = await createApiClient(transport)
      .call('app.info')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'Unknown', message: 'bridge broke' })
  })

  it('when validating, refuses a result that does not match the contract', async () => {
    const reports: string[] = []
    const transport = fakeTransport({
      'auth.accounts': () => ok([{ ...account, signedIn: 'yes' }]),
    })
    const api = createApiClient(transport, {
      validate: true,
      onContractMismatch: (what) => reports.push(what),
    })
    await expect(api.call('auth.accounts')).rejects.toMatchObject({ code: 'Unknown' })
    expect(reports).toEqual(['Result of auth.accounts'])
  })

  it('passes unchecked results through without validation (production)', async () => {
    const odd = [{ ...account, signedIn: 'yes' }]
    const api = createApiClient(fakeTransport({ 'auth.accounts': () => ok(odd) }))
    await expect(api.call('auth.accounts')).resolves.toEqual(odd)
  })

  it('delivers events, drops malformed ones when validating, and unsubscribes', () => {
    const transport = fakeTransport()
    const reports: string[] = []
    const api = createApiClient(transport, {
      validate: true,
      onContractMismatch: (what) => reports.push(what),
    })
    const received: unknown[] = []
    const off = api.on('auth.accountsChanged', (accounts) => received.push(accounts))
    transport.emit('auth.accountsChanged', [account])
    transport.emit('auth.accountsChanged', [{ id: 1 }])
    off()
    transport.emit('auth.accountsChanged', [])
    expect(received).toEqual([[account]])
    expect(reports).toEqual(['Event auth.accountsChanged'])
  })
})
