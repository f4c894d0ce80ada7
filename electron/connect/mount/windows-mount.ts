import type { PlanStep } from './plan-step'

/*
 * Windows: a mapped drive that comes back after a reboot without asking. Windows reconnects
 * a persistent mapping (New-PSDrive -Persist, kept in HKCU\Network) at sign-in with the
 * credential Credential Manager holds for the host, which is what Microsoft's own "mount on
 * Windows" script stores with `cmdkey /add ... /pass:<key>`. cmdkey only takes the key as an
 * argument, so the app writes the same credential itself with CredWriteW:
 *
 * - type CRED_TYPE_DOMAIN_PASSWORD (what SMB looks up), target the storage host, user
 *   localhost\<account>;
 * - persist CRED_PERSIST_LOCAL_MACHINE: kept across reboots, on this computer only (it does
 *   not roam with the profile), in the user's own vault, encrypted with DPAPI under their
 *   sign-in, so other users of the computer cannot read it.
 *
 * The key never appears in a command line or in script text (which PowerShell's script-block
 * logging would record): each script goes as -EncodedCommand, and the credential script reads
 * the key as the first line of its standard input.
 */

/** PowerShell single-quoted string literal. */
export const psQuote = (text: string) => `'${text.replace(/'/g, "''")}'`

/** -EncodedCommand takes the script as base64 of UTF-16LE. */
export const encodeCommand = (script: string) => Buffer.from(script, 'utf16le').toString('base64')

const powershell = (script: string, stdin?: string): PlanStep => ({
  command: 'powershell.exe',
  args: ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodeCommand(script)],
  ...(stdin !== undefined ? { stdin } : {}),
})

const credWrite = `
using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

public static class DsvmPoolCredential {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  private struct CREDENTIAL {
    public int Flags;
    public int Type;
    public string TargetName;
    public string Comment;
    public System.Runtime.InteropServices.ComTypes.FILETIME LastWritten;
    public int CredentialBlobSize;
    public IntPtr CredentialBlob;
    public int Persist;
    public int AttributeCount;
    public IntPtr Attributes;
    public string TargetAlias;
    public string UserName;
  }

  [DllImport("advapi32.dll", EntryPoint = "CredWriteW", CharSet = CharSet.Unicode, SetLastError = true)]
  private static extern bool CredWrite(ref CREDENTIAL credential, int flags);

  private const int CRED_TYPE_DOMAIN_PASSWORD = 2;
  private const int CRED_PERSIST_LOCAL_MACHINE = 2;

  public static void Write(string target, string user, string secret) {
    byte[] blob = Encoding.Unicode.GetBytes(secret);
    IntPtr buffer = Marshal.AllocHGlobal(blob.Length);
    try {
      Marshal.Copy(blob, 0, buffer, blob.Length);
      CREDENTIAL credential = new CREDENTIAL();
      credential.Type = CRED_TYPE_DOMAIN_PASSWORD;
      credential.TargetName = target;
      credential.UserName = user;
      credential.CredentialBlobSize = blob.Length;
      credential.CredentialBlob = buffer;
      credential.Persist = CRED_PERSIST_LOCAL_MACHINE;
      if (!CredWrite(ref credential, 0)) throw new Win32Exception(Marshal.GetLastWin32Error());
    } finally {
      for (int i = 0; i < blob.Length; i++) Marshal.WriteByte(buffer, i, 0);
      Array.Clear(blob, 0, blob.Length);
      Marshal.FreeHGlobal(buffer);
    }
  }
}
`

/** Stores the account key in Credential Manager for the host; the key comes on standard input. */
export function credentialStep(host: string, account: string, key: string): PlanStep {
  const script = [
    "$ErrorActionPreference = 'Stop'",
    '$secret = [Console]::In.ReadLine()',
    "if (-not $secret) { throw 'No key on standard input' }",
    `Add-Type -TypeDefinition ${psQuote(credWrite)}`,
    `[DsvmPoolCredential]::Write(${psQuote(host)}, ${psQuote(`localhost\\${account}`)}, $secret)`,
    '',
  ].join('\n')
  return powershell(script, `${key}\n`)
}

/**
 * Maps the drive persistently with no credential of its own: Windows takes the one above,
 * now and at every sign-in. A drive already mapped to this share is left as it is.
 */
export function mapDriveStep(host: string, share: string, drive: string): PlanStep {
  const root = `\\\\${host}\\${share}`
  const script = [
    "$ErrorActionPreference = 'Stop'",
    `$mapped = Get-PSDrive -Name ${drive} -ErrorAction SilentlyContinue`,
    `if ($mapped -and $mapped.DisplayRoot -eq ${psQuote(root)}) { exit 0 }`,
    `New-PSDrive -Name ${drive} -PSProvider FileSystem -Root ${psQuote(root)} -Persist -Scope Global | Out-Null`,
    '',
  ].join('\n')
  return powershell(script)
}
