# Maps the pool's Azure Files share on a Windows instance for every user, keeps it mapped
# across reboots and storage key rotations, and never puts a secret on a command line.
#
# Delivery: the template puts this script (after a prelude of $env: assignments) in the scale
# set's customData, which Windows writes to C:\AzureData\CustomData.bin; the Custom Script
# extension runs a fixed command that reads that file. The first run copies the script to
# C:\ProgramData\DsvmPool (SYSTEM and Administrators only) and registers a SYSTEM task that
# runs it at startup and every minute.
#
# The storage key:
# - KEY_SOURCE=identity: fetched in this process from the instance metadata service (a token
#   of the pool's managed identity) and Resource Manager's listKeys on the one storage
#   account; the newest key is used, so a rotation is picked up within a minute. A firewall
#   rule keeps every user but SYSTEM away from the metadata service.
# - KEY_SOURCE=settings (existing storage whose roles the creator may not assign): taken
#   from STORAGE_ACCOUNT_KEY in the prelude; CustomData.bin is rewritten without it at once.
# It is kept only where Windows keeps credentials: in SYSTEM's Credential Manager (written
# with CredWrite, a domain-password credential that no program can read back) and in the
# SMB client's global mapping of the share. No user holds the key or a copy of it.
#
# Every user sees the share as drive MOUNT_POINT (Z:) through that global mapping; a logon
# task, which holds no secret, makes notebooks\<user> and links it at
# %USERPROFILE%\notebooks\remote. (With one key for the whole share, Windows cannot keep one
# user out of another's folder: see docs/security.md.)
#
# Input comes from the environment only: STORAGE_ACCOUNT_NAME, SHARE_NAME, STORAGE_SUFFIX,
# MOUNT_POINT, KEY_SOURCE, STORAGE_ACCOUNT_KEY (settings only), IDENTITY_CLIENT_ID,
# STORAGE_ACCOUNT_ID, ARM_ENDPOINT (identity only). Safe to run again.
$ErrorActionPreference = 'Stop'

$dataDir = Join-Path $env:ProgramData 'DsvmPool'
$configFile = Join-Path $dataDir 'share.json'
$installedScript = Join-Path $dataDir 'mount-share.ps1'
$customDataFile = Join-Path $env:SystemDrive 'AzureData\CustomData.bin'
$imdsAddress = '169.254.169.254'

function Fail([string] $message) { throw "mount-share: $message" }

# The timer's runs read the configuration the first run saved.
if (-not $env:STORAGE_ACCOUNT_NAME -and (Test-Path $configFile)) {
  $saved = Get-Content -Raw -Path $configFile | ConvertFrom-Json
  foreach ($property in $saved.PSObject.Properties) {
    [Environment]::SetEnvironmentVariable($property.Name, [string] $property.Value)
  }
  $timerRun = $true
} else {
  $timerRun = $false
}

foreach ($name in 'STORAGE_ACCOUNT_NAME', 'SHARE_NAME', 'STORAGE_SUFFIX') {
  if (-not [Environment]::GetEnvironmentVariable($name)) { Fail "$name is not set" }
}
$account = $env:STORAGE_ACCOUNT_NAME
if ($account -cnotmatch '^[a-z0-9]{3,24}$') { Fail 'storage account name is not valid' }
if ($env:SHARE_NAME -cnotmatch '^[a-z0-9-]{3,63}$') { Fail 'share name is not valid' }
if ($env:STORAGE_SUFFIX -cnotmatch '^[a-z0-9.-]+$') { Fail 'storage suffix is not valid' }
$drive = if ($env:MOUNT_POINT) { $env:MOUNT_POINT.TrimEnd('\') } else { 'Z:' }
if ($drive -notmatch '^[D-Zd-z]:$') { Fail 'MOUNT_POINT must be a drive letter such as Z:' }
$keySource = if ($env:KEY_SOURCE) { $env:KEY_SOURCE } else { 'settings' }
if ($keySource -eq 'identity') {
  if ($env:IDENTITY_CLIENT_ID -notmatch '^[0-9a-fA-F-]{36}$') { Fail 'IDENTITY_CLIENT_ID is not valid' }
  if ($env:STORAGE_ACCOUNT_ID -notmatch '^/subscriptions/[^/?#\s]+/resourceGroups/[^/?#\s]+/providers/Microsoft\.Storage/storageAccounts/[a-z0-9]{3,24}$') {
    Fail "STORAGE_ACCOUNT_ID is not a storage account's resource id"
  }
  if ($env:ARM_ENDPOINT -notmatch '^https?://[A-Za-z0-9.:-]+/?$') { Fail 'ARM_ENDPOINT is not valid' }
} elseif ($keySource -ne 'settings') {
  Fail 'KEY_SOURCE must be identity or settings'
}
$hostName = "$account.file.$env:STORAGE_SUFFIX"
$unc = "\\$hostName\$env:SHARE_NAME"

# Only SYSTEM and Administrators: the folder holds the script and its configuration.
function Protect-Path([string] $path) {
  $acl = New-Object Security.AccessControl.DirectorySecurity
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($sid in 'S-1-5-18', 'S-1-5-32-544') {
    $rule = New-Object Security.AccessControl.FileSystemAccessRule(
      (New-Object Security.Principal.SecurityIdentifier($sid)), 'FullControl',
      'ContainerInherit, ObjectInherit', 'None', 'Allow')
    $acl.AddAccessRule($rule)
  }
  Set-Acl -Path $path -AclObject $acl
}

# Everyone but SYSTEM (BUILTIN\Users covers every signed-in account, administrators too) is
# kept away from the metadata service: its token would let them list the account's keys.
function Restrict-MetadataService {
  if ($keySource -ne 'identity') { return }
  $ruleName = 'DsvmPool-MetadataServiceForSystemOnly'
  if (-not (Get-NetFirewallRule -Name $ruleName -ErrorAction SilentlyContinue)) {
    New-NetFirewallRule -Name $ruleName -DisplayName 'DSVM pool: metadata service for SYSTEM only' `
      -Direction Outbound -RemoteAddress $imdsAddress -Protocol TCP -RemotePort 80 -Action Block `
      -LocalUser 'D:(A;;CC;;;S-1-5-32-545)' | Out-Null
  }
}

# The newest full-permission key: a rotation regenerates the older one.
function Get-KeyWithIdentity {
  $arm = $env:ARM_ENDPOINT.TrimEnd('/')
  $identityEndpoint = "http://$imdsAddress/metadata/identity/oauth2/token"
  $query = 'api-version=2018-02-01&resource={0}&client_id={1}' -f `
    [Uri]::EscapeDataString("$arm/"), [Uri]::EscapeDataString($env:IDENTITY_CLIENT_ID)
  $token = (Invoke-RestMethod -Method Get -Uri "${identityEndpoint}?$query" `
      -Headers @{ Metadata = 'true' } -TimeoutSec 10).access_token
  if (-not $token) { Fail 'the instance metadata service gave no token for the pool identity' }
  $answer = Invoke-RestMethod -Method Post -TimeoutSec 15 `
    -Uri "$arm$($env:STORAGE_ACCOUNT_ID)/listKeys?api-version=2023-05-01" `
    -Headers @{ Authorization = "Bearer $token" }
  $keys = @($answer.keys | Where-Object { "$($_.permissions)" -eq 'FULL' -and $_.value } |
      Sort-Object -Property @{ Expression = 'creationTime'; Descending = $true },
      @{ Expression = 'keyName'; Descending = $false })
  if ($keys.Count -eq 0) { Fail 'listKeys returned no key' }
  return $keys[0]
}

Add-Type -Namespace DsvmPool -Name Credentials -MemberDefinition @'
[StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
public struct CREDENTIAL {
  public uint Flags; public uint Type; public string TargetName; public string Comment;
  public System.Runtime.InteropServices.ComTypes.FILETIME LastWritten;
  public uint CredentialBlobSize; public IntPtr CredentialBlob; public uint Persist;
  public uint AttributeCount; public IntPtr Attributes; public string TargetAlias;
  public string UserName;
}
[DllImport("advapi32.dll", EntryPoint = "CredWriteW", CharSet = CharSet.Unicode, SetLastError = true)]
static extern bool CredWriteW(ref CREDENTIAL credential, uint flags);

// A domain-password credential: Windows uses it for SMB, and no program can read it back.
public static void WriteDomainPassword(string target, string user, string password) {
  var credential = new CREDENTIAL();
  credential.Type = 2;     // CRED_TYPE_DOMAIN_PASSWORD
  credential.Persist = 2;  // CRED_PERSIST_LOCAL_MACHINE: this account (SYSTEM), this computer
  credential.TargetName = target;
  credential.UserName = user;
  credential.CredentialBlobSize = (uint)(password.Length * 2);
  credential.CredentialBlob = Marshal.StringToCoTaskMemUni(password);
  try {
    if (!CredWriteW(ref credential, 0)) throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error());
  } finally {
    Marshal.ZeroFreeCoTaskMemUnicode(credential.CredentialBlob);
  }
}
'@

New-Item -ItemType Directory -Force -Path $dataDir | Out-Null
Protect-Path $dataDir

if (-not $timerRun) {
  # Keep a copy without the prelude for the timer, and a configuration without secrets.
  $text = [IO.File]::ReadAllText($customDataFile)
  $start = $text.IndexOf('# Maps the pool')
  if ($start -lt 0) { Fail "$customDataFile does not hold the mount script" }
  [IO.File]::WriteAllText($installedScript, $text.Substring($start))
  # Nothing after this point may find the key in the file: rewrite it as the script alone.
  [IO.File]::WriteAllText($customDataFile, $text.Substring($start))
  $config = [ordered]@{
    STORAGE_ACCOUNT_NAME = $account; SHARE_NAME = $env:SHARE_NAME
    STORAGE_SUFFIX = $env:STORAGE_SUFFIX; MOUNT_POINT = $drive; KEY_SOURCE = $keySource
  }
  if ($keySource -eq 'identity') {
    $config.IDENTITY_CLIENT_ID = $env:IDENTITY_CLIENT_ID
    $config.STORAGE_ACCOUNT_ID = $env:STORAGE_ACCOUNT_ID
    $config.ARM_ENDPOINT = $env:ARM_ENDPOINT
  }
  $config | ConvertTo-Json | Set-Content -Path $configFile -Encoding UTF8
}

Restrict-MetadataService

$versionFile = Join-Path $dataDir 'key-version'
$previousVersion = if (Test-Path $versionFile) { (Get-Content -Raw -Path $versionFile).Trim() } else { '' }
$key = $null
$version = $previousVersion
if ($keySource -eq 'identity') {
  try {
    $found = Get-KeyWithIdentity
    $key = $found.value
    $version = "$($found.keyName) $($found.creationTime)"
  } catch {
    # A new role assignment can take minutes to reach Resource Manager: the task tries again.
    Write-Warning "mount-share: no storage key yet, trying again within a minute: $($_.Exception.Message)"
  }
} elseif ($env:STORAGE_ACCOUNT_KEY) {
  $key = $env:STORAGE_ACCOUNT_KEY
  $env:STORAGE_ACCOUNT_KEY = $null
  $version = 'settings'
}

$mapping = Get-SmbGlobalMapping -RemotePath $unc -ErrorAction SilentlyContinue
if ($key -and ($version -ne $previousVersion -or -not $mapping)) {
  [DsvmPool.Credentials]::WriteDomainPassword($hostName, "localhost\$account", $key)
  $secure = New-Object Security.SecureString
  foreach ($c in $key.ToCharArray()) { $secure.AppendChar($c) }
  $secure.MakeReadOnly()
  $credential = New-Object Management.Automation.PSCredential("localhost\$account", $secure)
  if ($mapping) { Remove-SmbGlobalMapping -RemotePath $unc -Force }
  New-SmbGlobalMapping -RemotePath $unc -LocalPath $drive -Credential $credential `
    -Persistent $true -RequirePrivacy $true | Out-Null
  Set-Content -Path $versionFile -Value $version -Encoding ASCII
}
$key = $null

if ($timerRun) { return }

# For users: no secret, only their folder and its link.
$logon = @"
`$ErrorActionPreference = 'Stop'
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
$usersDir = Join-Path $env:ProgramData 'DsvmPoolUsers'
New-Item -ItemType Directory -Force -Path $usersDir | Out-Null
$logonScript = Join-Path $usersDir 'link-notebooks.ps1'
Set-Content -Path $logonScript -Value $logon -Encoding UTF8

# Let links on local disks point into the share (off by default).
fsutil behavior set SymlinkEvaluation L2L:1 L2R:1 | Out-Null

$userTask = 'DsvmPool-LinkNotebooks'
Unregister-ScheduledTask -TaskName $userTask -Confirm:$false -ErrorAction SilentlyContinue
Register-ScheduledTask -TaskName $userTask `
  -Action (New-ScheduledTaskAction -Execute 'powershell.exe' `
    -Argument "-NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass -File `"$logonScript`"") `
  -Trigger (New-ScheduledTaskTrigger -AtLogOn) `
  -Principal (New-ScheduledTaskPrincipal -GroupId 'S-1-5-32-545' -RunLevel Limited) | Out-Null

# For SYSTEM: at startup and every minute, the same script (a rotated key, a lost mapping).
$systemTask = 'DsvmPool-KeepShareMapped'
Unregister-ScheduledTask -TaskName $systemTask -Confirm:$false -ErrorAction SilentlyContinue
$every = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 1)
Register-ScheduledTask -TaskName $systemTask `
  -Action (New-ScheduledTaskAction -Execute 'powershell.exe' `
    -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$installedScript`"") `
  -Trigger @((New-ScheduledTaskTrigger -AtStartup), $every) `
  -Principal (New-ScheduledTaskPrincipal -UserId 'S-1-5-18' -LogonType ServiceAccount -RunLevel Highest) | Out-Null

# Earlier versions kept the key DPAPI-encrypted for every user and a logon task using cmdkey.
Unregister-ScheduledTask -TaskName 'DsvmPool-MapShare' -Confirm:$false -ErrorAction SilentlyContinue
Remove-Item -Force -ErrorAction SilentlyContinue -Path (Join-Path $dataDir 'share.key'), (Join-Path $dataDir 'map-share.ps1')

Write-Output "mount-share: $unc is mapped at $drive for every user"
