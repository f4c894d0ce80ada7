import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { azureErrorWords, wordsFor } from '../../../electron/azure/error-words'
import { toAppError } from '../../../electron/ipc/errors'
import { errorCodes } from '../../../shared/errors'

/*
 * Every Azure error code the app can meet reaches the person as words that say what to do:
 * the table's entries one by one through the same path as a real SDK failure, and every code
 * the sandbox (our stand-in for Azure) can answer has an entry.
 */

const rawAzureText = 'RAW-AZURE-TEXT value x'
const statusFor = (code: string) =>
  /NotFound/.test(code) ? 404 : /Throttl|TooMany/.test(code) ? 429 : 400
function restError(statusCode: number, code: string) {
  const request = createPipelineRequest({ url: 'https://management.azure.com/subscriptions' })
  return new RestError(rawAzureText, {
    code,
    statusCode,
    request,
    response: { status: statusCode, headers: createHttpHeaders(), request },
  })
}

/** Codes the sandbox answers with: ArmError/FilesError(status, 'Code') and `code: 'Code'`. */
function sandboxCodes(): string[] {
  const root = join(__dirname, '../../../sandbox')
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  )
  const codes = new Set<string>()
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8')
    for (const m of text.matchAll(/(?:ArmError|FilesError)\(\s*\d+,\s*'(\w+)'/g)) codes.add(m[1]!)
    for (const m of text.matchAll(/\bcode:\s*'([A-Z]\w+)'/g)) codes.add(m[1]!)
  }
  return [...codes].filter((c) => !/^\d+$/.test(c)).sort()
}

describe('Azure error words', () => {
  it.each(Object.entries(azureErrorWords))('%s says what to do', (code, entry) => {
    expect(errorCodes).toContain(entry.code)
    const error = toAppError(restError(statusFor(code), code))
    expect(error.code).toBe(entry.code)
    expect(error.message.startsWith(entry.words)).toBe(true)
    // Words a person can act on: a full sentence or more, not a code or an SDK message.
    expect(entry.words.length).toBeGreaterThan(40)
    expect(entry.words).toMatch(/\.$/)
    expect(entry.words).not.toMatch(/statusCode|RestError|undefined|\bnull\b/)
    // Azure's text follows only where it names the value, and then as Azure's.
    if (entry.quote) expect(error.message).toContain(`Azure’s message: “${rawAzureText}”`)
    else expect(error.message).not.toContain(rawAzureText)
  })

  it('covers every error code the sandbox can answer with', () => {
    const codes = sandboxCodes()
    expect(codes.length).toBeGreaterThan(50)
    expect(codes.filter((code) => !Object.hasOwn(azureErrorWords, code))).toEqual([])
  })

  it.each([
    [401, 'AuthRequired'],
    [403, 'Forbidden'],
    [404, 'NotFound'],
    [409, 'Conflict'],
    [412, 'Conflict'],
    [429, 'Throttled'],
    [500, 'Transient'],
    [503, 'Transient'],
    [400, 'Validation'],
  ] as const)('an unknown code with HTTP %i gets the words of its status (%s)', (status, code) => {
    expect(wordsFor('SomethingNew', status).code).toBe(code)
    const error = toAppError(restError(status, 'SomethingNew'))
    expect(error.code).toBe(code)
    expect(error.message).not.toContain(rawAzureText)
  })

  it('is not fooled by codes that name Object’s own properties', () => {
    expect(wordsFor('__proto__', 500).code).toBe('Transient')
    expect(wordsFor('constructor', 404).code).toBe('NotFound')
  })
})
