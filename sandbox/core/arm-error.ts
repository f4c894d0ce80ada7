/** An error answered the way Azure answers it: `{ error: { code, message, details? } }`. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { details?: unknown[]; headers?: Record<string, string>; target?: string } = {},
  ) {
    super(message)
    this.name = 'ArmError'
  }

  body(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.extra.target ? { target: this.extra.target } : {}),
        ...(this.extra.details ? { details: this.extra.details } : {}),
      },
    }
  }
}

export const notFound = (type: string, name: string, resourceGroup?: string) =>
  new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  )

export const resourceGroupNotFound = (name: string) =>
  new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`)

export const invalidRequest = (message: string, code = 'InvalidRequestContent') =>
  new ArmError(400, code, message)
