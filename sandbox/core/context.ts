import type { ArmError } from './arm-error'
import type { SandboxClock } from './clock'
import type { Faults } from './faults'
import type { Principal, SandboxRequest } from './messages'
import type { RequestTap } from './request-tap'
import type { SandboxState } from './state'
import type { LongRunningOperations } from './lro'
import type { Resources } from './resources'
import type { UsageLog } from './usage'
import type { SandboxReply } from './messages'

/** The endpoints a client needs, all on one HTTPS port. */
export interface SandboxEndpoints {
  /** Resource Manager, e.g. https://localhost:PORT */
  armEndpoint: string
  /** Authority host; append a tenant id: `${authorityHost}/${tenantId}`. */
  authorityHost: string
  /** Azure Files base URL; the account name follows as the first path segment. */
  filesEndpoint: string
  pricesEndpoint: string
}

/** Verifies bearer tokens; implemented by the identity module. */
export interface TokenVerifier {
  /** The caller, or an ArmError 401 exactly as Azure answers a bad token. */
  verify(req: SandboxRequest, expectedAudiences: string[]): Principal | ArmError
}

/** What every handler gets: the sandbox's shared services. */
export interface SandboxContext {
  endpoints: SandboxEndpoints
  /** PEM of the sandbox's certificate (what instance scripts run by the sandbox trust). */
  caCert?: string
  clock: SandboxClock
  state: SandboxState
  faults: Faults
  lro: LongRunningOperations
  tokens: TokenVerifier
  resources: Resources
  usage: UsageLog
  /**
   * Runs an ARM request inside the sandbox as `principal` (authorization applies, faults and
   * rate limits do not): how deployments create resources, call listKeys() and reference(),
   * and how autoscale changes capacity. Errors come back as error replies, not throws.
   */
  dispatch(request: InternalRequest): Promise<SandboxReply>
  /** New GUID (deterministic with a seed). */
  newId(): string
  /** Every request as it arrives (tests count what reached the sandbox). */
  requests?: RequestTap
}

export interface InternalRequest {
  method: string
  /** Path with query, e.g. /subscriptions/.../virtualMachineScaleSets/x?api-version=2024-11-01 */
  path: string
  body?: unknown
  principal: Principal
}
