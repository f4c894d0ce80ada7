import { calls, type CallName } from '../shared/api'
import { createRouter } from '../electron/ipc/router'
import type { Handlers } from '../electron/ipc/handlers'
import { medianMs, type Bench } from './figure'

/**
 * What validating every call in main costs: the router (zod on input and output) next to
 * calling the same handler directly, in one run.
 */
const settings = {
  cloud: 'Sandbox',
  chosenSubscriptionIds: Array.from(
    { length: 20 },
    (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  ),
  closeToTray: true,
  theme: 'dark',
} as const

export const ipcBench: Bench = {
  title: 'IPC router: validation cost per call',
  async run() {
    const handler = (patch: unknown) => ({ ...settings, ...(patch as object) })
    const handlers = Object.fromEntries(
      (Object.keys(calls) as CallName[]).map((name) => [name, handler]),
    ) as unknown as Handlers
    const router = createRouter(handlers)
    const patch = { theme: 'light', chosenSubscriptionIds: settings.chosenSubscriptionIds }
    const batch = 2_000
    const viaRouter = await medianMs(async () => {
      for (let i = 0; i < batch; i++) await router.call('settings.update', patch)
    })
    const direct = await medianMs(async () => {
      for (let i = 0; i < batch; i++) await handler(patch)
    })
    const perCallUs = (viaRouter / batch) * 1000
    return [
      { name: 'settings.update through the router', value: perCallUs, unit: 'µs/call' },
      {
        name: 'router / direct handler call',
        value: viaRouter / direct,
        unit: '×',
        note: 'zod validation of input and output; far below one frame (16 ms)',
      },
    ]
  },
}
