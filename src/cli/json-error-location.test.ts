// locateJsonError: the line and column where a text stops being JSON, for the errors V8 reports
// without a position as well as those it reports with one; valid JSON has no location.

import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-error-location.ts';

describe('locateJsonError', () => {
  it('finds nothing wrong in valid JSON', () => {
    for (const text of ['{}', ' [1, -2.5e+3, "a\\u00e9\\n", true, false, null, {"k": [ ]}] ', '"x"', '0'])
      expect(locateJsonError(text), text).toBeUndefined();
  });

  it('points at the first character that cannot belong', () => {
    expect(locateJsonError('{"a":}')).toEqual({ line: 1, column: 6 });
    expect(locateJsonError('{\n  "a": 1,\n}')).toEqual({ line: 3, column: 1 });
    expect(locateJsonError('{\n  "seed": oops\n}')).toEqual({ line: 2, column: 11 });
    expect(locateJsonError('[1 2]')).toEqual({ line: 1, column: 4 });
    expect(locateJsonError('{"a": 01}')).toEqual({ line: 1, column: 8 });
    expect(locateJsonError('{"a": 1} x')).toEqual({ line: 1, column: 10 });
    expect(locateJsonError("{'a': 1}")).toEqual({ line: 1, column: 2 });
  });

  it('points past the end of a text that stops early', () => {
    expect(locateJsonError('{"a": [1,')).toEqual({ line: 1, column: 10 });
    expect(locateJsonError('')).toEqual({ line: 1, column: 1 });
  });
});
