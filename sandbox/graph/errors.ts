/**
 * The body of a Microsoft Graph error: `{ error: { code, message, innerError } }`. Graph
 * handlers throw ArmError (status, code, message); the server shapes it with this.
 */
export function graphErrorBody(code: string, message: string, requestId: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d+Z$/, ''),
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  }
}
