import type { Value } from './value'

/** Where the template is deployed: what resourceGroup(), subscription() and deployment() return. */
export interface TemplateScope {
  subscriptionId: string
  tenantId: string
  subscriptionDisplayName: string
  tenantDisplayName?: string
  resourceGroup: {
    name: string
    location: string
    tags?: Record<string, string>
    managedBy?: string
  }
  deploymentName: string
  armEndpoint: string
  /** Entra's authority host, as environment().authentication.loginEndpoint (no trailing /). */
  authorityHost?: string
}

/** Reads and actions on real resources for reference() and list*(), as the deploying user. */
export interface TemplateRuntime {
  /** The resource body as its provider returns it; throws ResourceCallError on an error reply. */
  getResource(id: string, apiVersion: string): Promise<Value>
  /** POST {id}/{action}; throws ResourceCallError on an error reply. */
  invokeAction(id: string, action: string, apiVersion: string, body?: Value): Promise<Value>
}

/**
 * When an expression is evaluated. Azure allows some functions only in some places:
 * utcNow()/newGuid() in parameter defaults, reference()/list*() only where a deployment is
 * running (resource properties and outputs).
 */
export type Phase = 'parameters' | 'plan' | 'runtime' | 'whatIf'

/** A template resource that reference() and list*() can name instead of giving an id. */
export interface NamedResource {
  id: string
  name: string
  type: string
  apiVersion: string
}

/** Everything an expression can see. */
export interface Env {
  phase: Phase
  scope: TemplateScope
  parameter(name: string): Value | Promise<Value>
  variable(name: string): Value | Promise<Value>
  /** Indexes of the copy loops around the expression; `default` is the resource's own loop. */
  copy: { default?: { name: string; index: number }; byName: Record<string, number> }
  /** Finds a resource of the template by name (as reference('name') does). */
  templateResource(name: string): NamedResource | undefined
  runtime?: TemplateRuntime
  /** Values of the lambda parameters around the expression (lambdaVariables('x')). */
  lambda?: Record<string, Value>
  newGuid(): string
  now(): number
}

export const withCopyIndex = (env: Env, name: string, index: number, asDefault: boolean): Env => ({
  ...env,
  copy: {
    ...(asDefault
      ? { default: { name, index } }
      : env.copy.default
        ? { default: env.copy.default }
        : {}),
    byName: { ...env.copy.byName, [name.toLowerCase()]: index },
  },
})
