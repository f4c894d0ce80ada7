import type { CloudSession } from '../cloud-session'
import type { HandlersFor } from '../../ipc/handlers'

/** auth.*: accounts, sign-in and sign-out in the chosen cloud. */
export function authHandlers({ session }: { session(): Promise<CloudSession> }) {
  return {
    'auth.accounts': async () => (await session()).auth.accounts(),
    'auth.signIn': async (input) => (await session()).auth.signIn(input),
    'auth.cancelSignIn': async () => (await session()).auth.cancelSignIn(),
    'auth.signOut': async (input) => (await session()).auth.signOut(input),
  } satisfies HandlersFor<'auth'>
}
