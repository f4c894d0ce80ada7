import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { importParameterFile } from '../../../shared/parameter-file'
import {
  initialDraft,
  localTimeZone,
  mergeImported,
  problemAt,
  problemsOf,
  renamePool,
  stepProblems,
  withField,
} from '../../../renderer/screens/wizard/draft'

const subscriptionId = '00000000-0000-4000-8000-000000000001'

describe('wizard answers', () => {
  it('starts without address ranges or key, and says so on the Access step only', () => {
    const draft = initialDraft(subscriptionId)
    const problems = problemsOf(draft)
    expect(stepProblems(problems, 'basics')).toEqual({})
    expect(Object.keys(stepProblems(problems, 'access')).sort()).toEqual([
      'allowedSourceRanges',
      'sshPublicKey',
    ])
    expect(problemAt(problems, 'allowedSourceRanges')).toBe(
      'Add at least one address range that may connect.',
    )
  })

  it('renames what was named after the pool, but not what the person changed', () => {
    const draft = withField(
      initialDraft(subscriptionId, 'alpha'),
      'storage.accountName',
      'ourfiles',
    )
    const renamed = renamePool(draft, 'beta')
    expect(renamed.resourceGroup.name).toBe('beta-rg')
    expect(renamed.network).toEqual({ access: 'Public', dnsLabel: 'beta' })
    expect(renamed.storage.accountName).toBe('ourfiles')
    // The original is untouched (the store replaces, never mutates).
    expect(draft.poolName).toBe('alpha')
  })

  it("lays Microsoft's sample parameter file over the answers without taking its placeholders", () => {
    const text = readFileSync(
      resolve(import.meta.dirname, '../../fixtures/dsvm-vmss-cluster.parameters.json'),
      'utf8',
    )
    const imported = importParameterFile(text, { uniqueName: () => 'labpoolx' })
    const merged = mergeImported(initialDraft(subscriptionId), imported.spec)
    expect(merged).toMatchObject({
      // GEN-UNIQUE-8 asks for a unique name: the pool takes one, and what is named after it.
      poolName: 'labpoolx',
      resourceGroup: { mode: 'new', name: 'labpoolx-rg' },
      vmSku: 'Standard_D2s_v3',
      instanceCount: 2,
      adminUsername: 'dsvmuser',
      // Its storage account and share names are placeholders: names from the pool's stay proposed.
      storage: { mode: 'new', accountName: 'labpoolxfiles', mountpointPath: '/mnt/dsvmshare' },
    })
    expect(imported.notUnderstood.map((n) => n.parameter)).toContain('storageAccountName')
  })

  it('sets nested answers by path', () => {
    const draft = withField(initialDraft(subscriptionId), 'autoscale.schedule.start', '07:30')
    expect(draft.autoscale.schedule?.start).toBe('07:30')
    expect(problemsOf(withField(draft, 'autoscale.schedule.end', '07:00'))).toMatchObject({
      'autoscale.schedule.end': 'Working hours must end after they start on the same day.',
    })
  })

  it("proposes working hours in this computer's time zone, named as autoscale names it", () => {
    const zone = (timeZone: string) =>
      vi
        .spyOn(Intl, 'DateTimeFormat')
        .mockReturnValue({ resolvedOptions: () => ({ timeZone }) } as Intl.DateTimeFormat)
    zone('Europe/Berlin')
    expect(localTimeZone()).toBe('W. Europe Standard Time')
    expect(initialDraft(subscriptionId).autoscale.schedule?.timeZone).toBe(
      'W. Europe Standard Time',
    )
    zone('Mars/Olympus_Mons')
    expect(localTimeZone()).toBe('UTC')
    vi.restoreAllMocks()
  })
})
