import type { ApiError } from '../api/api-error'

/** What a failed call means for the person in front of the screen and what they can do. */
export interface ErrorText {
  title: string
  /** The next step, in words. */
  whatToDo: string
  /** Whether trying the same thing again can help. */
  retry: boolean
  /** The fix is signing in again (token expired, MFA or consent step needed). */
  signIn: boolean
}

export function isConsentProblem(error: ApiError): boolean {
  const reason = typeof error.details?.reason === 'string' ? error.details.reason : ''
  return /consent/i.test(reason) || /consent|AADSTS65001/i.test(error.message)
}

/**
 * The error's own next step (`details.whatToDo`, set by main where it knows better than the
 * code's general advice), otherwise the code's.
 */
export function describeError(error: ApiError): ErrorText {
  const text = describeCode(error)
  const own = error.details?.whatToDo
  return typeof own === 'string' && own.trim() ? { ...text, whatToDo: own } : text
}

function describeCode(error: ApiError): ErrorText {
  switch (error.code) {
    case 'AuthRequired':
      return {
        title: 'Sign in again',
        whatToDo:
          'Your sign-in expired or Azure needs another step from you, such as multi-factor authentication.',
        retry: false,
        signIn: true,
      }
    case 'Offline':
      return {
        title: 'Can’t connect',
        whatToDo: 'If you use a VPN or a proxy, make sure it is connected too.',
        retry: true,
        signIn: false,
      }
    case 'Throttled':
      return {
        title: 'Azure asked the app to slow down',
        whatToDo:
          'Too many requests were made in a short time. Wait a few seconds, then try again.',
        retry: true,
        signIn: false,
      }
    case 'Transient':
      return {
        title: 'Azure had a temporary problem',
        whatToDo: 'This usually passes within a minute.',
        retry: true,
        signIn: false,
      }
    case 'Forbidden':
      return isConsentProblem(error)
        ? {
            title: 'Your organisation must approve this app',
            whatToDo:
              'An administrator of your directory has to consent to the app first. Ask them to, or use an app registration your organisation already approved (Settings → Client ID).',
            retry: true,
            signIn: false,
          }
        : {
            title: 'You don’t have access',
            whatToDo:
              'Ask an administrator of the subscription for a role on it: Reader to see pools, Contributor to create and change them.',
            retry: true,
            signIn: false,
          }
    case 'QuotaExceeded':
      return {
        title: 'Quota reached',
        whatToDo:
          'Request more quota in the Azure portal, or choose a smaller size or fewer instances.',
        retry: false,
        signIn: false,
      }
    case 'Conflict':
      return {
        title: 'Someone else changed this',
        whatToDo: 'Reload to see the current state, then try again.',
        retry: true,
        signIn: false,
      }
    case 'NotFound':
      return {
        title: 'Not found',
        whatToDo: 'It may have been deleted or moved. Reload to see what exists now.',
        retry: true,
        signIn: false,
      }
    case 'Validation':
      return {
        title: 'That wasn’t accepted',
        whatToDo: 'Correct the value and try again.',
        retry: false,
        signIn: false,
      }
    case 'Cancelled':
      return { title: 'Cancelled', whatToDo: 'Nothing was changed.', retry: true, signIn: false }
    case 'Unknown':
      return {
        title: 'Something went wrong',
        whatToDo: 'If this keeps happening, restart the app.',
        retry: true,
        signIn: false,
      }
  }
}
