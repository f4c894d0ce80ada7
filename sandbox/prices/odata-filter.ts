/**
 * The part of OData `$filter` the Retail Prices API understands: `eq ne gt ge lt le`,
 * `and`, `or`, parentheses, and the functions `contains`, `startswith`, `endswith`,
 * `tolower`, `toupper`. Like the real API it rejects `not` with a 400, and it finds nothing
 * for `currencyCode` inside the filter (the currency is a separate query parameter).
 */
export class FilterError extends Error {}

type Token =
  | { kind: 'punct'; value: '(' | ')' | ',' }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'word'; value: string }

type Operand =
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'call'; fn: string; args: Operand[] }

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'test'; operand: Operand }

type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
const compareOps = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])
const functions: Record<string, number> = {
  contains: 2,
  startswith: 2,
  endswith: 2,
  tolower: 1,
  toupper: 1,
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', value: c })
      i++
    } else if (c === "'") {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length)
          throw new FilterError(`Unterminated string literal in $filter: ${text}`)
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'"
            i += 2
            continue
          }
          i++
          break
        }
        value += text[i]
        i++
      }
      tokens.push({ kind: 'string', value })
    } else if (/[-\d]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i))
      if (!m) throw new FilterError(`Syntax error at position ${i} in $filter: ${text}`)
      tokens.push({ kind: 'number', value: Number(m[0]) })
      i += m[0].length
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w.]*/.exec(text.slice(i))!
      tokens.push({ kind: 'word', value: m[0] })
      i += m[0].length
    } else {
      throw new FilterError(`Syntax error at position ${i} in $filter: unexpected '${c}'`)
    }
  }
  return tokens
}

class Parser {
  private position = 0

  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or()
    if (this.position < this.tokens.length)
      throw new FilterError(`Syntax error in $filter near '${this.describe(this.peek())}'`)
    return node
  }

  private peek(): Token | undefined {
    return this.tokens[this.position]
  }

  private describe(token: Token | undefined): string {
    return token === undefined ? 'end of filter' : String(token.value)
  }

  private isWord(value: string): boolean {
    const token = this.peek()
    return token?.kind === 'word' && token.value.toLowerCase() === value
  }

  private expectPunct(value: '(' | ')' | ','): void {
    const token = this.peek()
    if (token?.kind !== 'punct' || token.value !== value) {
      throw new FilterError(
        `Syntax error in $filter: expected '${value}' but found '${this.describe(token)}'`,
      )
    }
    this.position++
  }

  private or(): Node {
    let left = this.and()
    while (this.isWord('or')) {
      this.position++
      left = { kind: 'or', left, right: this.and() }
    }
    return left
  }

  private and(): Node {
    let left = this.condition()
    while (this.isWord('and')) {
      this.position++
      left = { kind: 'and', left, right: this.condition() }
    }
    return left
  }

  private condition(): Node {
    if (this.isWord('not'))
      throw new FilterError(
        "The query specified in the URI is not valid: the 'not' operator is not supported.",
      )
    const token = this.peek()
    if (token?.kind === 'punct' && token.value === '(') {
      this.position++
      const inner = this.or()
      this.expectPunct(')')
      return this.compareTail({ kind: 'group', node: inner })
    }
    return this.compareTail(this.operand())
  }

  /** After an operand (or a parenthesised condition): an optional `op literal` comparison. */
  private compareTail(left: Operand | { kind: 'group'; node: Node }): Node {
    const next = this.peek()
    if (next?.kind === 'word' && compareOps.has(next.value.toLowerCase())) {
      if (left.kind === 'group')
        throw new FilterError(
          'Syntax error in $filter: a parenthesised condition cannot be compared',
        )
      this.position++
      return {
        kind: 'compare',
        op: next.value.toLowerCase() as CompareOp,
        left,
        right: this.operand(),
      }
    }
    return left.kind === 'group' ? left.node : { kind: 'test', operand: left }
  }

  private operand(): Operand {
    const token = this.peek()
    if (!token) throw new FilterError('Syntax error in $filter: unexpected end of filter')
    this.position++
    if (token.kind === 'string' || token.kind === 'number')
      return { kind: 'literal', value: token.value }
    if (token.kind === 'punct')
      throw new FilterError(`Syntax error in $filter near '${token.value}'`)
    const word = token.value.toLowerCase()
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' }
    if (word === 'null') return { kind: 'literal', value: null }
    const after = this.peek()
    if (after?.kind === 'punct' && after.value === '(') {
      const arity = functions[word]
      if (arity === undefined) throw new FilterError(`Unknown function '${token.value}' in $filter`)
      this.position++
      const args: Operand[] = []
      for (let i = 0; i < arity; i++) {
        if (i > 0) this.expectPunct(',')
        args.push(this.operand())
      }
      this.expectPunct(')')
      return { kind: 'call', fn: word, args }
    }
    return { kind: 'field', name: token.value }
  }
}

type Value = string | number | boolean | null | undefined

export interface FilterOptions {
  /** Compare string values case-insensitively (API versions before 2023-01-01-preview). */
  ignoreCase: boolean
}

export type FilterRecord = Record<string, unknown>

/** Filter field names the API accepts, lower-cased, mapped to the item property. */
const fieldAliases: Record<string, string> = {
  pricetype: 'type',
  location: 'location',
  productid: 'productId',
  skuid: 'skuId',
  serviceid: 'serviceId',
  meterid: 'meterId',
}

/** Parses `$filter`; throws FilterError with a message fit for a 400. */
export function compileFilter(
  text: string,
  knownFields: readonly string[],
  options: FilterOptions,
): (record: FilterRecord) => boolean {
  const ast = new Parser(tokenize(text)).parse()
  const fields = new Map(knownFields.map((f) => [f.toLowerCase(), f]))
  for (const [alias, target] of Object.entries(fieldAliases)) fields.set(alias, target)
  checkFields(ast, fields)
  const fold = (v: Value): Value =>
    typeof v === 'string' && options.ignoreCase ? v.toLowerCase() : v

  const evaluate = (operand: Operand, record: FilterRecord): Value => {
    switch (operand.kind) {
      case 'literal':
        return operand.value
      case 'field': {
        const name = operand.name.toLowerCase()
        // The currency is a query parameter; inside $filter it matches nothing, as in Azure.
        if (name === 'currencycode') return undefined
        return record[fields.get(name)!] as Value
      }
      case 'call': {
        const args = operand.args.map((a) => evaluate(a, record))
        const [a, b] = args
        if (operand.fn === 'tolower') return typeof a === 'string' ? a.toLowerCase() : a
        if (operand.fn === 'toupper') return typeof a === 'string' ? a.toUpperCase() : a
        if (typeof a !== 'string' || typeof b !== 'string') return false
        const [x, y] = [fold(a) as string, fold(b) as string]
        if (operand.fn === 'contains') return x.includes(y)
        if (operand.fn === 'startswith') return x.startsWith(y)
        return x.endsWith(y)
      }
    }
  }

  const test = (node: Node, record: FilterRecord): boolean => {
    switch (node.kind) {
      case 'and':
        return test(node.left, record) && test(node.right, record)
      case 'or':
        return test(node.left, record) || test(node.right, record)
      case 'test':
        return evaluate(node.operand, record) === true
      case 'compare': {
        const left = fold(evaluate(node.left, record))
        const right = fold(evaluate(node.right, record))
        if (left === undefined) return false
        return compare(node.op, left, right)
      }
    }
  }
  return (record) => test(ast, record)
}

function compare(op: CompareOp, left: Value, right: Value): boolean {
  if (op === 'eq') return left === right
  if (op === 'ne') return left !== right
  if (left === null || right === null || left === undefined || right === undefined) return false
  if (typeof left !== typeof right) return false
  const l = left as string | number
  const r = right as string | number
  if (op === 'gt') return l > r
  if (op === 'ge') return l >= r
  if (op === 'lt') return l < r
  return l <= r
}

function checkFields(node: Node, fields: Map<string, string>): void {
  const checkOperand = (operand: Operand): void => {
    if (operand.kind === 'field') {
      const name = operand.name.toLowerCase()
      if (name !== 'currencycode' && !fields.has(name)) {
        throw new FilterError(
          `Could not find a property named '${operand.name}' on type 'RetailPrice'.`,
        )
      }
    } else if (operand.kind === 'call') {
      operand.args.forEach(checkOperand)
    }
  }
  if (node.kind === 'and' || node.kind === 'or') {
    checkFields(node.left, fields)
    checkFields(node.right, fields)
  } else if (node.kind === 'compare') {
    checkOperand(node.left)
    checkOperand(node.right)
  } else if (node.kind === 'test') {
    checkOperand(node.operand)
  }
}
