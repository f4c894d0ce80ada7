import { ok } from './core/http'
import type { SandboxModule } from './core/module'

/**
 * A stand-in for the "what is my address" service the wizard asks (api.ipify.org answers
 * `{"ip":"…"}` to `?format=json`): offline there is no public address to find, so the
 * sandbox answers with one from the documentation range 203.0.113.0/24 (RFC 5737).
 */
export const sandboxPublicAddress = '203.0.113.57'

export const publicAddressModule: SandboxModule = {
  name: 'public-address',
  install(_ctx, router) {
    router.add({
      service: 'sandbox',
      method: 'GET',
      pattern: '/_sandbox/public-address',
      handler: () => ok({ ip: sandboxPublicAddress }),
    })
  },
}
