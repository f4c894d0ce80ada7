import { TemplateError } from './errors'

/** The syntax tree of one template language expression (the text between `[` and `]`). */
export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'property'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; index: Expr }

type TokenKind =
  | 'LeftParenthesis'
  | 'RightParenthesis'
  | 'LeftSquareBracket'
  | 'RightSquareBracket'
  | 'Comma'
  | 'Dot'
  | 'Identifier'
  | 'String'
  | 'Number'
  | 'EndOfData'

interface Token {
  kind: TokenKind
  text: string
  value?: string | number
}

const punctuation: Record<string, TokenKind> = {
  '(': 'LeftParenthesis',
  ')': 'RightParenthesis',
  '[': 'LeftSquareBracket',
  ']': 'RightSquareBracket',
  ',': 'Comma',
  '.': 'Dot',
}

/** True when a JSON string is an expression: `[...]`, but not the `[[` escape. */
export const isExpression = (text: string) =>
  text.startsWith('[') && text.endsWith(']') && !text.startsWith('[[')

/** A string that is not an expression, with the `[[` escape undone. */
export const unescapeLiteral = (text: string) => (text.startsWith('[[') ? text.slice(1) : text)

export function parseExpression(source: string): Expr {
  const parser = new Parser(source, tokenize(source))
  const expr = parser.expression()
  parser.expect('EndOfData')
  return expr
}

/** Parses a JSON string value that is known to be an expression (brackets included). */
export const parseExpressionString = (text: string) => parseExpression(text.slice(1, -1))

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const fail = (message: string): never => {
    throw new TemplateError(`Unable to parse language expression '${source}': ${message}`)
  }
  while (i < source.length) {
    const c = source[i]!
    if (/\s/.test(c)) {
      i++
    } else if (punctuation[c]) {
      tokens.push({ kind: punctuation[c]!, text: c })
      i++
    } else if (c === "'") {
      let value = ''
      let j = i + 1
      for (;;) {
        if (j >= source.length)
          fail(`the string literal starting at position '${i}' is not terminated.`)
        if (source[j] === "'") {
          if (source[j + 1] === "'") {
            value += "'"
            j += 2
            continue
          }
          break
        }
        value += source[j]
        j++
      }
      tokens.push({ kind: 'String', text: source.slice(i, j + 1), value })
      i = j + 1
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(source.slice(i))
      if (!m) fail(`unexpected character '${c}' at position '${i}'.`)
      tokens.push({ kind: 'Number', text: m![0], value: Number(m![0]) })
      i += m![0].length
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i))!
      tokens.push({ kind: 'Identifier', text: m[0] })
      i += m[0].length
    } else {
      fail(`unexpected character '${c}' at position '${i}'.`)
    }
  }
  tokens.push({ kind: 'EndOfData', text: '' })
  return tokens
}

class Parser {
  private position = 0

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  expression(): Expr {
    let expr = this.primary()
    for (;;) {
      if (this.peek().kind === 'Dot') {
        this.next()
        const name = this.expect('Identifier')
        expr = { kind: 'property', target: expr, name: name.text }
      } else if (this.peek().kind === 'LeftSquareBracket') {
        this.next()
        const index = this.expression()
        this.expect('RightSquareBracket')
        expr = { kind: 'index', target: expr, index }
      } else {
        return expr
      }
    }
  }

  expect(kind: TokenKind): Token {
    const token = this.next()
    if (token.kind !== kind) {
      throw new TemplateError(
        `Unable to parse language expression '${this.source}': expected token '${kind}' and actual '${token.kind}'.`,
      )
    }
    return token
  }

  private primary(): Expr {
    const token = this.next()
    if (token.kind === 'String' || token.kind === 'Number')
      return { kind: 'literal', value: token.value! }
    if (token.kind !== 'Identifier') {
      throw new TemplateError(
        `Unable to parse language expression '${this.source}': expected token 'Identifier' and actual '${token.kind}'.`,
      )
    }
    if (this.peek().kind !== 'LeftParenthesis') {
      const keyword = token.text.toLowerCase()
      if (keyword === 'true') return { kind: 'literal', value: true }
      if (keyword === 'false') return { kind: 'literal', value: false }
      if (keyword === 'null') return { kind: 'literal', value: null }
      this.expect('LeftParenthesis')
    }
    this.next()
    const args: Expr[] = []
    if (this.peek().kind !== 'RightParenthesis') {
      args.push(this.expression())
      while (this.peek().kind === 'Comma') {
        this.next()
        args.push(this.expression())
      }
    }
    this.expect('RightParenthesis')
    return { kind: 'call', name: token.text, args }
  }

  private peek(): Token {
    return this.tokens[this.position]!
  }

  private next(): Token {
    const token = this.tokens[this.position]!
    if (token.kind !== 'EndOfData') this.position++
    return token
  }
}

/** Every function call in an expression tree, outermost first. */
export function* callsIn(expr: Expr): Generator<Extract<Expr, { kind: 'call' }>> {
  if (expr.kind === 'call') {
    yield expr
    for (const arg of expr.args) yield* callsIn(arg)
  } else if (expr.kind === 'property') {
    yield* callsIn(expr.target)
  } else if (expr.kind === 'index') {
    yield* callsIn(expr.target)
    yield* callsIn(expr.index)
  }
}
