import { useEffect, useState } from 'react';

const KEY = 'tf.names';

function cached(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * Display names for user ids, looked up once each with `lookup` and remembered on the device, so
 * lists that show people still name them offline.
 */
export function useNames(ids: string[], lookup: (id: string) => Promise<string | null>): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>(cached);
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = key.split(',').filter((id) => id && !names[id]);
    if (missing.length === 0) return;
    let current = true;
    void Promise.all(missing.map((id) => lookup(id).then((name) => [id, name] as const, () => [id, null] as const))).then((found) => {
      const known = Object.fromEntries(found.filter((entry): entry is readonly [string, string] => entry[1] !== null));
      if (!current || Object.keys(known).length === 0) return;
      const next = { ...cached(), ...known };
      localStorage.setItem(KEY, JSON.stringify(next));
      setNames(next);
    });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return names;
}
