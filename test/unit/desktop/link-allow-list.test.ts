import { describe, expect, it } from 'vitest'
import { LinkAllowList } from '../../../electron/desktop/link-allow-list'

describe('link allow-list', () => {
  const links = new LinkAllowList()

  it.each([
    'https://portal.azure.com/#@contoso.example/resource/subscriptions/x',
    'https://portal.azure.us/',
    'https://portal.azure.cn/#home',
    'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=x',
    'https://login.microsoftonline.us/organizations/oauth2/v2.0/authorize',
    'https://login.chinacloudapi.cn/common/oauth2/v2.0/authorize',
    'https://microsoft.com/devicelogin',
    'https://learn.microsoft.com/entra/identity-platform/quickstart-register-app',
  ])('opens %s', (url) => {
    expect(links.isAllowed(url)).toBe(true)
  })

  it.each([
    ['a look-alike host', 'https://portal.azure.com.evil.example/'],
    ['a subdomain trick', 'https://evil.example/?https://portal.azure.com'],
    ['plain http to a portal', 'http://portal.azure.com/'],
    ['another port', 'https://portal.azure.com:8443/'],
    ['credentials in the URL', 'https://user:pass@portal.azure.com/'],
    ['a file URL', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['a custom scheme', 'ms-settings:privacy'],
    ['a UNC-style smb URL', 'smb://server/share'],
    ['not a URL', 'portal.azure.com'],
    ['an unknown site', 'https://example.com/'],
  ])('refuses %s', (_label, url) => {
    expect(links.isAllowed(url)).toBe(false)
  })

  it('allows an added origin (the running sandbox) until it is removed', () => {
    const list = new LinkAllowList()
    const sandbox = 'https://localhost:49152'
    expect(list.isAllowed(`${sandbox}/72f988bf/oauth2/v2.0/authorize`)).toBe(false)
    const remove = list.allow(sandbox)
    expect(list.isAllowed(`${sandbox}/72f988bf/oauth2/v2.0/authorize`)).toBe(true)
    expect(list.isAllowed('https://localhost:49153/')).toBe(false)
    remove()
    expect(list.isAllowed(`${sandbox}/`)).toBe(false)
  })

  it('allows plain http only for an origin added explicitly (a pool’s JupyterHub)', () => {
    const list = new LinkAllowList()
    const remove = list.allow('http://20.1.2.3:8000')
    expect(list.isAllowed('http://20.1.2.3:8000/hub/login')).toBe(true)
    expect(list.isAllowed('http://20.1.2.3:8001/')).toBe(false)
    remove()
    expect(list.isAllowed('http://20.1.2.3:8000/hub/login')).toBe(false)
  })

  it('counts additions so one removal does not drop an origin still in use', () => {
    const list = new LinkAllowList()
    const first = list.allow('https://10.0.0.4:8000')
    const second = list.allow('https://10.0.0.4:8000')
    first()
    first()
    expect(list.isAllowed('https://10.0.0.4:8000/')).toBe(true)
    second()
    expect(list.isAllowed('https://10.0.0.4:8000/')).toBe(false)
  })

  it('refuses to add something that is not a web origin', () => {
    expect(() => new LinkAllowList().allow('file:///tmp')).toThrow()
  })
})
