/**
 * A strict JSON reader for settings: errors give the line and column, and a key written twice in
 * one object is an error (JSON.parse silently keeps the last one, so a user's first value would be
 * ignored without a word).
 */

/**
 * The JSON is malformed: `reason` what is wrong, at `line` and `column` (1-based), inside the
 * value at `path` (keys and list indexes from the root; a repeated key ends it).
 */
export class JsonSyntaxError extends Error {
  constructor(
    public readonly reason: string,
    public readonly line: number,
    public readonly column: number,
    public readonly path: readonly (string | number)[] = [],
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

/** Parses `text` as JSON (RFC 8259), rejecting duplicate keys. */
export function parseJsonStrict(text: string): unknown {
  const p = new Reader(text);
  p.ws();
  const value = p.value();
  p.ws();
  if (!p.done()) p.fail('unexpected text after the JSON value');
  return value;
}

class Reader {
  private i = 0;
  /** Where the reader is: the keys and indexes of the values it is inside. */
  private readonly at: (string | number)[] = [];

  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  value(): unknown {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail(c === undefined ? 'unexpected end of the file' : `unexpected ${JSON.stringify(c)}`);
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, { line: number; column: number }>();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a key in double quotes');
      const at = this.position(this.i);
      const key = this.string();
      this.at.push(key);
      const first = seen.get(key);
      if (first) this.fail(`duplicate key ${JSON.stringify(key)} (first at line ${first.line}, column ${first.column}); a key may appear once per object`, at);
      seen.set(key, at);
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected ":" after a key');
      this.i++;
      this.ws();
      out[key] = this.value();
      this.at.pop();
      this.ws();
      if (this.s[this.i] === ',') {
        this.comma('}');
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      this.fail('expected "," or "}"');
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      this.at.push(out.length);
      out.push(this.value());
      this.at.pop();
      this.ws();
      if (this.s[this.i] === ',') {
        this.comma(']');
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      this.fail('expected "," or "]"');
    }
  }

  /** Steps over a "," that must be followed by another member, not by `close`: a trailing comma is reported where it is. */
  private comma(close: '}' | ']'): void {
    const at = this.position(this.i);
    this.i++;
    this.ws();
    if (this.s[this.i] === close) this.fail(`trailing comma before "${close}" (JSON allows none); remove it`, at);
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') this.fail('unterminated string', this.position(start));
      if (c === '\\') this.i += 2;
      else if (c === '"') break;
      else this.i++;
    }
    this.i++;
    try {
      return JSON.parse(this.s.slice(start, this.i)) as string;
    } catch {
      return this.fail('invalid escape in a string', this.position(start));
    }
  }

  private number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(this.s.slice(this.i));
    if (!m) this.fail('malformed number');
    this.i += m![0].length;
    return Number(m![0]);
  }

  private position(index: number): { line: number; column: number } {
    const before = this.s.slice(0, index);
    const line = before.split('\n').length;
    return { line, column: index - before.lastIndexOf('\n') };
  }

  fail(message: string, at = this.position(this.i)): never {
    throw new JsonSyntaxError(message, at.line, at.column, [...this.at]);
  }
}
