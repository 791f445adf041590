/**
 * JSON documents inside Terraform string arguments (container definitions, IAM and bucket
 * policies, dashboard bodies, ECR lifecycle rules), valid in both of cdktf's outputs.
 *
 * `JSON.stringify` of a value holding references breaks `cdktf synth --hcl` (cdktf issue 3911: the
 * quotes of the JSON end up unescaped inside an HCL string). Terraform's own `jsonencode(...)` of the
 * value is valid in JSON and HCL, and Terraform renders the document at plan time. cdktf's
 * `Fn.jsonencode` does not escape quotes, backslashes or `%{` inside the strings it writes into the
 * HCL expression, so `jsonencode` here escapes them first.
 *
 * `decodeJsonencode` reads such a field back from synthesized JSON (tests, the rule pack, the cost
 * estimate): references come back as `${...}` strings, the way `JSON.stringify` used to show them.
 */
import { Fn, Token, Tokenization } from 'cdktf';

/** A Terraform expression: `jsonencode(value)`, with the strings inside escaped for HCL. */
export function jsonencode(value: unknown): string {
  return Fn.jsonencode(prepare(value));
}

const NEEDS_ESCAPE = /[\\"\n\r\t]|%\{/;

function escape(s: string): string {
  // Literal parts only: cdktf's token markers (`${TfToken[TOKEN.n]}`) hold none of these characters.
  // Most strings (names, ARNs, actions) need nothing: one test instead of six replacements.
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/%\{/g, '%%{');
}

function prepare(v: unknown): unknown {
  if (v === undefined || v === null) return v;
  if (typeof v === 'string') return escape(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return Token.isUnresolved(v) ? v : v.filter((x) => x !== undefined).map(prepare);
  if (Tokenization.isResolvable(v)) return v;
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[escape(k)] = prepare(x);
    return out;
  }
  return v;
}

/**
 * Decodes a synthesized JSON-document field: `${jsonencode(<HCL expression>)}` (or plain JSON).
 * References and function calls inside come back as `${<expression>}` strings.
 */
export function decodeJsonencode(text: string): unknown {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(text);
  if (!m) return JSON.parse(text);
  const p = new HclExpressionParser(m[1]);
  const value = p.value();
  p.end();
  return value;
}

/** A parser for the subset of HCL expressions cdktf writes inside `jsonencode(...)`. */
class HclExpressionParser {
  private i = 0;

  constructor(private readonly s: string) {}

  end(): void {
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected trailing text');
  }

  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (/[-0-9]/.test(c) && /^-?\d/.test(this.s.slice(this.i, this.i + 2))) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i) && !/[A-Za-z0-9_.[(]/.test(this.s[this.i + word.length] ?? '')) {
        this.i += word.length;
        return v;
      }
    }
    return `\${${this.expression()}}`;
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++; // {
    this.ws();
    while (this.s[this.i] !== '}') {
      const key = this.s[this.i] === '"' ? this.string() : this.identifier();
      this.ws();
      if (this.s[this.i] !== '=' && this.s[this.i] !== ':') this.fail('expected "=" after an object key');
      this.i++;
      out[key] = this.value();
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      this.ws();
      if (this.i >= this.s.length) this.fail('unterminated object');
    }
    this.i++; // }
    return out;
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++; // [
    this.ws();
    while (this.s[this.i] !== ']') {
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      this.ws();
      if (this.i >= this.s.length) this.fail('unterminated list');
    }
    this.i++; // ]
    return out;
  }

  private string(): string {
    let out = '';
    this.i++; // opening quote
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const e = this.s[this.i + 1];
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (e in simple) {
          out += simple[e];
          this.i += 2;
        } else if (e === 'u') {
          out += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else this.fail(`unknown escape \\${e}`);
      } else if (this.s.startsWith('$${', this.i) || this.s.startsWith('%%{', this.i)) {
        out += `${c}{`;
        this.i += 3;
      } else if (this.s.startsWith('${', this.i)) {
        const start = this.i;
        this.i += 2;
        this.skipBalanced('}');
        out += this.s.slice(start, this.i);
      } else {
        out += c;
        this.i++;
      }
    }
  }

  private number(): number {
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(this.s.slice(this.i))!;
    this.i += m[0].length;
    return Number(m[0]);
  }

  private identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
    if (!m) this.fail('expected an object key');
    this.i += m![0].length;
    return m![0];
  }

  /** A bare expression (reference, function call, ...) up to the next delimiter at depth 0. */
  private expression(): string {
    const start = this.i;
    while (this.i < this.s.length && !',]}'.includes(this.s[this.i])) {
      const c = this.s[this.i];
      if (c === '(' || c === '[' || c === '{') {
        this.i++;
        this.skipBalanced(c === '(' ? ')' : c === '[' ? ']' : '}');
      } else if (c === '"') {
        this.string();
      } else this.i++;
    }
    const expr = this.s.slice(start, this.i).trim();
    if (!expr) this.fail('expected a value');
    return expr;
  }

  /** Moves past the `close` matching an already consumed opener, skipping nested brackets and strings. */
  private skipBalanced(close: string): void {
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    const stack = [close];
    while (stack.length > 0) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('unbalanced brackets');
      if (c === '"') {
        this.string();
        continue;
      }
      if (c in pairs) stack.push(pairs[c]);
      else if (c === stack[stack.length - 1]) stack.pop();
      this.i++;
    }
  }

  private ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }

  private fail(message: string): never {
    throw new Error(`cannot decode jsonencode expression at ${this.i}: ${message}: ${this.s.slice(Math.max(0, this.i - 30), this.i + 30)}`);
  }
}
