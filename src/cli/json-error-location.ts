// Says where a JSON text stops being JSON, as line and column. V8's JSON.parse messages give a
// byte position only for some errors ("Unexpected token 'x', ... is not valid JSON" has none), so
// a small scanner walks the grammar and stops at the first character that cannot belong there.

export interface JsonErrorLocation {
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
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  const fail = (): never => {
    throw new Stop(i);
  };
  const skipSpace = () => {
    while (i < n) {
      const c = text[i];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
      i++;
    }
  };
  const expect = (c: string) => {
    if (text[i] !== c) fail();
    i++;
  };
  const digits = () => {
    const start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') i++;
    if (i === start) fail();
  };
  const string = () => {
    expect('"');
    while (i < n && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (i >= n) fail();
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
          }
        } else if (!'"\\/bfnrt'.includes(text[i])) fail();
      }
      i++;
    }
    expect('"');
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') return void i++;
      for (;;) {
        skipSpace();
        string();
        skipSpace();
        expect(':');
        value();
        skipSpace();
        if (text[i] === ',') i++;
        else return expect('}');
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        skipSpace();
        if (text[i] === ',') i++;
        else return expect(']');
      }
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null'])
      if (c === word[0]) {
        for (const ch of word) expect(ch);
        return;
      }
    if (c === '-' || (c >= '0' && c <= '9')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        digits();
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
      return;
    }
    fail();
  };
  try {
    value();
    skipSpace();
    if (i < n) fail();
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.offset;
    throw e;
  }
}
