/** Storage account and file share naming rules, with the messages Azure answers. */

export type NameCheck =
  | { nameAvailable: true }
  | { nameAvailable: false; reason: 'AccountNameInvalid' | 'AlreadyExists'; message: string }

const accountNamePattern = /^[a-z0-9]{3,24}$/

export function isValidAccountName(name: string): boolean {
  return accountNamePattern.test(name)
}

export const invalidAccountNameMessage = (name: string) =>
  `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`

export const accountNameTakenMessage = (name: string) =>
  `The storage account named ${name} is already taken.`

/** What Microsoft.Storage/checkNameAvailability answers for `name`. */
export function checkAccountName(name: string, isTaken: (name: string) => boolean): NameCheck {
  if (!isValidAccountName(name)) {
    return {
      nameAvailable: false,
      reason: 'AccountNameInvalid',
      message: invalidAccountNameMessage(name),
    }
  }
  if (isTaken(name))
    return { nameAvailable: false, reason: 'AlreadyExists', message: accountNameTakenMessage(name) }
  return { nameAvailable: true }
}

/**
 * Share names: 3-63 characters, lowercase letters, digits and hyphens, starting and ending
 * with a letter or digit, no two hyphens in a row.
 */
export function isValidShareName(name: string): boolean {
  return /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(name)
}
