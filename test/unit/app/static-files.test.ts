import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../../electron/web/csp'
import { readStaticFile, resolveStaticPath } from '../../../electron/web/static-files'

describe('static renderer files', () => {
  const root = mkdtempSync(join(tmpdir(), 'dsvm-static-'))
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'index.html'), '<!doctype html>')
  writeFileSync(join(root, 'assets', 'app.js'), '1')

  it.each([
    '/../secret',
    '/%2e%2e/secret',
    '/assets/../../secret',
    '/..%2f..%2fsecret',
    '/a%5c..%5c..%5csecret',
    '/%00',
    '/%E0%A4%A',
  ])('refuses %s', (path) => {
    const resolved = resolveStaticPath(root, path)
    if (resolved !== undefined) expect(resolved.startsWith(root + sep)).toBe(true)
  })

  it('serves files and falls back to index.html for routes only', async () => {
    expect((await readStaticFile(root, '/assets/app.js'))?.contentType).toContain('javascript')
    expect((await readStaticFile(root, '/'))?.isHtml).toBe(true)
    expect((await readStaticFile(root, '/pools/team'))?.isHtml).toBe(true)
    expect(await readStaticFile(root, '/assets/missing.js')).toBeUndefined()
    expect(await readStaticFile(root, '/assets')).toBeDefined()
  })
})

describe('content security policy', () => {
  it('allows only the app’s own scripts and styles', () => {
    const csp = contentSecurityPolicy()
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toMatch(/unsafe-(inline|eval)/)
  })

  it('relaxes only for the Vite dev server, and only towards it', () => {
    const csp = contentSecurityPolicy({ devServer: 'http://localhost:5173' })
    expect(csp).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173")
    expect(csp).toContain('ws://localhost:5173')
    expect(csp).not.toContain('unsafe-eval')
  })
})
