import { describe, expect, it } from 'vitest'
import { checkAccountName, isValidShareName } from '../../../../sandbox/arm/storage/names'
import { compareNames, normalizeAttributes } from '../../../../sandbox/files/namespace'
import { parseRange } from '../../../../sandbox/files/ranges'

describe('storage account names', () => {
  const taken = (name: string) => name === 'takenname'
  it.each(['abc', 'a1b2c3', 'x'.repeat(24)])('accepts %s', (name) => {
    expect(checkAccountName(name, taken)).toEqual({ nameAvailable: true })
  })
  it.each(['ab', 'x'.repeat(25), 'Upper', 'with-dash', 'under_score', 'spa ce', 'ünïcode'])(
    'refuses %s',
    (name) => {
      expect(checkAccountName(name, taken)).toMatchObject({
        nameAvailable: false,
        reason: 'AccountNameInvalid',
      })
    },
  )
  it('reports a taken name', () => {
    expect(checkAccountName('takenname', taken)).toEqual({
      nameAvailable: false,
      reason: 'AlreadyExists',
      message: 'The storage account named takenname is already taken.',
    })
  })
})

describe('share names', () => {
  it.each(['abc', 'team-share', 'a1-b2', 'x'.repeat(63)])('accepts %s', (name) =>
    expect(isValidShareName(name)).toBe(true),
  )
  it.each(['ab', 'x'.repeat(64), '-lead', 'trail-', 'double--dash', 'Upper', 'dot.ted'])(
    'refuses %s',
    (name) => expect(isValidShareName(name)).toBe(false),
  )
})

describe('byte ranges', () => {
  it('reads closed and open ranges', () => {
    expect(parseRange('bytes=0-4194303')).toEqual({ start: 0, end: 4194303 })
    expect(parseRange('bytes=100-')).toEqual({ start: 100 })
  })
  it.each(['bytes=5-4', 'bytes=-5', 'items=0-1', 'bytes=a-b', ''])('refuses %j', (value) => {
    expect(parseRange(value)).toBeUndefined()
  })
})

describe('listing order and attributes', () => {
  it('sorts names case-insensitively, as the service lists them', () => {
    expect(['b.txt', 'A.txt', 'a.txt', 'C'].sort(compareNames)).toEqual([
      'A.txt',
      'a.txt',
      'b.txt',
      'C',
    ])
  })
  it('normalizes attributes per kind', () => {
    expect(normalizeAttributes(undefined, 'file')).toBe('Archive')
    expect(normalizeAttributes('None', 'directory')).toBe('Directory')
    expect(normalizeAttributes('Archive|readonly', 'file')).toBe('ReadOnly | Archive')
  })
})
