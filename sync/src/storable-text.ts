/**
 * Text PostgreSQL cannot store: NUL (refused in `text` and `jsonb`, SQLSTATE 22021/22P05) and a
 * UTF-16 surrogate without its pair (no UTF-8 form). JSON carries both as `\u0000` and `\uD800`.
 */
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const unstorableTextMessage = 'contains a NUL character or an unpaired surrogate, which cannot be stored';

export function isStorableText(text: string): boolean {
  return !unstorable.test(text);
}

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | undefined;
}

/**
 * The path (`rows.2.title`) of the first string, value or key, anywhere in `value` that cannot
 * be stored; undefined when all of it can. Every request body and every pushed document goes
 * through this one check, so no string field can be forgotten. Iterative: any depth is safe.
 */
export function findUnstorableText(value: unknown): string | undefined {
  const stack: Visit[] = [{ value, key: '', parent: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (typeof visit.value === 'string') {
      if (!isStorableText(visit.value)) return pathOf(visit);
    } else if (visit.value !== null && typeof visit.value === 'object') {
      const entries = Object.entries(visit.value);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index]!;
        const childVisit = { value: child, key, parent: visit };
        if (!isStorableText(key)) return pathOf(childVisit);
        stack.push(childVisit);
      }
    }
  }
  return undefined;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}
