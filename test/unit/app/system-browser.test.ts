import { describe, expect, it } from 'vitest'
import { browserCommand, openInSystemBrowser } from '../../../electron/system-browser'

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
})
