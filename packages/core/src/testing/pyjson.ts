/**
 * A small JSON reader that keeps one thing JSON.parse loses: whether a number was written as a
 * Python float (`3.0`, `1e-05`) or a Python int (`3`). The corpus needs it because
 * `int_tensor + 3` and `int_tensor + 3.0` promote differently in PyTorch, while JavaScript has
 * one number type. Floats written with an integral value come back as `PyFloat` objects; every
 * other value is what JSON.parse would return.
 */

/** A number the JSON text wrote as a float with an integral value (e.g. `2.0`). */
export class PyFloat {
  constructor(
    /** The number itself. */
    readonly value: number,
  ) {}
}

/** A parsed JSON value, with integral floats marked. */
export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson };

/** Parses JSON text like JSON.parse, marking integral float literals as PyFloat. */
export function parsePyJson(text: string): PyJson {
  let i = 0;
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`JSON: ${what} at position ${i}`);
  };
  const value = (): PyJson => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: PyJson } = {};
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        obj[key] = value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return obj; }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: PyJson[] = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    const m = /-?\d+(\.\d*)?([eE][-+]?\d+)?/y;
    m.lastIndex = i;
    const r = m.exec(text);
    if (r === null) return fail('unexpected character');
    i = m.lastIndex;
    const v = Number(r[0]);
    const isFloat = r[1] !== undefined || r[2] !== undefined;
    return isFloat && Number.isInteger(v) ? new PyFloat(v) : v;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail('unexpected trailing text');
  return v;
}
