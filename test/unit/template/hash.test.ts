import { describe, expect, it } from 'vitest'
import { armGuid, uniqueString } from '../../../sandbox/arm/template/hash'

describe('uniqueString and guid', () => {
  it('matches the values Azure produces', () => {
    expect(uniqueString('test')).toBe('rbgf3xv4ufgzg')
    expect(uniqueString('hello', 'world')).toBe('a7wkljktk6wne')
    expect(
      uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg'),
    ).toBe('bmg7c6xu4tw46')
    expect(uniqueString('foo', 'bar', 'baz')).toBe('xzi4ioaxtmth4')
  })

  it('is 13 characters of a-z and 2-7, and case-sensitive', () => {
    const value = uniqueString('Pool')
    expect(value).toMatch(/^[a-z2-7]{13}$/)
    expect(uniqueString('pool')).not.toBe(value)
  })

  it('makes deterministic version 5 GUIDs', () => {
    const guid = armGuid('a', 'b')
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(armGuid('a', 'b')).toBe(guid)
    expect(armGuid('a-b')).toBe(guid)
    expect(armGuid('b', 'a')).not.toBe(guid)
  })
})
