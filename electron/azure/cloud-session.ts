import type { Cloud } from '../../shared/clouds'
import type { ArmContexts } from './arm-context'
import type { AuthServices } from './auth/index'

/** Sign-in and subscriptions for one cloud, and how to reach that cloud's ARM. */
export interface CloudSession extends AuthServices {
  cloud: Cloud
  /** CA to trust for this cloud's endpoints (the sandbox's certificate), if any. */
  tlsCa?: string
  /** Which account, tenant and credential reach a subscription (for the Azure SDK clients). */
  arm: ArmContexts
}
