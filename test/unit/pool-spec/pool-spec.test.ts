import { describe, expect, it } from 'vitest'
import { azCommands, shellQuote } from '../../../shared/az-commands'
import {
  defaultPoolSpec,
  poolDeploymentName,
  suggestStorageAccountName,
  validatePoolSpec,
} from '../../../shared/pool-spec'
import { knownWindowsTimeZones, windowsTimeZone } from '../../../shared/time-zones'
import { linuxSpec } from './specs'

const problemsOf = (input: unknown) => {
  const result = validatePoolSpec(input)
  return result.ok ? {} : result.problems
}

describe('pool spec validation', () => {
  it('accepts complete answers', () => {
    expect(validatePoolSpec(linuxSpec()).ok).toBe(true)
  })

  it('the defaults plus subscription, group, region, key and ranges make a valid spec', () => {
    const result = validatePoolSpec({
      ...defaultPoolSpec('labpool'),
      subscriptionId: '00000000-0000-4000-8000-000000000001',
      resourceGroup: { mode: 'new', name: 'lab' },
      location: 'eastus',
      sshPublicKey: linuxSpec().sshPublicKey,
      allowedSourceRanges: ['198.51.100.0/24'],
    })
    expect(result).toMatchObject({
      ok: true,
      spec: { storage: { accountName: 'labpoolfiles' }, network: { dnsLabel: 'labpool' } },
    })
  })

  it('names what is missing in words a person understands', () => {
    const problems = problemsOf({ ...defaultPoolSpec(), allowedSourceRanges: [] })
    expect(problems).toMatchObject({
      subscriptionId: 'Choose a subscription.',
      resourceGroup: 'Choose a resource group or name a new one.',
      location: 'Choose a region.',
      allowedSourceRanges: 'Add at least one address range that may connect.',
    })
  })

  it('Linux needs an SSH key, Windows a password with Azure complexity', () => {
    expect(problemsOf({ ...linuxSpec(), sshPublicKey: undefined })).toEqual({
      sshPublicKey: 'Linux pools sign in with an SSH key: generate one or pick a public key.',
    })
    const windows = {
      ...linuxSpec(),
      osType: 'Windows',
      sshPublicKey: undefined,
      storage: { ...linuxSpec().storage, mountpointPath: 'Z:' },
    }
    expect(problemsOf(windows)).toEqual({
      adminPassword: 'Windows pools need an administrator password.',
    })
    expect(problemsOf({ ...windows, adminPassword: 'short' })).toEqual({
      adminPassword: 'The password must be at least 12 characters long.',
    })
    expect(validatePoolSpec({ ...windows, adminPassword: 'Correct-Horse-42!' }).ok).toBe(true)
  })

  it('checks the mount point and pool name against the operating system', () => {
    expect(
      problemsOf({ ...linuxSpec(), osType: 'Windows', adminPassword: 'Correct-Horse-42!' }),
    ).toMatchObject({ 'storage.mountpointPath': expect.stringMatching(/drive letter/) })
    expect(
      problemsOf({
        ...linuxSpec(),
        poolName: 'research-pool',
        osType: 'Windows',
        adminPassword: 'Correct-Horse-42!',
        storage: { ...linuxSpec().storage, mountpointPath: 'Z:' },
      }),
    ).toEqual({ poolName: expect.stringMatching(/first 9 characters/) })
  })

  it('says what is wrong with a number in words, never in zod’s own terms', () => {
    const base = linuxSpec()
    expect(problemsOf({ ...base, instanceCount: -1 })).toEqual({
      instanceCount: 'The number of instances must be a whole number from 0 to 100.',
    })
    expect(problemsOf({ ...base, instanceCount: 2.5 })).toEqual({
      instanceCount: 'The number of instances must be a whole number from 0 to 100 (not 2.5).',
    })
    expect(problemsOf({ ...base, autoscale: { ...base.autoscale, maximum: 0 } })).toMatchObject({
      'autoscale.maximum': 'The maximum must be a whole number from 1 to 100.',
    })
    expect(problemsOf({ ...base, priority: 'Spot', maxPrice: Number.NaN })).toEqual({
      maxPrice: 'Enter the highest price as a number, such as 0.25, or -1.',
    })
    for (const message of Object.values(
      problemsOf({ ...base, instanceCount: 1000, autoscale: { ...base.autoscale, minimum: -3 } }),
    ))
      expect(message).not.toMatch(/Too (small|big)|Invalid input|expected/)
  })

  it('autoscale: min <= default <= max, working hours end after they start, known time zone', () => {
    const base = linuxSpec()
    // Minimum above maximum is one problem, not also a default "between 5 and 3".
    expect(
      problemsOf({
        ...base,
        instanceCount: 3,
        autoscale: { ...base.autoscale, minimum: 5, maximum: 3, default: 3 },
      }),
    ).toEqual({ 'autoscale.minimum': 'The minimum (5) cannot be above the maximum (3).' })
    expect(problemsOf({ ...base, autoscale: { ...base.autoscale, default: 9 } })).toMatchObject({
      'autoscale.default': 'The default (9) must be between the minimum (0) and the maximum (4).',
    })
    const schedule = base.autoscale.schedule!
    expect(
      problemsOf({
        ...base,
        autoscale: { ...base.autoscale, schedule: { ...schedule, start: '18:00', end: '08:00' } },
      }),
    ).toEqual({
      'autoscale.schedule.end': 'Working hours must end after they start on the same day.',
    })
    expect(
      problemsOf({
        ...base,
        autoscale: { ...base.autoscale, schedule: { ...schedule, timeZone: 'Mars/Olympus' } },
      }),
    ).toEqual({
      'autoscale.schedule.timeZone':
        "Time zone 'Mars/Olympus' is not one Azure autoscale knows; pick one from the list.",
    })
    expect(
      problemsOf({
        ...base,
        autoscale: { ...base.autoscale, schedule: { ...schedule, start: '8am' } },
      }),
    ).toMatchObject({ 'autoscale.schedule.start': 'Use a 24-hour time such as 08:00 or 18:30.' })
  })

  it('Spot price cap: above zero or -1; the pool tag is the app’s own', () => {
    expect(problemsOf({ ...linuxSpec(), priority: 'Spot', maxPrice: 0 })).toEqual({
      maxPrice: 'Enter a price per hour above 0, or -1 to pay up to the regular price.',
    })
    expect(problemsOf({ ...linuxSpec(), tags: { 'dsvm-pool': 'x' } })).toEqual({
      tags: "The tag 'dsvm-pool' is set by the app to the pool name.",
    })
  })

  it('suggests names and a deterministic deployment name', () => {
    expect(suggestStorageAccountName('team-pool-2')).toBe('teampool2files')
    expect(suggestStorageAccountName('a'.repeat(40))).toBe(`${'a'.repeat(19)}files`)
    expect(poolDeploymentName('teampool')).toBe('dsvm-pool-teampool')
    expect(poolDeploymentName('teampool')).toBe(poolDeploymentName('teampool'))
  })
})

describe('time zones for autoscale', () => {
  it('takes IANA and Windows names and gives the Windows name', () => {
    expect(windowsTimeZone('Europe/Berlin')).toBe('W. Europe Standard Time')
    expect(windowsTimeZone('w. europe standard time')).toBe('W. Europe Standard Time')
    expect(windowsTimeZone('America/New_York')).toBe('Eastern Standard Time')
    expect(windowsTimeZone('UTC')).toBe('UTC')
    expect(windowsTimeZone('Mars/Olympus')).toBeUndefined()
    expect(knownWindowsTimeZones).toContain('Tokyo Standard Time')
  })
})

describe('the equivalent az commands', () => {
  it('creates the group and deploys the exported parameter file', () => {
    const commands = azCommands(linuxSpec(), { deploymentName: 'dsvm-pool-teampool' })
    expect(commands).toEqual([
      [
        'az group create',
        '--subscription 00000000-0000-4000-8000-000000000001',
        '--name ml-pools',
        '--location westeurope',
        '--tags team=ml dsvm-pool=teampool',
      ].join(' \\\n  '),
      [
        'az deployment group create',
        '--subscription 00000000-0000-4000-8000-000000000001',
        '--resource-group ml-pools',
        '--name dsvm-pool-teampool',
        '--template-file dsvm-pool.json',
        '--parameters @dsvm-pool.parameters.json',
      ].join(' \\\n  '),
    ])
  })

  it('never contains a secret: the password is typed, and no storage key (the identity reads it)', () => {
    const spec = linuxSpec({
      osType: 'Windows',
      sshPublicKey: undefined,
      adminPassword: 'Correct-Horse-42!',
      resourceGroup: { mode: 'existing', name: 'ml-pools(eu)' },
      storage: {
        mode: 'existing',
        accountName: 'teamfiles',
        accountResourceGroup: 'shared-files',
        shareName: 'projects',
        mountpointPath: 'Z:',
      },
    })
    const text = azCommands(spec, { deploymentName: 'dsvm-pool-teampool' }).join('\n')
    expect(text).not.toContain('Correct-Horse-42!')
    expect(text).not.toContain('az group create')
    expect(text).toContain("read -rsp 'Administrator password for the pool: ' DSVM_ADMIN_PASSWORD")
    // The password reaches az on its standard input, never on a command line.
    expect(text).toContain(`printf '%s' "$DSVM_ADMIN_PASSWORD" | az deployment group create`)
    expect(text).toContain('--parameters adminPassword=@-')
    expect(text).not.toMatch(/adminPassword="?\$/)
    expect(text.split('\n').at(-1)).toBe('unset DSVM_ADMIN_PASSWORD')
    expect(text).not.toContain('storageAccountKey')
    expect(text).not.toContain('keys list')
    expect(text).toContain("--resource-group 'ml-pools(eu)'")
  })

  it('quotes values for the shell', () => {
    expect(shellQuote('plain-value_1.2')).toBe('plain-value_1.2')
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('a b')).toBe("'a b'")
  })
})

describe('tags', () => {
  it("follow Azure's rules for names and values, leaving room for the pool's own tags", () => {
    expect(problemsOf({ ...linuxSpec(), tags: { 'cost/center': 'x' } })).toEqual({
      'tags.cost/center': 'Tag names cannot contain < > % & \\ ? or /.',
    })
    expect(problemsOf({ ...linuxSpec(), tags: { team: 'x'.repeat(257) } })).toEqual({
      'tags.team': 'Tag values can be at most 256 characters long.',
    })
    const many = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, 'v']))
    expect(problemsOf({ ...linuxSpec(), tags: many })).toEqual({
      tags: 'At most 47 tags: Azure allows 50 and the app adds 3 of its own.',
    })
  })
})
