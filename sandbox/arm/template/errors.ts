/**
 * A problem with the template or its parameters: deployments answer it with 400
 * InvalidTemplate before creating anything (or fail the resource operation at run time).
 */
export class TemplateError extends Error {
  constructor(
    message: string,
    /** Where in the template the problem is (JSON path), once known. */
    public path?: Array<string | number>,
    /** The innermost expression that failed, e.g. "[parameters('x')]". */
    public expression?: string,
  ) {
    super(message)
    this.name = 'TemplateError'
  }
}

/**
 * An error answered by a resource provider while the template was evaluated (reference() or
 * listKeys() on a resource that does not exist): the deployment operation fails with it.
 */
export class ResourceCallError extends Error {
  constructor(
    readonly status: number,
    readonly error: { code: string; message: string; [key: string]: unknown },
  ) {
    super(error.message)
    this.name = 'ResourceCallError'
  }
}

/**
 * Thrown by reference()/list*() during what-if for resources that do not exist yet: the
 * property shows the unevaluated expression, as Azure's what-if does.
 */
export class DeferredValue extends Error {
  constructor() {
    super('The value is only known during the deployment.')
    this.name = 'DeferredValue'
  }
}
