import { encrypt } from 'unixcrypt'
import { describe, expect, it } from 'vitest'
import {
  checkAccountPassword,
  hashAccountPassword,
  hashRounds,
  isSha512CryptHash,
  passwordMatches,
} from '../../../electron/azure/team/password-hash'

// Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512", the SHA-512 test vectors.
const specVectors = [
  {
    salt: '$6$saltstring',
    key: 'Hello world!',
    hash: '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
  },
  {
    salt: '$6$rounds=10000$saltstringsaltstring',
    key: 'Hello world!',
    hash: '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
  },
  {
    salt: '$6$rounds=5000$toolongsaltstring',
    key: 'This is just a test',
    hash: '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0',
  },
]

describe('pool account password hashing', () => {
  it.each(specVectors)('matches the specification’s vector for $salt', ({ salt, key, hash }) => {
    expect(encrypt(key, salt)).toBe(hash)
    expect(passwordMatches(key, hash)).toBe(true)
  })

  it('makes a salted $6$ hash that only the same password matches', () => {
    const first = hashAccountPassword('correct horse battery')
    const second = hashAccountPassword('correct horse battery')
    expect(first).toMatch(new RegExp(`^\\$6\\$rounds=${hashRounds}\\$[./0-9A-Za-z]{16}\\$`))
    expect(isSha512CryptHash(first)).toBe(true)
    // A new salt each time: two members with the same password get different hashes.
    expect(second).not.toBe(first)
    expect(first).not.toContain('correct horse battery')
    expect(passwordMatches('correct horse battery', first)).toBe(true)
    expect(passwordMatches('correct horse batterY', first)).toBe(false)
  })

  it('gives the same hash for a given salt and rounds (what an instance recomputes at sign-in)', () => {
    const hash = hashAccountPassword('correct horse battery', 'abcdefghijklmnop')
    expect(hash.startsWith(`$6$rounds=${hashRounds}$abcdefghijklmnop$`)).toBe(true)
    expect(encrypt('correct horse battery', `$6$rounds=${hashRounds}$abcdefghijklmnop`)).toBe(hash)
  })

  it('refuses short passwords and control characters with what to do', () => {
    expect(checkAccountPassword('short')).toBe('Use 12 or more characters.')
    expect(checkAccountPassword('twelve chars\nmore')).toMatch(/no tabs or line breaks/)
    expect(checkAccountPassword('a perfectly good one')).toBeUndefined()
    expect(() => hashAccountPassword('short')).toThrow(/Use 12 or more characters/)
  })

  it('accepts only SHA-512-crypt hashes', () => {
    expect(isSha512CryptHash(specVectors[0]!.hash)).toBe(true)
    expect(isSha512CryptHash('$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZF2eLeuHC')).toBe(
      false,
    )
    expect(isSha512CryptHash(`${specVectors[0]!.hash}\nroot::0:0`)).toBe(false)
    expect(isSha512CryptHash('plain password')).toBe(false)
  })
})
