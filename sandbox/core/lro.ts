import { ArmError } from './arm-error'
import type { SandboxClock, ScheduledTask } from './clock'
import type { SandboxReply } from './messages'
import type { SandboxState, Table } from './state'

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled'

export interface OperationRecord {
  id: string
  subscriptionId: string
  namespace: string
  location: string
  status: OperationStatus
  startTime: string
  endTime?: string
  /** Sandbox time (ms) at which it completes. */
  dueAt: number
  handler: string
  args: unknown
  error?: { code: string; message: string; details?: unknown[] }
  /** Body the operation-result (Location) URL returns on success, for POST actions. */
  result?: unknown
  /** HTTP status for a failed result at the Location URL. */
  errorStatus?: number
}

/**
 * A completion handler, registered by name so that operations survive a restart.
 * It mutates state; throwing an ArmError fails the operation with that error; a
 * returned value becomes the operation's result body.
 */
export type CompletionHandler = (args: never) => unknown

export interface StartOptions {
  subscriptionId: string
  namespace: string
  location: string
  /** Sandbox milliseconds until it completes. */
  durationMs: number
  handler: string
  args?: unknown
  apiVersion: string
}

/**
 * Long-running operations the way ARM runs them: the first answer carries
 * `Azure-AsyncOperation` (a status resource) and `Location` (the operation result), the
 * status moves InProgress → Succeeded/Failed/Canceled on the sandbox clock.
 */
export class LongRunningOperations {
  private readonly table: Table<OperationRecord>
  private readonly handlers = new Map<string, CompletionHandler>()
  /** Work that must finish before an operation completes (extensions that run for real). */
  private readonly holds = new Map<string, Promise<unknown>>()
  private readonly timers = new Map<string, ScheduledTask>()

  constructor(
    private readonly clock: SandboxClock,
    state: SandboxState,
    private readonly armEndpoint: () => string,
    private readonly newId: () => string,
  ) {
    this.table = state.table<OperationRecord>('operations')
  }

  register(name: string, handler: CompletionHandler): void {
    this.handlers.set(name, handler)
  }

  /** Re-arms operations restored from disk; call after all handlers are registered. */
  resume(): void {
    for (const op of this.table.values()) if (op.status === 'InProgress') this.arm(op)
  }

  start(options: StartOptions): { operation: OperationRecord; headers: Record<string, string> } {
    if (!this.handlers.has(options.handler))
      throw new Error(`No completion handler '${options.handler}'`)
    const operation: OperationRecord = {
      id: this.newId(),
      subscriptionId: options.subscriptionId,
      namespace: options.namespace,
      location: normalizeLocation(options.location),
      status: 'InProgress',
      startTime: this.clock.nowIso(),
      dueAt: this.clock.now() + options.durationMs,
      handler: options.handler,
      args: options.args ?? null,
    }
    this.table.set(operation.id, operation)
    this.arm(operation)
    return { operation, headers: this.headersFor(operation, options.apiVersion) }
  }

  /**
   * Keeps the operation InProgress past its due time until `work` settles (work that takes
   * real time, such as an extension's script). Not kept across a restart.
   */
  hold(id: string, work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    )
    this.holds.set(id, settled)
    void settled.then(() => {
      if (this.holds.get(id) === settled) this.holds.delete(id)
    })
  }

  /** True while some operation waits for held work (an extension's script running). */
  get busy(): boolean {
    return this.holds.size > 0
  }

  /**
   * Settles when no operation waits for held work. Tests that move the clock themselves wait
   * for this first, so simulated time never runs ahead of work that takes real time.
   */
  async idle(): Promise<void> {
    while (this.holds.size > 0) await Promise.all([...this.holds.values()])
  }

  /** The held work of an operation still waiting for it, if any. */
  held(id: string): Promise<unknown> | undefined {
    return this.holds.get(id)
  }

  get(id: string): OperationRecord | undefined {
    return this.table.get(id)
  }

  /** Ends an operation now as Canceled; its handler does not run. */
  cancel(id: string): boolean {
    const op = this.table.get(id)
    if (!op || op.status !== 'InProgress') return false
    this.timers.get(id)?.cancel()
    this.finish(op, 'Canceled')
    return true
  }

  /** Runs the operation's handler now instead of at its due time. */
  completeNow(id: string): void {
    const op = this.table.get(id)
    if (op?.status === 'InProgress') {
      this.timers.get(id)?.cancel()
      this.complete(op)
    }
  }

  headersFor(op: OperationRecord, apiVersion: string): Record<string, string> {
    const base = `${this.armEndpoint()}/subscriptions/${op.subscriptionId}/providers/${op.namespace}/locations/${op.location}`
    const q = `?api-version=${encodeURIComponent(apiVersion)}`
    return {
      'Azure-AsyncOperation': `${base}/operations/${op.id}${q}`,
      Location: `${base}/operationResults/${op.id}${q}`,
    }
  }

  statusReply(op: OperationRecord): SandboxReply {
    return {
      status: 200,
      // Tells pollers (the Azure CLI waits 30 s without it) when to ask again.
      ...(op.status === 'InProgress' ? { headers: { 'Retry-After': 1 } } : {}),
      body: {
        name: op.id,
        status: op.status,
        startTime: op.startTime,
        ...(op.endTime ? { endTime: op.endTime } : {}),
        ...(op.error ? { error: op.error } : {}),
      },
    }
  }

  resultReply(op: OperationRecord, apiVersion: string): SandboxReply {
    if (op.status === 'InProgress') {
      return {
        status: 202,
        headers: { Location: this.headersFor(op, apiVersion).Location!, 'Retry-After': 1 },
      }
    }
    if (op.status === 'Failed' && op.error) {
      return { status: op.errorStatus ?? 400, body: { error: op.error } }
    }
    if (op.result !== undefined && op.result !== null) return { status: 200, body: op.result }
    return { status: 204 }
  }

  find(id: string, subscriptionId: string): OperationRecord {
    const op = this.table.get(id)
    if (!op || op.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) {
      throw new ArmError(404, 'OperationNotFound', `The operation '${id}' could not be found.`)
    }
    return op
  }

  private arm(op: OperationRecord): void {
    this.timers.set(
      op.id,
      this.clock.at(op.dueAt, () => this.complete(op)),
    )
  }

  private complete(op: OperationRecord): void {
    this.timers.delete(op.id)
    const hold = this.holds.get(op.id)
    if (hold) {
      void hold.then(() => {
        if (op.status === 'InProgress') this.complete(op)
      })
      return
    }
    const handler = this.handlers.get(op.handler)
    try {
      const result = handler ? handler(op.args as never) : undefined
      if (result !== undefined) op.result = result
      this.finish(op, 'Succeeded')
    } catch (error) {
      if (error instanceof ArmError) {
        op.error = error.body().error as OperationRecord['error']
        op.errorStatus = error.status
      } else {
        op.error = { code: 'InternalServerError', message: String(error) }
        op.errorStatus = 500
      }
      this.finish(op, 'Failed')
    }
  }

  private finish(op: OperationRecord, status: OperationStatus): void {
    op.status = status
    op.endTime = this.clock.nowIso()
    this.table.set(op.id, op)
  }
}

export const normalizeLocation = (location: string) => location.replace(/\s+/g, '').toLowerCase()
