import type { CloudSession } from './cloud-session'
import type { HandlersFor } from '../ipc/handlers'

/** subscriptions.*: the tenants and subscriptions the signed-in accounts see. */
export function subscriptionHandlers({ session }: { session(): Promise<CloudSession> }) {
  return {
    'subscriptions.list': async () => {
      const { subscriptions, arm } = await session()
      return arm.remember(await subscriptions.list())
    },
  } satisfies HandlersFor<'subscriptions'>
}
