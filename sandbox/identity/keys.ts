import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { JWK } from 'jose'
import type { SandboxState } from '../core/state'

/** The directory's token-signing key: RS256, as Entra signs tokens. */
export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  /** The public half as published in the JWKS document. */
  publicJwk: JWK
}

interface StoredKey {
  kid: string
  privateJwk: JWK
}

/**
 * Loads the signing key from the sandbox state, or makes one. It lives in the state so that
 * tokens issued before a restart with --state still verify afterwards.
 */
export function loadSigningKey(state: SandboxState, newId: () => string): SigningKey {
  const table = state.table<StoredKey>('identity-keys')
  let stored = table.get('signing')
  if (!stored) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    stored = table.set('signing', {
      kid: newId().replace(/-/g, '').slice(0, 27),
      privateJwk: privateKey.export({ format: 'jwk' }) as JWK,
    })
  }
  const privateKey = createPrivateKey({ key: stored.privateJwk as never, format: 'jwk' })
  const publicKey = createPublicKey(privateKey)
  const { n, e } = publicKey.export({ format: 'jwk' }) as JWK
  return {
    kid: stored.kid,
    privateKey,
    publicKey,
    publicJwk: { kty: 'RSA', use: 'sig', alg: 'RS256', kid: stored.kid, n, e },
  }
}
