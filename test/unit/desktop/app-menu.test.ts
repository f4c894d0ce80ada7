import { describe, expect, it } from 'vitest'
import { aboutText, appMenuTemplate } from '../../../electron/desktop/app-menu'

describe('application menu', () => {
  const labels = (platform: NodeJS.Platform) => {
    const clicked: string[] = []
    const menu = appMenuTemplate(platform, 'DSVM Pool Manager', {
      checkForUpdates: () => clicked.push('check'),
      about: () => clicked.push('about'),
    })
    return { menu, clicked }
  }

  it('puts the update check and About under Help on Windows and Linux', () => {
    const { menu, clicked } = labels('linux')
    expect(menu.map((m) => m.label)).toEqual(['File', 'Edit', 'Window', 'Help'])
    const help = menu.at(-1)!.submenu as Array<{ label?: string; click?: () => void }>
    help.find((i) => i.label === 'Check for Updates…')!.click!()
    help.find((i) => i.label === 'About DSVM Pool Manager')!.click!()
    expect(clicked).toEqual(['check', 'about'])
  })

  it('puts them in the app menu on macOS, with Edit for the clipboard keys', () => {
    const { menu } = labels('darwin')
    expect(menu[0]!.label).toBe('DSVM Pool Manager')
    const first = menu[0]!.submenu as Array<{ label?: string; role?: string }>
    expect(first.slice(0, 2).map((i) => i.label)).toEqual([
      'About DSVM Pool Manager',
      'Check for Updates…',
    ])
    expect(first.at(-1)!.role).toBe('quit')
    expect(menu[1]!.label).toBe('Edit')
  })

  it('has no developer tools', () => {
    const text = JSON.stringify([labels('linux').menu, labels('darwin').menu])
    expect(text).not.toMatch(/toggleDevTools|reload/i)
  })

  it('About names the version first', () => {
    const text = aboutText({
      productName: 'DSVM Pool Manager',
      version: '0.2.0',
      electron: '45.5.0',
      chrome: '142.0',
      node: '24.9.0',
      platform: 'linux',
      arch: 'x64',
    })
    expect(text.message).toBe('DSVM Pool Manager 0.2.0')
    expect(text.detail.split('\n')[0]).toBe('Version 0.2.0')
  })
})
