import { describe, expect, it } from 'vitest'
import { changedByOf, uploadingPath, writerStamp } from '../../../electron/azure/files/collisions'
import { numberedName } from '../../../electron/azure/files/paths'
import { translate } from '../../../electron/azure/files/share-browser'
import { showInFolderWith } from '../../../electron/connect/show-in-folder'
import { RecordingLauncher } from '../connect/fake-launcher'

describe('"keep both" names', () => {
  it.each([
    ['analysis.ipynb', 1, 'analysis (1).ipynb'],
    ['analysis.ipynb', 2, 'analysis (2).ipynb'],
    ['archive.tar.gz', 1, 'archive.tar (1).gz'],
    ['README', 1, 'README (1)'],
    ['.bashrc', 1, '.bashrc (1)'],
    ['trailing.', 1, 'trailing. (1)'],
    ['notes (1).txt', 2, 'notes (2).txt'],
    ['results', 3, 'results (3)'],
  ])('%s, copy %d → %s', (name, n, expected) => {
    expect(numberedName(name, n)).toBe(expected)
  })
})

describe('who wrote a file', () => {
  const written = new Date('2026-12-06T08:00:00.123Z')

  it('is told only while its content is what this app wrote', () => {
    const stamp = writerStamp('Zoë Ångström <zoe@contoso.example>', written)
    expect(Object.values(stamp).join('')).toMatch(/^[\x20-\x7e]+$/)
    expect(changedByOf(stamp, written)).toBe('Zoë Ångström <zoe@contoso.example>')
    expect(changedByOf(stamp, new Date(written.getTime() + 1))).toBeUndefined()
    expect(changedByOf({}, written)).toBeUndefined()
    expect(changedByOf({ changedby: '%E0%A4%A', lastwrite: written.toISOString() }, written)).toBe(
      undefined,
    )
  })

  it('uploads go to a hidden file beside the target', () => {
    expect(uploadingPath('notebooks/ada/a.ipynb', '6f1c2a4e-1d7b-4c38')).toBe(
      'notebooks/ada/.a.ipynb.6f1c2a4e.uploading',
    )
    const long = 'x'.repeat(255)
    expect(uploadingPath(long, '6f1c2a4e').length).toBeLessThanOrEqual(255)
  })
})

describe('show in folder outside Electron', () => {
  it.each([
    ['win32', 'explorer.exe', ['/select,C:\\Users\\ada\\Downloads\\a (1).ipynb']],
    ['darwin', 'open', ['-R', 'C:\\Users\\ada\\Downloads\\a (1).ipynb']],
  ] as const)('%s selects the file', async (platform, command, args) => {
    const launcher = new RecordingLauncher()
    await showInFolderWith(launcher, platform)('C:\\Users\\ada\\Downloads\\a (1).ipynb')
    expect(launcher.launched).toEqual([{ command, args }])
  })

  it('Linux opens the folder', async () => {
    const launcher = new RecordingLauncher()
    await showInFolderWith(launcher, 'linux')('/home/ada/Downloads/a (1).ipynb')
    expect(launcher.launched).toEqual([{ command: 'xdg-open', args: ['/home/ada/Downloads'] }])
  })
})

describe('Azure Files errors in words', () => {
  it('a file open elsewhere says where to close it', () => {
    const error = translate(
      Object.assign(new Error('raw'), { code: 'SharingViolation', statusCode: 409 }),
      'notebooks/ada/model.ipynb',
    )
    expect(error).toMatchObject({
      code: 'Conflict',
      message:
        'model.ipynb is open elsewhere (on an instance or a mounted share). Close it there and try again.',
    })
  })

  it('a taken name says what is there and where', () => {
    expect(
      translate({ code: 'ResourceAlreadyExists', statusCode: 409 }, 'notebooks/ada/results'),
    ).toMatchObject({
      code: 'Conflict',
      message: 'Something named “results” is already in notebooks/ada. Choose another name.',
    })
  })
})
