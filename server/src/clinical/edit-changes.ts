/** An edit's fields that were sent: undefined means "leave as it is", null means "clear". */
export function withoutUndefined<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
