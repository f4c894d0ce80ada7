import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  checkAdminUsername,
  checkDnsLabel,
  checkMountPoint,
  checkPoolName,
  checkResourceGroupName,
  checkShareName,
  checkSourceRange,
  checkSshPublicKey,
  checkStorageAccountName,
  checkWindowsPassword,
} from '../../../shared/naming'

const opensshKey = (type: 'ed25519' | 'rsa', modulusLength = 2048) => {
  const { publicKey } = generateKeyPairSync(type as 'rsa', { modulusLength })
  const jwk = publicKey.export({ format: 'jwk' })
  const field = (bytes: Buffer) => {
    const size = Buffer.alloc(4)
    size.writeUInt32BE(bytes.length)
    return Buffer.concat([size, bytes])
  }
  const mpint = (b64url: string) => {
    const bytes = Buffer.from(b64url, 'base64url')
    return field(bytes[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), bytes]) : bytes)
  }
  if (type === 'ed25519') {
    const blob = Buffer.concat([
      field(Buffer.from('ssh-ed25519')),
      field(Buffer.from(jwk.x!, 'base64url')),
    ])
    return `ssh-ed25519 ${blob.toString('base64')} ada@laptop`
  }
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)])
  return `ssh-rsa ${blob.toString('base64')} ada@laptop`
}

describe('Azure naming rules, as the wizard checks them while typing', () => {
  it('resource groups: letters, digits, _ - . ( ), up to 90, no trailing period', () => {
    expect(checkResourceGroupName('ml-team_(prod).eu')).toBeUndefined()
    expect(checkResourceGroupName('équipe-données')).toBeUndefined()
    expect(checkResourceGroupName('')).toMatch(/at least 1/)
    expect(checkResourceGroupName('a'.repeat(91))).toMatch(/at most 90/)
    expect(checkResourceGroupName('team pool')).toMatch(/may contain only/)
    expect(checkResourceGroupName('pool.')).toMatch(/cannot end with a period/)
  })

  it('pool names: lowercase, letter first, no trailing or double hyphen, Windows prefix', () => {
    expect(checkPoolName('team-pool-2')).toBeUndefined()
    expect(checkPoolName('ab')).toMatch(/at least 3/)
    expect(checkPoolName('a'.repeat(41))).toMatch(/at most 40/)
    expect(checkPoolName('TeamPool')).toBe('Use lowercase letters in the pool name.')
    expect(checkPoolName('team_pool')).toMatch(/only lowercase letters, digits and hyphens/)
    // Every problem at once, each character named: not only "use lowercase".
    expect(checkPoolName('My Pool!')).toBe(
      "A pool name may contain only lowercase letters, digits and hyphens (-): use lowercase letters; spaces and '!' are not allowed.",
    )
    expect(checkPoolName('2team')).toMatch(/start with a letter/)
    expect(checkPoolName('team-')).toMatch(/end with a letter or digit/)
    expect(checkPoolName('team--pool')).toMatch(/two hyphens/)
    expect(checkPoolName('research-pool', 'Linux')).toBeUndefined()
    expect(checkPoolName('research-pool', 'Windows')).toMatch(/first 9 characters \('research-'\)/)
  })

  it('storage accounts: 3-24 lowercase letters and digits', () => {
    expect(checkStorageAccountName('teampoolfiles')).toBeUndefined()
    expect(checkStorageAccountName('ab')).toMatch(/at least 3/)
    expect(checkStorageAccountName('a'.repeat(25))).toMatch(/at most 24/)
    expect(checkStorageAccountName('team-files')).toMatch(/no hyphens or capitals/)
    expect(checkStorageAccountName('TeamFiles')).toMatch(/no hyphens or capitals/)
  })

  it('shares: 3-63, lowercase, single hyphens between letters or digits', () => {
    expect(checkShareName('notebooks')).toBeUndefined()
    expect(checkShareName('team-notebooks-1')).toBeUndefined()
    expect(checkShareName('nb')).toMatch(/at least 3/)
    expect(checkShareName('Notebooks')).toMatch(/only lowercase/)
    expect(checkShareName('-notebooks')).toMatch(/start with a letter or digit/)
    expect(checkShareName('notebooks-')).toMatch(/end with/)
    expect(checkShareName('team--notebooks')).toMatch(/two hyphens/)
  })

  it('DNS labels: letter first, no trailing hyphen', () => {
    expect(checkDnsLabel('teampool-x1')).toBeUndefined()
    expect(checkDnsLabel('1pool')).toMatch(/start with a letter/)
    expect(checkDnsLabel('pool-')).toMatch(/end with a letter or digit/)
    expect(checkDnsLabel('Pool')).toMatch(/only lowercase/)
  })

  it("administrator user names: Azure's reserved words, Linux syntax, 20 characters on Windows", () => {
    expect(checkAdminUsername('dsvmadmin', 'Linux')).toBeUndefined()
    expect(checkAdminUsername('admin', 'Linux')).toBe(
      "'admin' is reserved by Azure; choose another administrator user name.",
    )
    expect(checkAdminUsername('Administrator', 'Windows')).toMatch(/reserved by Azure/)
    expect(checkAdminUsername('root', 'Linux')).toMatch(/reserved/)
    expect(checkAdminUsername('Ada', 'Linux')).toMatch(/lowercase letter or underscore/)
    expect(checkAdminUsername('Ada.Lovelace', 'Windows')).toBeUndefined()
    expect(checkAdminUsername('a'.repeat(21), 'Windows')).toMatch(/at most 20/)
    expect(checkAdminUsername('ada.', 'Windows')).toMatch(/cannot end with a period/)
  })

  it('Windows passwords: length, three character classes, banned list, no user name', () => {
    expect(checkWindowsPassword('Correct-Horse-42!', 'dsvmadmin')).toBeUndefined()
    expect(checkWindowsPassword('Short1!')).toMatch(/at least 12/)
    expect(checkWindowsPassword('alllowercaseletters')).toMatch(/three of these/)
    expect(checkWindowsPassword('lowercase and 123')).toBeUndefined()
    expect(checkWindowsPassword('P@ssword123')).toMatch(/at least 12|common password/)
    expect(checkWindowsPassword('dsvmadmin-Pass-1', 'dsvmadmin')).toMatch(/user name/)
  })

  it('SSH public keys: ed25519 and RSA of 2048 bits or more, not private keys', () => {
    expect(checkSshPublicKey(opensshKey('ed25519'))).toBeUndefined()
    expect(checkSshPublicKey(opensshKey('rsa', 2048))).toBeUndefined()
    expect(checkSshPublicKey(opensshKey('rsa', 1024))).toMatch(/at least 2048 bits/)
    expect(checkSshPublicKey('-----BEGIN OPENSSH PRIVATE KEY----- abc')).toMatch(/private key/)
    expect(checkSshPublicKey('ssh-dss AAAAB3NzaC1kc3M=')).toMatch(/not supported/)
    expect(checkSshPublicKey('ssh-ed25519')).toMatch(/Paste a public key line/)
    const [, data] = opensshKey('rsa').split(' ')
    expect(checkSshPublicKey(`ssh-ed25519 ${data}`)).toMatch(/does not match its type/)
  })

  it('source ranges: IPv4 addresses and CIDR ranges without host bits', () => {
    expect(checkSourceRange('203.0.113.0/24')).toBeUndefined()
    expect(checkSourceRange('198.51.100.7')).toBeUndefined()
    expect(checkSourceRange('0.0.0.0/0')).toBeUndefined()
    expect(checkSourceRange('203.0.113.5/24')).toBe(
      "'203.0.113.5/24' has host bits set; the range is 203.0.113.0/24.",
    )
    expect(checkSourceRange('10.0.0.0/33')).toMatch(/between 0 and 32/)
    expect(checkSourceRange('256.1.1.1')).toMatch(/not an IPv4 address/)
    expect(checkSourceRange('*')).toMatch(/not an IPv4 address/)
  })

  it('mount points: a directory outside system paths on Linux, a drive letter on Windows', () => {
    expect(checkMountPoint('/mnt/dsvmshare', 'Linux')).toBeUndefined()
    expect(checkMountPoint('/data/team share', 'Linux')).toMatch(/may contain only/)
    expect(checkMountPoint('mnt/share', 'Linux')).toMatch(/absolute path/)
    expect(checkMountPoint('/etc', 'Linux')).toMatch(/system directory/)
    expect(checkMountPoint('/mnt/../etc', 'Linux')).toMatch(/\.\./)
    expect(checkMountPoint('Z:', 'Windows')).toBeUndefined()
    expect(checkMountPoint('C:', 'Windows')).toMatch(/D: to Z:/)
    expect(checkMountPoint('/mnt/share', 'Windows')).toMatch(/drive letter/)
  })
})
