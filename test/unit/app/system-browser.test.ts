import { describe, expect, it } from 'vitest'
import {
  browserCommand,
  openInSystemBrowser,
  screenReachable,
} from '../../../electron/web/system-browser'

describe('system browser opener (web mode)', () => {
  const url = 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?a=1&b=2;rm -rf ~'

  it.each([
    ['linux', 'xdg-open', [url]],
    ['darwin', 'open', [url]],
    ['win32', 'rundll32.exe', ['url.dll,FileProtocolHandler', url]],
  ] as const)(
    'on %s runs %s with the URL as one argument (no shell)',
    (platform, command, args) => {
      expect(browserCommand(url, platform)).toEqual([command, args])
    },
  )

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ms-settings:'])(
    'refuses %s',
    async (bad) => {
      await expect(openInSystemBrowser(bad)).rejects.toThrow(/Refusing/)
    },
  )

  it('knows a Linux process without a display cannot show a browser', () => {
    expect(screenReachable('linux', {})).toBe(false)
    expect(screenReachable('linux', { DISPLAY: ':0' })).toBe(true)
    expect(screenReachable('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true)
    expect(screenReachable('darwin', {})).toBe(true)
    expect(screenReachable('win32', {})).toBe(true)
  })

  it('does not try to open a page where no display exists', async () => {
    await expect(
      openInSystemBrowser('https://example.com/', { platform: 'linux', env: {} }),
    ).rejects.toThrow(/No display/)
  })

  it('fails when the opener is missing or reports a failure, and succeeds when it hands over', async () => {
    const url = 'https://example.com/'
    // Only the opener's own exit decides here, however slowly it starts.
    const settleMs = 600_000
    await expect(
      openInSystemBrowser(url, { command: ['/nonexistent/xdg-open', [url]] }),
    ).rejects.toThrow(/ENOENT/)
    // xdg-open exits 3 when it finds no browser.
    await expect(
      openInSystemBrowser(url, {
        command: [process.execPath, ['-e', 'process.exit(3)']],
        settleMs,
      }),
    ).rejects.toThrow(/exit 3/)
    await expect(
      openInSystemBrowser(url, {
        command: [process.execPath, ['-e', 'process.exit(0)']],
        settleMs,
      }),
    ).resolves.toBeUndefined()
  })
})
