import { describe, expect, it } from 'vitest'
import {
  poolView,
  suggestedUntil,
  type AutoscaleFacts,
  type InstanceFacts,
  type PoolFacts,
} from '../../../shared/pool-state'

/**
 * The one derivation behind the badge, the switch, the banner, the card and the tray, over a
 * table of Azure states, including every case of issue 12's "Why".
 */

const now = Date.parse('2026-12-06T15:00:00Z') // a Sunday, 15:00 UTC
const tz = 'UTC'
const up = (protectedFromScaleIn = false): InstanceFacts => ({
  powerState: 'running',
  provisioningState: 'Succeeded',
  protectedFromScaleIn,
})
const off = (): InstanceFacts => ({
  powerState: 'deallocated',
  provisioningState: 'Succeeded',
  protectedFromScaleIn: false,
})
const creating = (): InstanceFacts => ({
  powerState: 'starting',
  provisioningState: 'Creating',
  protectedFromScaleIn: false,
})
const deleting = (): InstanceFacts => ({
  powerState: 'running',
  provisioningState: 'Deleting',
  protectedFromScaleIn: false,
})

const working: AutoscaleFacts = {
  enabled: true,
  active: { minimum: 1, maximum: 5, default: 2, fixedDate: false },
  next: { at: '2026-12-06T18:00:00.000Z', maximum: 0, default: 0 },
}
const offHours: AutoscaleFacts = {
  enabled: true,
  active: { minimum: 0, maximum: 0, default: 0, fixedDate: false },
  next: { at: '2026-12-07T08:00:00.000Z', maximum: 5, default: 2 },
}
const kept: AutoscaleFacts = {
  enabled: true,
  active: { minimum: 3, maximum: 3, default: 3, fixedDate: true },
  override: { capacity: 3, until: '2026-12-06T20:00:00.000Z', by: 'ada@contoso.com' },
  next: { at: '2026-12-07T08:00:00.000Z', maximum: 5, default: 2 },
}

const facts = (patch: Partial<PoolFacts>): PoolFacts => ({
  provisioningState: 'Succeeded',
  capacity: 0,
  instances: [],
  now,
  timeZone: tz,
  ...patch,
})

type Row = {
  name: string
  facts: Partial<PoolFacts>
  state: string
  badge: string
  switchOn: boolean
  banner?: RegExp
  offer?: string
  line?: string
}

const table: Row[] = [
  {
    name: 'running at its capacity',
    facts: { capacity: 3, instances: [up(), up(), up()] },
    state: 'Running',
    badge: 'Running',
    switchOn: false,
    line: '3 running',
  },
  {
    // Why: "A pool deployed on a Sunday lands at 0 instances … the JupyterHub button is disabled
    // with no reason": at zero by its schedule, the switch on, the banner says why and until when.
    name: 'deployed outside working hours: autoscale holds it at zero',
    facts: { capacity: 0, autoscale: offHours },
    state: 'Scaled to zero',
    badge: 'Scaled to zero',
    switchOn: true,
    banner: /^At zero outside working hours: autoscale keeps it there until Mon 08:00\.$/,
    offer: 'startUntil',
  },
  {
    // Why: "Scaling to 3 is undone by autoscale": the manual size is an override autoscale keeps.
    name: 'a manual size kept by an override',
    facts: { capacity: 3, instances: [up(), up(), up()], autoscale: kept },
    state: 'Running',
    badge: 'Running',
    switchOn: false,
    banner: /^Kept at 3 until 20:00 by ada@contoso\.com$/,
    offer: 'endOverride',
    line: '3 running',
  },
  {
    // Why: "Scale to zero with one protected instance reports 'scaled to zero' … the badge says
    // Running, the switch stays off": the badge, switch and banner say the same thing.
    name: 'scaled to zero with a protected instance kept running',
    facts: {
      capacity: 1,
      instances: [up(true)],
      restoreCapacity: 2,
      instancePerHour: 0.24,
      currency: 'USD',
    },
    state: 'Protected running',
    badge: '1 protected running',
    switchOn: true,
    banner: /^Not scaled to zero: 1 protected instance still running, \$0\.24\/h\./,
    offer: 'includeProtected',
    line: '1 protected running',
  },
  {
    // Why: "The header badge says 'Scaled to zero' while the switch is off".
    name: 'at zero by someone outside the app (capacity 0, no tag, no autoscale)',
    facts: { capacity: 0 },
    state: 'Scaled to zero',
    badge: 'Scaled to zero',
    switchOn: true,
    banner: /capacity is 0/,
    offer: 'restoreFromZero',
  },
  {
    name: 'scaled to zero by the app',
    facts: { capacity: 0, restoreCapacity: 2, autoscale: { ...working, enabled: false } },
    state: 'Scaled to zero',
    badge: 'Scaled to zero',
    switchOn: true,
    banner: /brings back 2 instances/,
    offer: 'restoreFromZero',
  },
  {
    name: 'going to zero: instances being deleted',
    facts: { capacity: 0, instances: [deleting(), deleting()], restoreCapacity: 2 },
    state: 'Scaling',
    badge: 'Scaling',
    switchOn: true,
  },
  {
    // Why: "Bringing the pool back … autoscale then drains it while the banner says the pool is
    // back": brought back outside hours, it is kept by an override, and the banner says until when.
    name: 'brought back outside working hours, kept by an override',
    facts: { capacity: 2, instances: [up(), up()], autoscale: { ...offHours, ...kept } },
    state: 'Running',
    badge: 'Running',
    switchOn: false,
    banner: /^Kept at 3 until 20:00/,
  },
  {
    name: 'every instance deallocated',
    facts: { capacity: 2, instances: [off(), off()] },
    state: 'Stopped',
    badge: 'Stopped',
    switchOn: false,
    line: 'stopped (2 deallocated)',
  },
  {
    name: 'an instance being created',
    facts: { capacity: 2, instances: [up(), creating()] },
    state: 'Scaling',
    badge: 'Scaling',
    switchOn: false,
    line: 'scaling: 1 of 2 running',
  },
  {
    name: 'marked as scaled to zero but instances exist (changed outside the app)',
    facts: { capacity: 2, instances: [up(), up()], restoreCapacity: 2 },
    state: 'Running',
    badge: 'Running',
    switchOn: false,
    banner: /outside this app/,
  },
  {
    name: 'running during working hours, the schedule takes it to zero later',
    facts: { capacity: 2, instances: [up(), up()], autoscale: working },
    state: 'Running',
    badge: 'Running',
    switchOn: false,
    banner: /^Autoscale takes it to 0 at 18:00\.$/,
    offer: 'keepRunning',
  },
  {
    name: 'deploying',
    facts: { provisioningState: 'Creating', capacity: 2 },
    state: 'Deploying',
    badge: 'Deploying',
    switchOn: false,
  },
  {
    name: 'the scale set failed',
    facts: { provisioningState: 'Failed', capacity: 2, instances: [up(), up()] },
    state: 'Failed',
    badge: 'Failed',
    switchOn: false,
  },
]

describe('the derived pool state', () => {
  it.each(table)('$name', (row) => {
    const view = poolView(facts(row.facts))
    expect(view.state).toBe(row.state)
    expect(view.badge).toBe(row.badge)
    expect(view.scaledToZero).toBe(row.switchOn)
    if (row.banner) expect(view.banner?.text).toMatch(row.banner)
    if (row.offer) expect(view.banner?.offer).toBe(row.offer)
    if (row.line) expect(view.line).toBe(row.line)
    // The badge and the switch never contradict each other.
    if (view.badge === 'Scaled to zero') expect(view.scaledToZero).toBe(true)
    if (view.badge === 'Running') expect(view.scaledToZero).toBe(false)
  })

  it('never says "Scaled to zero" while an instance still runs', () => {
    for (const row of table) {
      const view = poolView(facts(row.facts))
      const running = (row.facts.instances ?? []).some(
        (i) => i.powerState === 'running' && i.provisioningState !== 'Deleting',
      )
      if (running) expect(view.badge).not.toBe('Scaled to zero')
    }
  })

  it('says why JupyterHub cannot open while nothing runs', () => {
    expect(poolView(facts({ capacity: 0, autoscale: offHours })).jupyterHubBlocked).toMatch(
      /at zero/,
    )
    expect(poolView(facts({ capacity: 1, instances: [creating()] })).jupyterHubBlocked).toMatch(
      /yet/,
    )
    expect(poolView(facts({ capacity: 1, instances: [up()] })).jupyterHubBlocked).toBeUndefined()
  })

  it('blocks the switch while Azure changes the pool or deploys it, and says why', () => {
    expect(poolView(facts({ capacity: 2, instances: [up(), creating()] })).switchBlocked).toMatch(
      /changing/,
    )
    expect(poolView(facts({ provisioningState: 'Creating', capacity: 2 })).switchBlocked).toMatch(
      /deployed/,
    )
    expect(poolView(facts({ capacity: 1, instances: [up()] })).switchBlocked).toBeUndefined()
  })

  it('ignores an override while autoscale is switched off (it keeps nothing then)', () => {
    const view = poolView(
      facts({ capacity: 3, instances: [up(), up(), up()], autoscale: { ...kept, enabled: false } }),
    )
    expect(view.override).toBeUndefined()
    expect(view.banner).toBeUndefined()
  })
})

describe('between polls', () => {
  it('stays the same while nothing changes (the poller pushes only what changed)', () => {
    for (const row of table) {
      const first = poolView(facts({ ...row.facts, now: now + 20_000 }))
      const later = poolView(facts({ ...row.facts, now: now + 23_000 }))
      expect(later).toEqual(first)
    }
  })
})

describe('the snooze offer', () => {
  it('comes ten minutes before the schedule takes running instances away, not earlier', () => {
    const at = (minutes: number): AutoscaleFacts => ({
      ...working,
      next: { at: new Date(now + minutes * 60_000).toISOString(), maximum: 0, default: 0 },
    })
    const running = { capacity: 2, instances: [up(), up()] }
    expect(poolView(facts({ ...running, autoscale: at(11) })).goesDownSoon).toBeUndefined()
    expect(poolView(facts({ ...running, autoscale: at(10) })).goesDownSoon).toEqual({
      at: '2026-12-06T15:10:00.000Z',
      to: 0,
      keepUntil: '2026-12-06T16:10:00.000Z',
      text: 'goes to zero at 15:10 — Keep running until 16:10',
    })
    // Kept by an override, or nothing running: nothing to snooze.
    expect(
      poolView(facts({ ...running, autoscale: { ...at(5), override: kept.override } }))
        .goesDownSoon,
    ).toBeUndefined()
    expect(poolView(facts({ capacity: 0, autoscale: at(5) })).goesDownSoon).toBeUndefined()
  })
})

describe('the suggested end of a manual size', () => {
  it('is the end of the working hours in force', () => {
    expect(suggestedUntil(working, now)).toBe('2026-12-06T18:00:00.000Z')
  })
  it('is two hours from now outside working hours, or without a schedule', () => {
    expect(suggestedUntil(offHours, now)).toBe('2026-12-06T17:00:00.000Z')
    expect(suggestedUntil(undefined, now)).toBe('2026-12-06T17:00:00.000Z')
    expect(suggestedUntil(kept, now)).toBe('2026-12-06T17:00:00.000Z')
  })
})
