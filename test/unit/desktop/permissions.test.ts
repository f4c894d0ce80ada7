import { describe, expect, it } from 'vitest'
import { isPermissionAllowed } from '../../../electron/desktop/permissions'

describe('permission requests', () => {
  const page = 'app://dsvm/index.html'

  it('lets the app page write to the clipboard (the device code Copy button)', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://dsvm', page)).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://dsvm/index.html', page)).toBe(
      true,
    )
  })

  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'openExternal',
    'hid',
    'fullscreen',
    'unknown',
  ])('denies %s even to the app page', (permission) => {
    expect(isPermissionAllowed(permission, 'app://dsvm', page)).toBe(false)
  })

  it('denies the clipboard to any other origin', () => {
    expect(
      isPermissionAllowed('clipboard-sanitized-write', 'https://login.microsoftonline.com', page),
    ).toBe(false)
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, page)).toBe(false)
    expect(isPermissionAllowed('clipboard-sanitized-write', '', page)).toBe(false)
  })
})
