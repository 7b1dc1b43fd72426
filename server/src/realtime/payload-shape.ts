/** Why a payload is refused, or undefined when it is within both limits. */
export type PayloadShapeViolation = 'too-deep' | 'too-large';

export interface PayloadShapeLimits {
  /** Largest size of the payload written as JSON, in bytes. */
  maxBytes: number;
  /** Deepest nesting of arrays and objects; the payload itself is depth 1. */
  maxDepth: number;
}

/**
 * Measures a parsed JSON payload's size (as JSON, in UTF-8 bytes) and nesting depth with an
 * explicit stack, stopping at the first limit crossed. `JSON.stringify`, zod and most walkers
 * recurse, so a small payload nested 20,000 levels deep overflows their stack; this never does.
 */
export function payloadShapeViolation(payload: unknown, limits: PayloadShapeLimits): PayloadShapeViolation | undefined {
  const pending: Array<[value: unknown, depth: number]> = [[payload, 1]];
  let bytes = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value === 'string') bytes += Buffer.byteLength(JSON.stringify(value));
    else if (typeof value === 'number' || typeof value === 'boolean') bytes += String(value).length;
    else if (value === null || typeof value !== 'object') bytes += 4;
    else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) bytes += value.byteLength;
    else {
      if (depth > limits.maxDepth) return 'too-deep';
      const entries: Array<[key: string | undefined, item: unknown]> = Array.isArray(value) ? value.map((item) => [undefined, item]) : Object.entries(value);
      bytes += 1 + Math.max(entries.length, 1);
      for (const [key, item] of entries) {
        if (key !== undefined) bytes += Buffer.byteLength(JSON.stringify(key)) + 1;
        if (bytes > limits.maxBytes) return 'too-large';
        pending.push([item, depth + 1]);
      }
    }
    if (bytes > limits.maxBytes) return 'too-large';
  }
  return undefined;
}
