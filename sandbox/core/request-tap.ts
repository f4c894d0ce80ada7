import type { Service, SandboxRequest } from './messages'

/** A request as it reached the sandbox, before faults and routing. */
export interface SeenRequest {
  service: Service
  method: string
  path: string
  request: SandboxRequest
}

/**
 * Lets tests and benchmarks see every request the sandbox receives (e.g. count the ranges a
 * transfer sent, with their headers), including those a fault then drops.
 */
export class RequestTap {
  private listeners = new Set<(seen: SeenRequest) => void>()

  /** Calls `listener` for each request from now on; returns the function that stops it. */
  listen(listener: (seen: SeenRequest) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  seen(seen: SeenRequest): void {
    for (const listener of this.listeners) listener(seen)
  }
}
