// Helpers for DataLoader batch functions, which must answer in the order of their keys.

/** Returns `rows` in the order of `keys`, null where a key has no row. */
export function inKeyOrder<Row, Key>(keys: readonly Key[], rows: Row[], keyOf: (row: Row) => Key): (Row | null)[] {
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Groups `rows` under each of `keys`, in key order (an empty list where a key has none). */
export function groupedInKeyOrder<Row, Key>(keys: readonly Key[], rows: Row[], keyOf: (row: Row) => Key): Row[][] {
  const groups = new Map<Key, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
