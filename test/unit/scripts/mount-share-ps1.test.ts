import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The Windows mount script cannot run here (no PowerShell: Debian has no package for it and
 * Microsoft's repository is out of reach). These checks hold its text to the rules the Linux
 * script is tested against by running it; the template tests check the command line the
 * Custom Script extension runs.
 */
const script = readFileSync(
  resolve(__dirname, '../../../resources/scripts/mount-share.ps1'),
  'utf8',
)
const code = script
  .split('\n')
  .filter((line) => !line.trimStart().startsWith('#') && !line.trimStart().startsWith('//'))
  .join('\n')

/** Programs the script starts as processes (everything else runs inside PowerShell). */
const externalPrograms =
  /\b(cmdkey|net|icacls|fsutil|schtasks|powershell\.exe|pwsh|cmd|reg|setx)\b(\.exe)?\s/i
/** Lines that start a process (outside here-strings of C#). */
const processLines = code
  .split('\n')
  .filter(
    (line) => externalPrograms.test(line) || /-Execute\s|-Argument\s|Start-Process/.test(line),
  )

describe('resources/scripts/mount-share.ps1', () => {
  it('takes its input from the environment only, never from arguments', () => {
    expect(code).not.toMatch(/\bparam\s*\(/i)
    expect(code).not.toMatch(/\$args\b/i)
    for (const name of ['STORAGE_ACCOUNT_NAME', 'SHARE_NAME', 'STORAGE_SUFFIX'])
      expect(code).toContain(`'${name}'`)
    expect(code).toMatch(/Fail "\$name is not set"/)
  })

  it('puts no secret on any command line: no cmdkey /pass, no key or token in a process it starts', () => {
    expect(code).not.toMatch(/cmdkey/i)
    expect(code).not.toMatch(/\/pass:/i)
    expect(code).not.toMatch(/-EncodedCommand/i)
    expect(processLines.length).toBeGreaterThan(0)
    for (const line of processLines) {
      expect(line).not.toMatch(/\$key\b|STORAGE_ACCOUNT_KEY|\$token\b|\$secure\b|\$credential\b/i)
    }
    // The processes it registers run files, not script text.
    for (const line of processLines.filter((l) => /-Argument\s/.test(l)))
      expect(line).toMatch(/-File `"\$(logonScript|installedScript)`"/)
  })

  it('writes the credential through the Credential Manager API, as a domain password only Windows can use', () => {
    expect(code).toMatch(/Add-Type -Namespace DsvmPool -Name Credentials -MemberDefinition/)
    expect(code).toMatch(/DllImport\("advapi32\.dll", EntryPoint = "CredWriteW"/)
    expect(script).toMatch(/credential\.Type = 2;\s+\/\/ CRED_TYPE_DOMAIN_PASSWORD/)
    expect(code).toMatch(/Marshal\.ZeroFreeCoTaskMemUnicode/)
    expect(code).toMatch(
      /\[DsvmPool\.Credentials\]::WriteDomainPassword\(\$hostName, "localhost\\\$account", \$key\)/,
    )
  })

  it('gives users the share through SYSTEM’s global mapping: no user holds the key, and no blob every user can read', () => {
    expect(code).toMatch(
      /New-SmbGlobalMapping -RemotePath \$unc -LocalPath \$drive -Credential \$credential `\n\s+-Persistent \$true -RequirePrivacy \$true/,
    )
    expect(code).not.toMatch(/ProtectedData|DataProtectionScope/)
    expect(code).not.toMatch(/ConvertFrom-SecureString/i)
    // The users' logon script holds no secret.
    const logon = /\$logon = @"\n([\s\S]*?)\n"@/.exec(code)![1]!
    expect(logon).not.toMatch(/key|token|credential|password/i)
    // Files it writes hold no key: the configuration lists names, the version file a key name and date.
    for (const write of code
      .split('\n')
      .filter((l) => /Set-Content|WriteAllText|Out-File|Add-Content/.test(l)))
      expect(write).not.toMatch(/\$key\b|STORAGE_ACCOUNT_KEY|\$token\b/)
    expect(code).toMatch(/\$version = "\$\(\$found\.keyName\) \$\(\$found\.creationTime\)"/)
  })

  it('fetches the key through the managed identity from the metadata service, and keeps users away from it', () => {
    expect(code).toMatch(/http:\/\/\$imdsAddress\/metadata\/identity\/oauth2\/token/)
    expect(code).toMatch(/api-version=2018-02-01&resource=\{0\}&client_id=\{1\}/)
    expect(code).toMatch(/-Headers @\{ Metadata = 'true' \}/)
    expect(code).toMatch(/\/listKeys\?api-version=2023-05-01/)
    expect(code).toMatch(/-Headers @\{ Authorization = "Bearer \$token" \}/)
    // The newest key (a rotation regenerates the older one).
    expect(code).toMatch(/Expression = 'creationTime'; Descending = \$true/)
    expect(code).toMatch(
      /New-NetFirewallRule[\s\S]*?-Direction Outbound -RemoteAddress \$imdsAddress[\s\S]*?-Action Block[\s\S]*?-LocalUser 'D:\(A;;CC;;;S-1-5-32-545\)'/,
    )
  })

  it('removes the key from CustomData.bin at once, and keeps its own files for SYSTEM and Administrators', () => {
    expect(code).toMatch(
      /\[IO\.File\]::WriteAllText\(\$customDataFile, \$text\.Substring\(\$start\)\)/,
    )
    expect(code).toMatch(/foreach \(\$sid in 'S-1-5-18', 'S-1-5-32-544'\)/)
    expect(code).toMatch(/SetAccessRuleProtection\(\$true, \$false\)/)
    expect(code).toMatch(/\$env:STORAGE_ACCOUNT_KEY = \$null/)
  })

  it('re-checks the key every minute as SYSTEM and maps again after a rotation', () => {
    expect(code).toMatch(/-RepetitionInterval \(New-TimeSpan -Minutes 1\)/)
    expect(code).toMatch(/New-ScheduledTaskTrigger -AtStartup/)
    expect(code).toMatch(/New-ScheduledTaskPrincipal -UserId 'S-1-5-18' -LogonType ServiceAccount/)
    expect(code).toMatch(/\$version -ne \$previousVersion -or -not \$mapping/)
    expect(code).toMatch(/Remove-SmbGlobalMapping -RemotePath \$unc -Force/)
  })

  it('links notebooks\\<user> for every user at logon, by SID so that it works in every language', () => {
    expect(code).toMatch(/New-ScheduledTaskTrigger -AtLogOn/)
    expect(code).toMatch(/New-ScheduledTaskPrincipal -GroupId 'S-1-5-32-545'/)
    expect(code).toMatch(/Join-Path '\$drive\\notebooks' `\$env:USERNAME/)
    expect(code).toMatch(/notebooks\\remote/)
  })

  it('removes what earlier versions left: the all-users key file and the cmdkey logon task', () => {
    expect(code).toMatch(/Unregister-ScheduledTask -TaskName 'DsvmPool-MapShare'/)
    expect(code).toMatch(/'share\.key'/)
  })

  it('is plain ASCII (Windows PowerShell 5.1 reads files without a BOM as the ANSI code page)', () => {
    expect(
      [...script].every((c) => c === '\t' || c === '\n' || c === '\r' || (c >= ' ' && c <= '~')),
    ).toBe(true)
    expect(code).not.toMatch(/-Stable\b|\?\?|\?\./)
  })
})
