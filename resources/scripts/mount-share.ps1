# Maps the pool's Azure Files share on a Windows instance for every user, persistently.
# Runs as SYSTEM from the Custom Script extension. Input comes from the environment only:
#   STORAGE_ACCOUNT_NAME, STORAGE_ACCOUNT_KEY, SHARE_NAME, STORAGE_SUFFIX, MOUNT_POINT (a
#   drive letter such as Z:).
# - cmdkey stores the key for SYSTEM (services and scheduled tasks running as SYSTEM).
# - The key is kept for users encrypted with DPAPI (machine scope) in a file only SYSTEM,
#   Administrators and Users may read, never in plain text; a logon task decrypts it into
#   the user's own credential vault, maps the drive persistently and links
#   notebooks\<user> on the share at %USERPROFILE%\notebooks\remote (a symbolic link where
#   the user may create one, otherwise a shortcut).
# Safe to run again: every step replaces what an earlier run created.
$ErrorActionPreference = 'Stop'

foreach ($name in 'STORAGE_ACCOUNT_NAME', 'STORAGE_ACCOUNT_KEY', 'SHARE_NAME', 'STORAGE_SUFFIX') {
  if (-not [Environment]::GetEnvironmentVariable($name)) { throw "mount-share: $name is not set" }
}
$account = $env:STORAGE_ACCOUNT_NAME
$drive = if ($env:MOUNT_POINT) { $env:MOUNT_POINT.TrimEnd('\') } else { 'Z:' }
if ($drive -notmatch '^[D-Zd-z]:$') { throw 'mount-share: MOUNT_POINT must be a drive letter such as Z:' }
$hostName = "$account.file.$env:STORAGE_SUFFIX"
$unc = "\\$hostName\$env:SHARE_NAME"
$dataDir = Join-Path $env:ProgramData 'DsvmPool'

if (-not (Test-NetConnection -ComputerName $hostName -Port 445 -InformationLevel Quiet)) {
  Write-Warning "mount-share: port 445 of $hostName is not reachable now; users get the drive once it is"
}

# Let links on local disks point into the share (off by default).
fsutil behavior set SymlinkEvaluation L2L:1 L2R:1 | Out-Null

# For SYSTEM.
cmdkey /delete:$hostName | Out-Null
cmdkey /add:$hostName /user:"localhost\$account" /pass:$env:STORAGE_ACCOUNT_KEY | Out-Null

# For users: the key encrypted for this machine.
New-Item -ItemType Directory -Force -Path $dataDir | Out-Null
Add-Type -AssemblyName System.Security
$bytes = [Text.Encoding]::UTF8.GetBytes($env:STORAGE_ACCOUNT_KEY)
$sealed = [Security.Cryptography.ProtectedData]::Protect(
  $bytes, $null, [Security.Cryptography.DataProtectionScope]::LocalMachine)
$keyFile = Join-Path $dataDir 'share.key'
[IO.File]::WriteAllBytes($keyFile, $sealed)
icacls $keyFile /inheritance:r /grant:r 'SYSTEM:F' 'Administrators:F' 'Users:R' | Out-Null

$logon = @"
`$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.Security
`$sealed = [IO.File]::ReadAllBytes('$keyFile')
`$key = [Text.Encoding]::UTF8.GetString([Security.Cryptography.ProtectedData]::Unprotect(
  `$sealed, `$null, [Security.Cryptography.DataProtectionScope]::LocalMachine))
cmdkey /add:$hostName /user:'localhost\$account' /pass:`$key | Out-Null
if (-not (Test-Path '$drive\')) { net use $drive '$unc' /persistent:yes | Out-Null }
`$mine = Join-Path '$drive\notebooks' `$env:USERNAME
New-Item -ItemType Directory -Force -Path `$mine | Out-Null
`$link = Join-Path `$env:USERPROFILE 'notebooks\remote'
New-Item -ItemType Directory -Force -Path (Split-Path `$link) | Out-Null
if (-not (Test-Path `$link) -and -not (Test-Path "`$link.lnk")) {
  try { New-Item -ItemType SymbolicLink -Path `$link -Target `$mine | Out-Null }
  catch {
    # Creating symbolic links needs a privilege standard users lack: a shortcut instead.
    `$shortcut = (New-Object -ComObject WScript.Shell).CreateShortcut("`$link.lnk")
    `$shortcut.TargetPath = `$mine
    `$shortcut.Save()
  }
}
"@
$logonScript = Join-Path $dataDir 'map-share.ps1'
Set-Content -Path $logonScript -Value $logon -Encoding UTF8
icacls $logonScript /inheritance:r /grant:r 'SYSTEM:F' 'Administrators:F' 'Users:RX' | Out-Null

$taskName = 'DsvmPool-MapShare'
$action = New-ScheduledTaskAction -Execute 'powershell.exe' `
  -Argument "-NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass -File `"$logonScript`""
$trigger = New-ScheduledTaskTrigger -AtLogOn
$principal = New-ScheduledTaskPrincipal -GroupId 'S-1-5-32-545' -RunLevel Limited
Unregister-ScheduledTask -TaskName $taskName -Confirm:$false -ErrorAction SilentlyContinue
Register-ScheduledTask -TaskName $taskName -Action $action -Trigger $trigger -Principal $principal | Out-Null

Write-Output "mount-share: $unc is mapped at $drive for every user at logon"
