import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSandbox, type TestSandbox } from '../harness'
import {
  conformanceCases,
  notExamples,
  type CaseContext,
  type ConformanceCase,
  type Example,
} from './examples'
import { isException } from './exceptions'
import { ConformanceFixture } from './fixture'
import { compareShape, missingLroHeaders } from './shape'
import { Wire, type WireResponse } from './wire'

/**
 * Holds the sandbox's answers against Microsoft's REST examples: for each example the
 * sandbox implements, the example's request goes over the wire (raw HTTPS with a bearer
 * token) and the answer must have the example's status code, property paths with the same
 * JSON types, and long-running-operation headers. See shape.ts and exceptions.ts.
 */
const examplesRoot =
  process.env.AZURE_API_EXAMPLES ?? join(__dirname, '../../../../../shared/azure-api-examples')

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? walk(full) : [full]
  })
}

const files = walk(examplesRoot)
  .map((full) => relative(examplesRoot, full))
  .sort()
const mappedFiles = new Set(conformanceCases.map((c) => c.file))
const notEmulated = /does not emulate/

interface Outcome {
  file: string
  operation: string
  status: number | 'skipped' | 'error'
  problems: string[]
  /** The sandbox's first answer, for the report file. */
  response?: unknown
}
const outcomes: Outcome[] = []

describe('conformance with Microsoft REST examples', () => {
  let test: TestSandbox
  let wire: Wire
  let fixture: ConformanceFixture

  beforeAll(async () => {
    test = await startTestSandbox()
    wire = new Wire(test.sandbox, test.credential())
    fixture = new ConformanceFixture(wire, test.sandbox.subscriptionId)
  })
  afterAll(async () => {
    await test?.close()
    const failing = outcomes.filter((o) => o.problems.length > 0)
    if (process.env.CONFORMANCE_REPORT) {
      const { writeFileSync } = await import('node:fs')
      writeFileSync(process.env.CONFORMANCE_REPORT, JSON.stringify(outcomes, null, 2))
    }
    if (failing.length > 0) {
      console.log(
        `Conformance: ${failing.length} of ${outcomes.length} examples differ:\n` +
          failing
            .map((o) => `- ${o.file} (${o.operation}):\n    ${o.problems.join('\n    ')}`)
            .join('\n'),
      )
    }
  })

  it('has an operation mapping or a reason for every file of the examples', () => {
    const unexplained = files.filter((f) => !mappedFiles.has(f) && !(f in notExamples))
    expect(unexplained).toEqual([])
  })

  for (const file of files.filter((f) => f in notExamples)) {
    it.skip(`${file}: ${notExamples[file]}`, () => undefined)
  }

  // In the order of the case list: some examples change what later ones find (start after
  // deallocate, delete last).
  for (const conformanceCase of conformanceCases.filter((c) => files.includes(c.file))) {
    const file = conformanceCase.file
    it(`${file} (${conformanceCase.operation})`, async (context) => {
      const example = JSON.parse(readFileSync(join(examplesRoot, file), 'utf8')) as Example
      const outcome: Outcome = {
        file,
        operation: conformanceCase.operation,
        status: 'error',
        problems: [],
      }
      outcomes.push(outcome)
      try {
        const problems = await runCase(
          conformanceCase,
          { sandbox: test.sandbox, wire, fixture, example },
          outcome,
        )
        if (problems === 'not emulated') {
          outcome.status = 'skipped'
          context.skip(`not emulated by the sandbox: ${conformanceCase.operation}`)
          return
        }
        outcome.problems = problems
      } catch (error) {
        outcome.problems = [(error as Error).message]
      }
      expect(outcome.problems, `${file} differs from the example`).toEqual([])
    })
  }
})

async function runCase(
  conformanceCase: ConformanceCase,
  context: CaseContext,
  outcome: Outcome,
): Promise<string[] | 'not emulated'> {
  for (const part of conformanceCase.needs ?? []) {
    await context.fixture.need(part).catch((error: Error) => {
      throw new Error(`prerequisite '${part}' failed: ${error.message}`)
    })
  }
  await conformanceCase.prepare?.(context)
  const request = await conformanceCase.request(context)
  const response = await context.wire.send(request)
  outcome.status = response.status
  outcome.response = response.body
  const error = (response.body as { error?: { message?: string } } | undefined)?.error
  if (response.status === 404 && notEmulated.test(error?.message ?? '')) return 'not emulated'

  const problems = compareWithExample(conformanceCase, context.example, response, '')
  if (response.status === 201 || response.status === 202) {
    const final = await finalAnswer(context, response)
    if (conformanceCase.followToFinal && final) {
      problems.push(
        ...compareWithExample(conformanceCase, context.example, final, 'final answer: '),
      )
    }
  }
  return problems
}

function compareWithExample(
  conformanceCase: ConformanceCase,
  example: Example,
  response: WireResponse,
  prefix: string,
): string[] {
  const documented = conformanceCase.exampleBody
    ? {
        [String(conformanceCase.exampleBody(example).status)]: {
          body: conformanceCase.exampleBody(example).body,
        },
      }
    : (example.responses ?? {})
  const expected = documented[String(response.status)] as
    { headers?: Record<string, unknown>; body?: unknown } | undefined
  if (!expected) {
    return [
      `${prefix}status ${response.status}, the example documents ${Object.keys(documented).join(', ')}: ${response.text.slice(0, 600)}`,
    ]
  }
  const problems = missingLroHeaders(expected.headers, response.headers).map(
    (h) => `${prefix}header ${h} missing on ${response.status}`,
  )
  // ARM's rule for every 202, documented in the example or not: tell the client where to poll.
  if (
    response.status === 202 &&
    !response.headers.location &&
    !response.headers['azure-asyncoperation']
  ) {
    problems.push(`${prefix}202 without Location or Azure-AsyncOperation`)
  }
  if (expected.body !== undefined) {
    const actual = conformanceCase.select ? conformanceCase.select(response.body) : response.body
    const mismatches = compareShape(expected.body, actual, {
      freeKeys: conformanceCase.freeKeys ?? [],
      ignore: (path) => isException(conformanceCase.file, path),
    })
    problems.push(...mismatches.map((m) => `${prefix}${response.status} ${m.path}: ${m.problem}`))
  }
  return problems
}

/**
 * Follows a 201/202 to its end (so that later examples find finished resources) and returns
 * the operation's final answer: the Location response, or the resource after the status says done.
 */
async function finalAnswer(
  context: CaseContext,
  first: WireResponse,
): Promise<WireResponse | undefined> {
  const settled = await context.wire.settle(first)
  if (first.headers['azure-asyncoperation'] && first.headers.location) {
    return context.wire.send({ method: 'GET', path: first.headers.location })
  }
  return settled === first ? undefined : settled
}
