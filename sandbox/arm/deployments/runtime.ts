import type { SandboxContext } from '../../core/context'
import type { Principal, SandboxReply } from '../../core/http'
import type { TemplateRuntime } from '../template/env'
import { DeferredValue, ResourceCallError } from '../template/errors'
import type { Value } from '../template/value'

function errorOf(reply: SandboxReply): ResourceCallError {
  const body = reply.body as { error?: { code?: string; message?: string } } | undefined
  const error = body?.error
  return new ResourceCallError(reply.status, {
    ...(error ?? {}),
    code: error?.code ?? 'ResourceRequestFailed',
    message: error?.message ?? `The request failed with status ${reply.status}.`,
  })
}

/**
 * reference() and list*() as the deploying user: in-process ARM requests to the providers'
 * own handlers. During what-if, resources that do not exist yet (and every list*() call, so
 * that keys never appear in a what-if) leave their expressions unevaluated.
 */
export function deploymentRuntime(
  ctx: SandboxContext,
  principal: Principal,
  whatIf = false,
): TemplateRuntime {
  return {
    async getResource(id, apiVersion) {
      const reply = await ctx.dispatch({
        method: 'GET',
        path: `${id}?api-version=${encodeURIComponent(apiVersion)}`,
        principal,
      })
      if (reply.status === 200) return reply.body as Value
      if (whatIf && reply.status === 404) throw new DeferredValue()
      throw errorOf(reply)
    },
    async invokeAction(id, action, apiVersion, body) {
      if (whatIf) throw new DeferredValue()
      const reply = await ctx.dispatch({
        method: 'POST',
        path: `${id}/${action}?api-version=${encodeURIComponent(apiVersion)}`,
        principal,
        ...(body === undefined || body === null ? {} : { body }),
      })
      if (reply.status === 200) return (reply.body ?? null) as Value
      throw errorOf(reply)
    },
  }
}
