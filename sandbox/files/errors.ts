import { randomUUID } from 'node:crypto'
import { ArmError } from '../core/arm-error'
import type { SandboxReply } from '../core/http'
import { escapeXml } from './xml'

/** An Azure Files error: the service's code and message, and optional extra XML elements. */
export class FilesError extends ArmError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly detailXml = '',
    headers: Record<string, string> = {},
  ) {
    super(status, code, message, { headers })
    this.name = 'FilesError'
  }
}

export const shareNotFound = () =>
  new FilesError(404, 'ShareNotFound', 'The specified share does not exist.')
export const resourceNotFound = () =>
  new FilesError(404, 'ResourceNotFound', 'The specified resource does not exist.')
export const parentNotFound = () =>
  new FilesError(404, 'ParentNotFound', 'The specified parent path does not exist.')
export const resourceAlreadyExists = () =>
  new FilesError(409, 'ResourceAlreadyExists', 'The specified resource already exists.')
export const resourceTypeMismatch = () =>
  new FilesError(
    409,
    'ResourceTypeMismatch',
    'The specified resource type does not match the type of the resource.',
  )
export const invalidRange = (size: number) =>
  new FilesError(
    416,
    'InvalidRange',
    'The range specified is invalid for the current size of the resource.',
    '',
    {
      'Content-Range': `bytes */${size}`,
    },
  )
export const missingHeader = (name: string) =>
  new FilesError(
    400,
    'MissingRequiredHeader',
    "An HTTP header that's mandatory for this request is not specified.",
    `<HeaderName>${escapeXml(name)}</HeaderName>`,
  )
export const invalidHeader = (name: string, value: string) =>
  new FilesError(
    400,
    'InvalidHeaderValue',
    'The value for one of the HTTP headers is not in the correct format.',
    `<HeaderName>${escapeXml(name)}</HeaderName><HeaderValue>${escapeXml(value)}</HeaderValue>`,
  )
export const invalidQuery = (name: string, value: string, reason = '') =>
  new FilesError(
    400,
    'InvalidQueryParameterValue',
    'Value for one of the query parameters specified in the request URI is invalid.',
    `<QueryParameterName>${escapeXml(name)}</QueryParameterName><QueryParameterValue>${escapeXml(value)}</QueryParameterValue>${reason ? `<Reason>${escapeXml(reason)}</Reason>` : ''}`,
  )
export const invalidResourceName = () =>
  new FilesError(
    400,
    'InvalidResourceName',
    'The specifed resource name contains invalid characters.',
  )
export const unsupportedVerb = () =>
  new FilesError(405, 'UnsupportedHttpVerb', "The resource doesn't support specified Http Verb.")

/** Renders any error thrown by a Files handler as the service's XML error body. */
export function filesErrorReply(error: unknown, version: string, method: string): SandboxReply {
  const failure =
    error instanceof ArmError
      ? error
      : new FilesError(
          500,
          'InternalError',
          'Server encountered an internal error. Please try again after some time.',
        )
  if (!(error instanceof ArmError)) console.error('[sandbox files]', error)
  const detail = failure instanceof FilesError ? failure.detailXml : ''
  const message = `${failure.message}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString().replace('Z', '0000Z')}`
  const headers: Record<string, string> = {
    'x-ms-error-code': failure.code,
    'x-ms-version': version,
    ...(failure.extra.headers ?? {}),
  }
  if (method === 'HEAD') return { status: failure.status, headers }
  return {
    status: failure.status,
    headers: { ...headers, 'Content-Type': 'application/xml' },
    body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${escapeXml(failure.code)}</Code><Message>${escapeXml(message)}</Message>${detail}</Error>`,
  }
}
