import { describe, expect, it } from 'vitest';
import { payloadShapeViolation } from '@therapy-field/server';

const within = (payload: unknown, maxBytes: number, maxDepth = 32) => payloadShapeViolation(payload, { maxBytes, maxDepth });

describe('payloadShapeViolation', () => {
  it('measures exactly the bytes JSON.stringify would write, escapes and UTF-8 included', () => {
    const samples: unknown[] = [
      [{ title: 'Δευτέρα "κακός" ύπνος\\n', tags: ['😀', '\ud800 lone', 'tab\t', 'a\u0001b'], score: -7.25, done: false, none: null, list: [], map: {} }],
      [[]],
      [{}],
      ['plain'],
      [Array.from({ length: 50 }, (_, index) => ({ [`key ${index}`]: index }))],
    ];
    for (const payload of samples) {
      const bytes = Buffer.byteLength(JSON.stringify(payload));
      expect(within(payload, bytes), JSON.stringify(payload)).toBeUndefined();
      expect(within(payload, bytes - 1), JSON.stringify(payload)).toBe('too-large');
    }
  });

  it('walks 100,000 levels without recursion and refuses past the depth limit', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(within([deep], 10_000_000)).toBe('too-deep');
    const nested = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`) as unknown;
    expect(within(nested(32), 10_000)).toBeUndefined();
    expect(within(nested(33), 10_000)).toBe('too-deep');
  });

  it('refuses a huge array by its length, before visiting its items', () => {
    const wide = new Array<number>(5_000_000).fill(0);
    Object.defineProperty(wide, Symbol.iterator, { value: () => expect.unreachable('the items were visited') });
    expect(within([wide], 16_384)).toBe('too-large');
  });
});
