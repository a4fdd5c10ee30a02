// Says where a JSON text stops being JSON, as line and column. V8's JSON.parse messages give a
// byte position only for some errors ("Unexpected token 'x', ... is not valid JSON" has none), so
// a small scanner walks the grammar and stops at the first character that cannot belong there.

interface JsonErrorLocation {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

class Stop {
  constructor(readonly offset: number) {}
}

/** Where `text` is first not JSON, or undefined if it parses. */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  return { line, column: offset - lineStart + 1 };
}

/** The offset of the first character that cannot continue a JSON text (text.length if it ends early). */
function jsonErrorOffset(text: string): number | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.value();
    scanner.skipSpace();
    if (scanner.i < text.length) scanner.fail();
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.offset;
    throw e;
  }
}

/** Walks the JSON grammar from the start; throws Stop at the first character that cannot belong. */
class JsonScanner {
  i = 0;

  constructor(private readonly text: string) {}

  fail(): never {
    throw new Stop(this.i);
  }

  skipSpace(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
      this.i++;
    }
  }

  private expect(c: string): void {
    if (this.text[this.i] !== c) this.fail();
    this.i++;
  }

  private digits(): void {
    const start = this.i;
    while (this.i < this.text.length && this.text[this.i] >= '0' && this.text[this.i] <= '9') this.i++;
    if (this.i === start) this.fail();
  }

  private string(): void {
    const { text } = this;
    this.expect('"');
    while (this.i < text.length && text[this.i] !== '"') {
      if (text.charCodeAt(this.i) < 0x20) this.fail();
      if (text[this.i] === '\\') {
        this.i++;
        if (this.i >= text.length) this.fail();
        if (text[this.i] === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (!/[0-9a-fA-F]/.test(text[this.i] ?? '')) this.fail();
          }
        } else if (!'"\\/bfnrt'.includes(text[this.i])) this.fail();
      }
      this.i++;
    }
    this.expect('"');
  }

  private object(): void {
    this.i++;
    this.skipSpace();
    if (this.text[this.i] === '}') return void this.i++;
    for (;;) {
      this.skipSpace();
      this.string();
      this.skipSpace();
      this.expect(':');
      this.value();
      this.skipSpace();
      if (this.text[this.i] === ',') this.i++;
      else return this.expect('}');
    }
  }

  private array(): void {
    this.i++;
    this.skipSpace();
    if (this.text[this.i] === ']') return void this.i++;
    for (;;) {
      this.value();
      this.skipSpace();
      if (this.text[this.i] === ',') this.i++;
      else return this.expect(']');
    }
  }

  private number(): void {
    if (this.text[this.i] === '-') this.i++;
    if (this.text[this.i] === '0') this.i++;
    else this.digits();
    if (this.text[this.i] === '.') {
      this.i++;
      this.digits();
    }
    if (this.text[this.i] === 'e' || this.text[this.i] === 'E') {
      this.i++;
      if (this.text[this.i] === '+' || this.text[this.i] === '-') this.i++;
      this.digits();
    }
  }

  value(): void {
    this.skipSpace();
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const word of ['true', 'false', 'null'])
      if (c === word[0]) {
        for (const ch of word) this.expect(ch);
        return;
      }
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    this.fail();
  }
}
