import { describe, expect, it } from 'vitest'
import { renewWithinDays, secretTiming } from '../../../electron/azure/team/jupyterhub-setup'

const day = 86_400_000
const now = Date.UTC(2026, 11, 6, 12, 0)
const ending = (ms: number) => ({
  keyId: String(ms),
  endDateTime: new Date(now + ms).toISOString(),
})

describe('when the JupyterHub secret is due for renewal', () => {
  it('is not due while the newest secret lasts longer than the renewal window', () => {
    const timing = secretTiming({ passwordCredentials: [ending(400 * day)] }, now)
    expect(timing).toEqual({ endsAt: new Date(now + 400 * day).toISOString(), renewDue: false })
  })

  it(`is due within ${renewWithinDays} days of the end, and after it`, () => {
    expect(
      secretTiming({ passwordCredentials: [ending(renewWithinDays * day)] }, now).renewDue,
    ).toBe(true)
    expect(secretTiming({ passwordCredentials: [ending(-day)] }, now).renewDue).toBe(true)
    expect(
      secretTiming({ passwordCredentials: [ending((renewWithinDays + 1) * day)] }, now).renewDue,
    ).toBe(false)
  })

  it('goes by the newest secret when a renewal left two, and is due when there is none', () => {
    const timing = secretTiming({ passwordCredentials: [ending(5 * day), ending(700 * day)] }, now)
    expect(timing.renewDue).toBe(false)
    expect(timing.endsAt).toBe(new Date(now + 700 * day).toISOString())
    expect(secretTiming({ passwordCredentials: [] }, now)).toEqual({ renewDue: true })
  })
})
