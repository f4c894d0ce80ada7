import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { defaultSettings, SettingsStore } from '../../../electron/settings/settings-store'

const fresh = () => join(mkdtempSync(join(tmpdir(), 'dsvm-settings-')), 'settings.json')

describe('settings store', () => {
  it('starts from the defaults and persists updates', () => {
    const file = fresh()
    const store = new SettingsStore(file)
    expect(store.get()).toEqual(defaultSettings)
    store.update({ theme: 'dark', chosenSubscriptionIds: ['00000000-0000-4000-8000-000000000001'] })
    expect(new SettingsStore(file).get()).toMatchObject({
      theme: 'dark',
      chosenSubscriptionIds: ['00000000-0000-4000-8000-000000000001'],
    })
  })

  it('saves a client id and goes back to the built-in registration on null', () => {
    const file = fresh()
    const store = new SettingsStore(file)
    store.update({ clientId: '11111111-2222-4333-8444-555555555555' })
    expect(new SettingsStore(file).get().clientId).toBe('11111111-2222-4333-8444-555555555555')
    store.update({ clientId: null })
    expect(new SettingsStore(file).get()).not.toHaveProperty('clientId')
    expect(readFileSync(file, 'utf8')).not.toContain('11111111')
  })

  it('refuses an invalid update and keeps the previous settings', () => {
    const store = new SettingsStore(fresh())
    expect(() => store.update({ theme: 'neon' as never })).toThrow()
    expect(store.get().theme).toBe('system')
  })

  it('replaces a corrupt file with the defaults and keeps it as .bak', () => {
    const file = fresh()
    writeFileSync(file, '{ "cloud": "AzureCloud", "theme": ')
    const onWarning = vi.fn()
    const store = new SettingsStore(file, { onWarning })
    expect(store.get()).toEqual(defaultSettings)
    expect(readFileSync(`${file}.bak`, 'utf8')).toContain('"theme": ')
    expect(onWarning).toHaveBeenCalledOnce()
  })

  it('treats a file that fails validation like a corrupt one', () => {
    const file = fresh()
    writeFileSync(file, JSON.stringify({ ...defaultSettings, cloud: 'Mars' }))
    expect(new SettingsStore(file).get()).toEqual(defaultSettings)
    expect(existsSync(`${file}.bak`)).toBe(true)
  })

  it('fills keys an older version did not write from the defaults', () => {
    const file = fresh()
    writeFileSync(file, JSON.stringify({ cloud: 'AzureUSGovernment' }))
    expect(new SettingsStore(file).get()).toEqual({
      ...defaultSettings,
      cloud: 'AzureUSGovernment',
    })
    expect(existsSync(`${file}.bak`)).toBe(false)
  })

  it('hands out copies, so callers cannot change the stored settings', () => {
    const store = new SettingsStore(fresh())
    store.get().chosenSubscriptionIds.push('x')
    expect(store.get().chosenSubscriptionIds).toEqual([])
  })
})
