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
  // Only arrays and objects wait on the stack; scalars are counted where they are met.
  const containers: object[] = [];
  const depths: number[] = [];
  let bytes = 0;
  const visit = (value: unknown, depth: number): boolean => {
    if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) {
      containers.push(value);
      depths.push(depth);
    } else bytes += scalarBytes(value);
    return bytes <= limits.maxBytes;
  };
  if (!visit(payload, 1)) return 'too-large';
  while (containers.length > 0) {
    const value = containers.pop()!;
    const depth = depths.pop()!;
    if (depth > limits.maxDepth) return 'too-deep';
    if (Array.isArray(value)) {
      bytes += 1 + Math.max(value.length, 1);
      if (bytes > limits.maxBytes) return 'too-large';
      for (const item of value) if (!visit(item, depth + 1)) return 'too-large';
    } else {
      const keys = Object.keys(value);
      bytes += 1 + Math.max(keys.length, 1);
      if (bytes > limits.maxBytes) return 'too-large';
      for (const key of keys) {
        bytes += stringBytes(key) + 1;
        if (!visit((value as Record<string, unknown>)[key], depth + 1)) return 'too-large';
      }
    }
  }
  return undefined;
}

/** A scalar's size as JSON; a binary attachment (Socket.IO binary events) counts its bytes. */
function scalarBytes(value: unknown): number {
  if (typeof value === 'string') return stringBytes(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
  return 4;
}

/** Characters JSON writes as escapes (quotes, backslashes, controls, surrogates). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

function stringBytes(text: string): number {
  // Most strings need no escape: their UTF-8 length and two quotes, without writing them out.
  return ESCAPED.test(text) ? Buffer.byteLength(JSON.stringify(text)) : Buffer.byteLength(text) + 2;
}
