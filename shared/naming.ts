/**
 * Azure's naming rules for what the pool wizard asks for, checked as the person types. Each
 * check returns the first problem as a sentence the person can act on, or undefined when the
 * value is fine.
 */

export type NameProblem = string | undefined

const first = (...checks: Array<() => NameProblem>): NameProblem => {
  for (const check of checks) {
    const problem = check()
    if (problem) return problem
  }
  return undefined
}

const length = (value: string, min: number, max: number, what: string) => () =>
  value.length < min
    ? `${what} must be at least ${min} characters long.`
    : value.length > max
      ? `${what} must be at most ${max} characters long.`
      : undefined

/** Resource group: 1-90 letters, digits, underscores, hyphens, periods and parentheses, no trailing period. */
export function checkResourceGroupName(value: string): NameProblem {
  return first(
    length(value, 1, 90, 'A resource group name'),
    () =>
      /^[\p{L}\p{N}_().-]+$/u.test(value)
        ? undefined
        : 'A resource group name may contain only letters, digits, underscores (_), hyphens (-), periods (.) and parentheses.',
    () => (value.endsWith('.') ? 'A resource group name cannot end with a period.' : undefined),
  )
}

/** What is wrong with the characters of a pool name, naming each one ("My Pool!"). */
function poolNameCharacters(value: string): string {
  const capitals = /[A-Z]/.test(value)
  const others = [...new Set(value.replace(/[a-zA-Z0-9-]/g, ''))]
  const shown = others.map((c) => (c === ' ' ? 'spaces' : `'${c}'`))
  const list = (items: string[]) =>
    items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '')
  if (capitals && shown.length === 0) return 'Use lowercase letters in the pool name.'
  const notAllowed = `${list(shown)} ${shown.length > 1 || shown[0] === 'spaces' ? 'are' : 'is'} not allowed`
  return capitals
    ? `A pool name may contain only lowercase letters, digits and hyphens (-): use lowercase letters; ${notAllowed}.`
    : `A pool name may contain only lowercase letters, digits and hyphens (-): ${notAllowed}.`
}

/**
 * Pool name = scale set name, Linux computer name prefix, and the base of every resource
 * name and of the DNS label: 3-40 lowercase letters, digits and hyphens, starting with a
 * letter and ending with a letter or digit. Windows computer names take its first 9
 * characters, which must not end with a hyphen.
 */
export function checkPoolName(value: string, osType: 'Linux' | 'Windows' = 'Linux'): NameProblem {
  return first(
    length(value, 3, 40, 'A pool name'),
    () => (/^[a-z0-9-]+$/.test(value) ? undefined : poolNameCharacters(value)),
    () => (/^[a-z]/.test(value) ? undefined : 'A pool name must start with a letter.'),
    () => (value.endsWith('-') ? 'A pool name must end with a letter or digit.' : undefined),
    () => (value.includes('--') ? 'A pool name cannot contain two hyphens in a row.' : undefined),
    () =>
      osType === 'Windows' && value.slice(0, 9).endsWith('-')
        ? `Windows computer names use the first 9 characters ('${value.slice(0, 9)}'), which cannot end with a hyphen.`
        : undefined,
  )
}

/** Storage account: 3-24 lowercase letters and digits, unique across Azure. */
export function checkStorageAccountName(value: string): NameProblem {
  return first(length(value, 3, 24, 'A storage account name'), () =>
    /^[a-z0-9]+$/.test(value)
      ? undefined
      : 'A storage account name may contain only lowercase letters and digits (no hyphens or capitals).',
  )
}

/** Azure Files share: 3-63 lowercase letters, digits and single hyphens between them. */
export function checkShareName(value: string): NameProblem {
  return first(
    length(value, 3, 63, 'A share name'),
    () =>
      /^[a-z0-9-]+$/.test(value)
        ? undefined
        : 'A share name may contain only lowercase letters, digits and hyphens (-).',
    () => (/^[a-z0-9]/.test(value) ? undefined : 'A share name must start with a letter or digit.'),
    () => (value.endsWith('-') ? 'A share name must end with a letter or digit.' : undefined),
    () => (value.includes('--') ? 'A share name cannot contain two hyphens in a row.' : undefined),
  )
}

/** DNS label of a public IP: 3-63 characters, lowercase letter first, letters/digits/hyphens, no trailing hyphen. */
export function checkDnsLabel(value: string): NameProblem {
  return first(
    length(value, 3, 63, 'A DNS name'),
    () =>
      /^[a-z0-9-]+$/.test(value)
        ? undefined
        : 'A DNS name may contain only lowercase letters, digits and hyphens (-).',
    () => (/^[a-z]/.test(value) ? undefined : 'A DNS name must start with a letter.'),
    () => (value.endsWith('-') ? 'A DNS name must end with a letter or digit.' : undefined),
  )
}

/** User names Azure refuses for the administrator of a VM (from Azure's VM validation). */
export const reservedAdminUsernames: readonly string[] = [
  'administrator',
  'admin',
  'user',
  'user1',
  'test',
  'user2',
  'test1',
  'user3',
  'admin1',
  '1',
  '123',
  'a',
  'actuser',
  'adm',
  'admin2',
  'aspnet',
  'backup',
  'console',
  'david',
  'guest',
  'john',
  'owner',
  'root',
  'server',
  'sql',
  'support',
  'support_388945a0',
  'sys',
  'test2',
  'test3',
  'user4',
  'user5',
]

/** Administrator user name: Azure's reserved words, Linux user name syntax, 20 characters on Windows. */
export function checkAdminUsername(value: string, osType: 'Linux' | 'Windows'): NameProblem {
  return first(
    length(value, 1, osType === 'Windows' ? 20 : 32, 'The administrator user name'),
    () =>
      reservedAdminUsernames.includes(value.toLowerCase())
        ? `'${value}' is reserved by Azure; choose another administrator user name.`
        : undefined,
    () =>
      osType === 'Linux'
        ? /^[a-z_][a-z0-9_-]*$/.test(value)
          ? undefined
          : 'A Linux user name must start with a lowercase letter or underscore and contain only lowercase letters, digits, underscores and hyphens.'
        : /^[A-Za-z0-9_.-]+$/.test(value) && !value.endsWith('.')
          ? undefined
          : 'A Windows user name may contain letters, digits, underscores, hyphens and periods, and cannot end with a period.',
  )
}

/** Passwords Azure refuses outright for VM administrators. */
export const disallowedPasswords: readonly string[] = [
  'abc@123',
  'P@$$w0rd',
  'P@ssw0rd',
  'P@ssword123',
  'Pa$$word',
  'pass@word1',
  'Password!',
  'Password1',
  'Password22',
  'iloveyou!',
]

/**
 * Windows administrator password: 12-123 characters with three of lower case, upper case,
 * digit and special character, not one of Azure's banned passwords, not containing the user
 * name.
 */
export function checkWindowsPassword(value: string, adminUsername = ''): NameProblem {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length
  return first(
    length(value, 12, 123, 'The password'),
    () =>
      classes >= 3
        ? undefined
        : 'The password needs three of these: a lowercase letter, an uppercase letter, a digit, a special character.',
    () =>
      disallowedPasswords.includes(value)
        ? 'Azure does not allow this common password; choose another.'
        : undefined,
    () =>
      adminUsername.length >= 3 && value.toLowerCase().includes(adminUsername.toLowerCase())
        ? 'The password cannot contain the user name.'
        : undefined,
  )
}

/** OpenSSH public key line: RSA (2048 bits or more), Ed25519 or ECDSA. */
export function checkSshPublicKey(value: string): NameProblem {
  const [type, data] = value.trim().split(/\s+/)
  const types = [
    'ssh-rsa',
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
  ]
  if (!type || !data)
    return 'Paste a public key line such as "ssh-ed25519 AAAA... you@laptop" (the .pub file).'
  if (value.includes('PRIVATE KEY'))
    return 'This is a private key. Use the public key (the .pub file) instead.'
  if (!types.includes(type))
    return `Key type '${type}' is not supported; use ssh-ed25519, ssh-rsa or ecdsa.`
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return 'The key data is not valid base64.'
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
  const view = new DataView(bytes.buffer)
  const field = (offset: number) => {
    if (offset + 4 > bytes.length) return undefined
    const size = view.getUint32(offset)
    return offset + 4 + size <= bytes.length ? { offset: offset + 4, size } : undefined
  }
  const name = field(0)
  if (!name || new TextDecoder().decode(bytes.slice(name.offset, name.offset + name.size)) !== type)
    return 'The key data does not match its type; copy the whole line from the .pub file.'
  if (type === 'ssh-rsa') {
    const exponent = field(name.offset + name.size)
    const modulus = exponent && field(exponent.offset + exponent.size)
    if (!modulus) return 'The RSA key is incomplete.'
    const leadingZero = bytes[modulus.offset] === 0 ? 1 : 0
    if ((modulus.size - leadingZero) * 8 < 2048)
      return 'Azure needs RSA keys of at least 2048 bits; an ed25519 key is a good choice.'
  }
  return undefined
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/** An IPv4 address or CIDR range, as network security rules take them. */
export function checkSourceRange(value: string): NameProblem {
  const [address, prefix, extra] = value.trim().split('/')
  if (extra !== undefined || !address || !ipv4.test(address))
    return `'${value}' is not an IPv4 address or range such as 203.0.113.0/24.`
  if (prefix === undefined) return undefined
  if (!/^\d{1,2}$/.test(prefix) || Number(prefix) > 32)
    return `The prefix length in '${value}' must be between 0 and 32.`
  const bits = Number(prefix)
  const number = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0)
  const hostBits = 2 ** (32 - bits)
  if (number % hostBits !== 0) {
    const base = Math.floor(number / hostBits) * hostBits
    const dotted = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.')
    return `'${value}' has host bits set; the range is ${dotted}/${bits}.`
  }
  return undefined
}

const reservedMountPoints = [
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/sys',
  '/tmp',
  '/usr',
  '/var',
]

/** Where the share appears: an absolute directory on Linux, a drive letter D: to Z: on Windows. */
export function checkMountPoint(value: string, osType: 'Linux' | 'Windows'): NameProblem {
  if (osType === 'Windows')
    return /^[D-Zd-z]:$/.test(value)
      ? undefined
      : 'On Windows the share is a drive letter from D: to Z:, such as Z:.'
  if (!value.startsWith('/'))
    return 'The mount point must be an absolute path such as /mnt/dsvmshare.'
  if (!/^\/[A-Za-z0-9._/-]+$/.test(value))
    return 'The mount point may contain only letters, digits, periods, underscores, hyphens and slashes.'
  if (value.split('/').includes('..')) return 'The mount point cannot contain "..".'
  if (reservedMountPoints.includes(value.replace(/\/+$/, '') || '/'))
    return `${value} is a system directory; use a directory such as /mnt/dsvmshare.`
  return undefined
}
