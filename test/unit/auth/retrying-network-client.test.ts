import type { INetworkModule, NetworkResponse } from '@azure/msal-node'
import { describe, expect, it } from 'vitest'
import { signInError } from '../../../electron/azure/auth/errors'
import { RetryingNetworkClient } from '../../../electron/azure/auth/retrying-network-client'

type Answer = { status: number; retryAfter?: string }

/** A token endpoint that gives `answers` in turn (the last one from then on). */
function endpoint(answers: Answer[]) {
  let sent = 0
  const inner: INetworkModule = {
    sendGetRequestAsync: async <T>() => answer<T>(),
    sendPostRequestAsync: async <T>() => answer<T>(),
  }
  function answer<T>(): NetworkResponse<T> {
    const { status, retryAfter } = answers[Math.min(sent++, answers.length - 1)]!
    return {
      status,
      headers: retryAfter ? { 'retry-after': retryAfter } : {},
      body: (status === 200 ? { access_token: 'x' } : { error: 'temporarily_unavailable' }) as T,
    }
  }
  return { inner, sent: () => sent }
}

function client(answers: Answer[]) {
  const waits: number[] = []
  const server = endpoint(answers)
  const network = new RetryingNetworkClient(server.inner, {
    delay: async (ms) => {
      waits.push(ms)
    },
  })
  const post = () => network.sendPostRequestAsync('https://login.example/t/oauth2/v2.0/token')
  return { post, waits, sent: server.sent }
}

describe('a busy sign-in service', () => {
  it('is waited out for its Retry-After and asked again', async () => {
    const { post, waits } = client([
      { status: 429, retryAfter: '1' },
      { status: 429, retryAfter: '1' },
      { status: 200 },
    ])
    expect(await post()).toMatchObject({ status: 200 })
    expect(waits).toEqual([1000, 1000])
  })

  it('is asked again after a short back-off when it fails with 5xx', async () => {
    const { post, waits } = client([{ status: 503 }, { status: 500 }, { status: 200 }])
    expect(await post()).toMatchObject({ status: 200 })
    expect(waits).toEqual([500, 1000])
  })

  it('ends with words to wait when it stays throttled', async () => {
    const { post, sent } = client([{ status: 429, retryAfter: '2' }])
    const error = await post().catch((e: unknown) => e)
    expect(sent()).toBe(4)
    expect(signInError(error)).toMatchObject({
      code: 'Throttled',
      message: 'The sign-in service is busy. Wait 2 seconds and try again.',
      details: { retryAfterSeconds: 2 },
    })
  })

  it('does not hold the sign-in for a long Retry-After: it says how long to wait', async () => {
    const { post, waits, sent } = client([{ status: 429, retryAfter: '60' }])
    const error = await post().catch((e: unknown) => e)
    expect([waits, sent()]).toEqual([[], 1])
    expect(signInError(error).message).toBe(
      'The sign-in service is busy. Wait about a minute and try again.',
    )
  })

  it('ends with words to try again later when it keeps failing', async () => {
    const { post, waits } = client([{ status: 503 }])
    const error = await post().catch((e: unknown) => e)
    expect(waits).toEqual([500, 1000, 2000])
    expect(signInError(error)).toMatchObject({
      code: 'Transient',
      message: 'The sign-in service is not answering right now. Wait a minute and try again.',
    })
  })

  it('passes other answers on at once', async () => {
    const { post, waits } = client([{ status: 400 }])
    expect(await post()).toMatchObject({ status: 400 })
    expect(waits).toEqual([])
  })
})

describe('Entra answering temporarily_unavailable itself (MSAL ServerError)', () => {
  it('becomes words, not Unknown', () => {
    const error = Object.assign(new Error('Error(s): 90033'), {
      name: 'ServerError',
      errorCode: 'temporarily_unavailable',
    })
    expect(signInError(error).code).toBe('Transient')
  })
})
