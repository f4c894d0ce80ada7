import {
  ServerError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node'

/*
 * The sign-in service throttles (429 with Retry-After) and has bad moments (5xx). MSAL
 * neither waits nor retries: it fails the sign-in, and remembers the answer to fail the same
 * request again without sending it (60 s after a 5xx). As the Azure SDK's pipeline does for
 * ARM, this waits out a short Retry-After (or backs off after a 5xx) and asks again a few
 * times; an answer still busy after that, or one that asks for a long wait, ends the request
 * as a ServerError 'temporarily_unavailable' that carries the status and the wait, which
 * signInError() turns into words.
 */

export interface SignInRetryOptions {
  /** Requests sent again after the first; default 3. */
  maxRetries?: number
  /** A Retry-After longer than this is not waited out here; default 10 s. */
  maxWaitSeconds?: number
  /** How a wait is made (tests count them). */
  delay?: (ms: number) => Promise<void>
}

/** What a busy sign-in service asked for, on the ServerError this client ends with. */
export interface SignInBusy {
  status: number
  retryAfterSeconds?: number
}

const busy = (status: number) => status === 429 || (status >= 500 && status < 600)

export class RetryingNetworkClient implements INetworkModule {
  private readonly maxRetries: number
  private readonly maxWaitSeconds: number
  private readonly delay: (ms: number) => Promise<void>

  constructor(
    private readonly inner: INetworkModule,
    options: SignInRetryOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 3
    this.maxWaitSeconds = options.maxWaitSeconds ?? 10
    this.delay = options.delay ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.withRetries(() => this.inner.sendGetRequestAsync<T>(url, options, timeout))
  }

  sendPostRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.withRetries(() => this.inner.sendPostRequestAsync<T>(url, options))
  }

  private async withRetries<T>(
    send: () => Promise<NetworkResponse<T>>,
  ): Promise<NetworkResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      const response = await send()
      if (!busy(response.status)) return response
      const retryAfter = retryAfterSeconds(response.headers)
      // After a 5xx without Retry-After: 0.5 s, 1 s, 2 s.
      const wait = retryAfter ?? 0.5 * 2 ** attempt
      if (attempt >= this.maxRetries || wait > this.maxWaitSeconds)
        throw busyError(response.status, retryAfter)
      await this.delay(wait * 1000)
    }
  }
}

function busyError(status: number, retryAfter: number | undefined): ServerError & SignInBusy {
  const error = new ServerError(
    'temporarily_unavailable',
    '',
    `The sign-in service answered ${status}${retryAfter === undefined ? '' : ` and asked to wait ${retryAfter} s`}.`,
    undefined,
    undefined,
    status,
  )
  return Object.assign(error, {
    status,
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  })
}

/** Retry-After in seconds (a number or an HTTP date), if given. */
function retryAfterSeconds(headers: Record<string, string>): number | undefined {
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1]
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}
