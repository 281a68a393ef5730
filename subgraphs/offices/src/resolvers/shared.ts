/** A row the schema guarantees (a foreign key); its absence is a data fault, not a client error. */
export function required<Row>(row: Row | null, kind: string, id: string): Row {
  if (!row) throw new Error(`Directory integrity: ${kind} ${id} is referenced but missing`);
  return row;
}

export function locationOf(row: { latitude: number | null; longitude: number | null }) {
  return row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude };
}
