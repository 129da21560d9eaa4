import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isoTime } from './iso-time';

test('writes what Date#toISOString writes, across leap years, month ends and before 1970', () => {
  const fixed = [0, -1, 951782400000, 951868799999, 4107542399999, 1798687250123, -62135596800000, 253402300799999, 1709164800000];
  for (const ms of fixed) assert.is(isoTime(ms), new Date(ms).toISOString(), String(ms));
  // A deterministic spread over years 0–9999 (a linear congruential walk, no randomness).
  let x = 12345;
  for (let i = 0; i < 20000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const ms = -62167219200000 + Math.floor((x / 2147483648) * 315537897599999);
    assert.is(isoTime(ms), new Date(ms).toISOString(), String(ms));
  }
});

test.run();
