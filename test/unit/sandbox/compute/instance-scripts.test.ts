import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  exportedVariables,
  loadInstanceScripts,
  planExtension,
} from '../../../../sandbox/arm/compute/extensions/instance-scripts'

const dir = mkdtempSync(join(tmpdir(), 'instance-scripts-'))
const ours = '#!/bin/bash\nset -euo pipefail\necho "mounting $SHARE_NAME"\n'
writeFileSync(join(dir, 'mount-share.sh'), ours)
const accounts = '#!/bin/bash\necho "accounts"\n'
writeFileSync(join(dir, 'pool-accounts.sh'), accounts)
writeFileSync(join(dir, 'notes.txt'), 'not a script')
const known = loadInstanceScripts([join(dir, 'missing'), dir])

const customScript = (script: string, compress = false) => ({
  name: 'mount-share',
  properties: {
    publisher: 'Microsoft.Azure.Extensions',
    type: 'CustomScript',
    typeHandlerVersion: '2.1',
    protectedSettings: {
      script: (compress ? gzipSync(script) : Buffer.from(script)).toString('base64'),
    },
  },
})

const wrapper = (body: string) =>
  `#!/bin/sh\nexport SHARE_NAME='notebooks' MOUNT_POINT='/mnt/share'\nexport STORAGE_ACCOUNT_KEY='a2V5Kz0='\nrm -rf / # never run\ncat >"$s" <<'END_OF_SCRIPT'\n${body}\nEND_OF_SCRIPT\n/bin/bash "$s"\n`

describe('which extensions the sandbox runs', () => {
  it('loads only shell scripts, from the first folder that exists', () => {
    expect(known.map((k) => k.name)).toEqual(['mount-share.sh', 'pool-accounts.sh'])
  })

  it('runs a known script embedded in the wrapper, with the variables the wrapper exports', () => {
    const plan = planExtension(customScript(wrapper(ours)), known)
    expect(plan).toMatchObject({
      kind: 'run',
      scripts: [{ name: 'mount-share.sh' }],
      env: { SHARE_NAME: 'notebooks', MOUNT_POINT: '/mnt/share', STORAGE_ACCOUNT_KEY: 'a2V5Kz0=' },
    })
  })

  it("runs every known script of a bundle in the bundle's order, with the variables it exports", () => {
    const hubDir = mkdtempSync(join(tmpdir(), 'instance-scripts-'))
    // A script's own here-document is part of that script, not of the wrapper.
    const hub = `#!/bin/bash\ncat >config.py <<'PY'\nprint("hub")\nPY\necho "jupyterhub for $JUPYTERHUB_CLIENT_ID"\n`
    writeFileSync(join(hubDir, 'mount-share.sh'), ours)
    writeFileSync(join(hubDir, 'jupyterhub-entra.sh'), hub)
    const both = loadInstanceScripts([hubDir])
    const bundle = `#!/bin/sh\nexport SHARE_NAME='notebooks'\ncat >"$h" <<'HUB'\n${hub}\nHUB\nexport JUPYTERHUB_CLIENT_ID='abc'\n/bin/bash "$h"\ncat >"$s" <<'SHARE'\n${ours}\nSHARE\n/bin/bash "$s"\n`
    const plan = planExtension(customScript(bundle), both)
    expect(plan).toMatchObject({
      kind: 'run',
      scripts: [{ name: 'jupyterhub-entra.sh' }, { name: 'mount-share.sh' }],
      env: { SHARE_NAME: 'notebooks', JUPYTERHUB_CLIENT_ID: 'abc' },
    })
  })

  it('runs every script the wrapper writes out, in order, only when all are known', () => {
    const both = `export POOL_ACCOUNTS='YWxhbgk='\ncat >"$a" <<'ACCOUNTS'\n${accounts}\nACCOUNTS\n/bin/bash "$a"\n${wrapper(ours)}`
    expect(planExtension(customScript(both), known)).toMatchObject({
      kind: 'run',
      scripts: [{ name: 'pool-accounts.sh' }, { name: 'mount-share.sh' }],
      env: { POOL_ACCOUNTS: 'YWxhbgk=', SHARE_NAME: 'notebooks' },
    })
    const oneUnknown = both.replace('echo "accounts"', 'echo "something else"')
    expect(planExtension(customScript(oneUnknown), known)).toMatchObject({ kind: 'notEmulated' })
  })

  it('recognises the whole script, gzipped as the extension allows', () => {
    expect(planExtension(customScript(ours, true), known)).toMatchObject({ kind: 'run' })
  })

  it('never runs a script that differs by one character, nor another extension', () => {
    const changed = wrapper(ours.replace('mounting', 'Mounting'))
    expect(planExtension(customScript(changed), known)).toMatchObject({ kind: 'notEmulated' })
    expect(
      planExtension(
        { name: 'x', properties: { publisher: 'Microsoft.Azure.Monitor', type: 'Agent' } },
        known,
      ),
    ).toMatchObject({ kind: 'notEmulated' })
    expect(
      planExtension(
        {
          name: 'x',
          properties: {
            publisher: 'Microsoft.Azure.Extensions',
            type: 'CustomScript',
            settings: { commandToExecute: 'bash mount-share.sh' },
          },
        },
        known,
      ),
    ).toMatchObject({ kind: 'notEmulated' })
  })

  it('takes only plain quoted assignments from export lines', () => {
    expect(
      exportedVariables("export A='1' B='two words'\nexport C=$(id)\nexport D='4' E=$HOME\n"),
    ).toEqual({ A: '1', B: 'two words' })
  })

  it('takes plain unquoted words too, as the template writes KEY_SOURCE', () => {
    expect(
      exportedVariables(
        "export KEY_SOURCE=identity IDENTITY_CLIENT_ID='0b6c'\nexport X=a*b\nexport Y=`id`\n",
      ),
    ).toEqual({ KEY_SOURCE: 'identity', IDENTITY_CLIENT_ID: '0b6c' })
  })
})
