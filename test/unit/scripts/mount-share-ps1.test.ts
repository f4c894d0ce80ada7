import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The Windows mount script cannot run here (no PowerShell, no Windows): these checks hold it
 * to the rules the Linux script is tested against by running it.
 */
const script = readFileSync(
  resolve(__dirname, '../../../resources/scripts/mount-share.ps1'),
  'utf8',
)
const code = script
  .split('\n')
  .filter((line) => !line.trimStart().startsWith('#'))
  .join('\n')

describe('resources/scripts/mount-share.ps1', () => {
  it('takes its input from the environment only, never from arguments', () => {
    expect(code).not.toMatch(/\bparam\s*\(/i)
    expect(code).not.toMatch(/\$args\b/i)
    for (const name of [
      'STORAGE_ACCOUNT_NAME',
      'STORAGE_ACCOUNT_KEY',
      'SHARE_NAME',
      'STORAGE_SUFFIX',
    ])
      expect(code).toContain(`'${name}'`)
    expect(code).toMatch(/throw "mount-share: \$name is not set"/)
  })

  it('stores the key with cmdkey for SYSTEM and, for users, only encrypted for the machine', () => {
    expect(code).toMatch(
      /cmdkey \/add:\$hostName \/user:"localhost\\\$account" \/pass:\$env:STORAGE_ACCOUNT_KEY/,
    )
    expect(code).toMatch(
      /ProtectedData\]::Protect\(\s*\$bytes, \$null, \[Security\.Cryptography\.DataProtectionScope\]::LocalMachine\)/,
    )
    // The key is never written out as text.
    expect(code).not.toMatch(/(Set-Content|Out-File|Add-Content)[^\n]*STORAGE_ACCOUNT_KEY/i)
    expect(code).not.toMatch(/Write-(Output|Host|Verbose)[^\n]*(STORAGE_ACCOUNT_KEY|\$key)/i)
  })

  it('maps a persistent drive and links notebooks\\<user> for every user at logon', () => {
    expect(code).toMatch(/net use \$drive '\$unc' \/persistent:yes/)
    expect(code).toMatch(/New-ScheduledTaskTrigger -AtLogOn/)
    // BUILTIN\Users, by SID so that it works in every display language.
    expect(code).toMatch(/New-ScheduledTaskPrincipal -GroupId 'S-1-5-32-545'/)
    expect(code).toMatch(/Join-Path '\$drive\\notebooks' `\$env:USERNAME/)
    expect(code).toMatch(/notebooks\\remote/)
  })

  it('is safe to run again and plain ASCII (it travels base64-encoded in a command line)', () => {
    expect(code).toMatch(/cmdkey \/delete:\$hostName/)
    expect(code).toMatch(/Unregister-ScheduledTask -TaskName \$taskName/)
    expect(
      [...script].every((c) => c === '\t' || c === '\n' || c === '\r' || (c >= ' ' && c <= '~')),
    ).toBe(true)
  })
})
