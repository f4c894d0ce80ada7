import { randomBytes, randomInt } from 'node:crypto'
import type { SandboxReply, SandboxRequest } from '../core/http'
import { users, type SandboxUser } from '../seed/directory'
import {
  tenantAndClient,
  tokenTenantFor,
  userByUsername,
  type TenantSegment,
} from './directory-lookup'
import { deviceCodePage, doneDevicePage } from './pages'

const lifetimeSeconds = 900
/**
 * Entra asks for 5 s between polls; the sandbox asks for 1 s so that a device-code sign-in
 * against it completes without a noticeable wait.
 */
const intervalSeconds = 1
const userCodeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export interface PendingDeviceCode {
  userCode: string
  clientId: string
  scope: string
  segment: TenantSegment
  expiresAt: number
  lastPollAt?: number
  approvedBy?: SandboxUser
  declined?: boolean
}

export type DevicePoll =
  | { status: 'approved'; pending: PendingDeviceCode; user: SandboxUser }
  | {
      status:
        | 'authorization_pending'
        | 'authorization_declined'
        | 'expired_token'
        | 'slow_down'
        | 'bad_verification_code'
    }

/** /{tenant}/oauth2/v2.0/devicecode and the verification page where a person enters the code. */
export class DeviceCodeFlow {
  private readonly byDeviceCode = new Map<string, PendingDeviceCode>()

  constructor(private readonly verificationUri: () => string) {}

  start(req: SandboxRequest): SandboxReply {
    const form = new URLSearchParams(req.body.toString('utf8'))
    const checked = tenantAndClient(req.params.tenant!, form)
    if ('reply' in checked) return checked.reply
    const { segment, clientId } = checked
    this.dropExpired()
    const deviceCode = `DAQABAAEAAA${randomBytes(48).toString('base64url')}`
    const userCode = Array.from(
      { length: 9 },
      () => userCodeAlphabet[randomInt(userCodeAlphabet.length)],
    ).join('')
    this.byDeviceCode.set(deviceCode, {
      userCode,
      clientId,
      scope: form.get('scope') ?? '',
      segment,
      expiresAt: Date.now() + lifetimeSeconds * 1000,
    })
    const verificationUri = this.verificationUri()
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store, no-cache' },
      body: {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: lifetimeSeconds,
        interval: intervalSeconds,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
      },
    }
  }

  /** The token endpoint's view of a device code (grant_type device_code). */
  poll(deviceCode: string, clientId: string): DevicePoll {
    const pending = this.byDeviceCode.get(deviceCode)
    if (!pending || pending.clientId !== clientId) return { status: 'bad_verification_code' }
    const now = Date.now()
    if (pending.expiresAt < now) {
      this.byDeviceCode.delete(deviceCode)
      return { status: 'expired_token' }
    }
    if (pending.declined) {
      this.byDeviceCode.delete(deviceCode)
      return { status: 'authorization_declined' }
    }
    if (pending.approvedBy) {
      this.byDeviceCode.delete(deviceCode)
      return { status: 'approved', pending, user: pending.approvedBy }
    }
    // A client that polls at less than half the interval is told to slow down, as Entra does.
    const tooSoon =
      pending.lastPollAt !== undefined && now - pending.lastPollAt < (intervalSeconds * 1000) / 2
    pending.lastPollAt = now
    return { status: tooSoon ? 'slow_down' : 'authorization_pending' }
  }

  showVerification(req: SandboxRequest): SandboxReply {
    return deviceCodePage({ action: req.url.pathname, users, code: req.query('otc') ?? '' })
  }

  approve(req: SandboxRequest): SandboxReply {
    const form = new URLSearchParams(req.body.toString('utf8'))
    const entered = (form.get('otc') ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '')
    const pending = [...this.byDeviceCode.values()].find(
      (p) => p.userCode === entered && p.expiresAt > Date.now(),
    )
    const again = (error: string) =>
      deviceCodePage({ action: req.url.pathname, users, error, code: form.get('otc') ?? '' })
    if (!pending || pending.approvedBy || pending.declined) {
      return again('That code didn’t work. Check the code and try again.')
    }
    if (form.get('cancel')) {
      pending.declined = true
      return doneDevicePage('Sign-in cancelled. You can close this window.')
    }
    const user = userByUsername(form.get('username') ?? '')
    if (!user) return again('Pick one of the accounts below.')
    if (!tokenTenantFor(user, pending.segment)) {
      return again(
        `${user.username} is not a member of the directory this sign-in is for. Pick another account.`,
      )
    }
    pending.approvedBy = user
    return doneDevicePage(
      `You have signed in to the app as ${user.name} (${user.username}). You can close this window.`,
    )
  }

  private dropExpired(): void {
    const now = Date.now()
    for (const [code, pending] of this.byDeviceCode)
      if (pending.expiresAt < now) this.byDeviceCode.delete(code)
  }
}
