/** A table a snapshot import loads, and how many rows it will load into it. */
export interface TableLoad {
  table: string;
  rows: number;
}

/** How much of the whole import one plain progress line stands for, at most. */
const PERCENT_PER_LINE = 10;

/**
 * Progress for output that is not a terminal (CI, log files, `npm start | tee`), where a bar cannot redraw
 * and would leave the log silent for the whole load: a line when a table is complete, and one whenever
 * another tenth of all rows is in, so a slow import visibly moves. Returns a function to call with the
 * rows each COPY loaded; it gives the line to log, or null when there is nothing new to say. Pure apart
 * from its own counts, so it is tested without a database.
 */
export function plainProgress(tables: readonly TableLoad[]): (table: string, rows: number) => string | null {
  const total = tables.reduce((sum, load) => sum + load.rows, 0);
  const expected = new Map(tables.map((load) => [load.table, load.rows]));
  const loaded = new Map<string, number>();
  let done = 0;
  let lastStep = 0;
  return (table, rows) => {
    done += rows;
    const tableDone = (loaded.get(table) ?? 0) + rows;
    loaded.set(table, tableDone);
    const tableRows = expected.get(table) ?? tableDone;
    const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
    const step = Math.floor(percent / PERCENT_PER_LINE);
    const tableComplete = tableDone >= tableRows;
    if (!tableComplete && step <= lastStep) return null;
    lastStep = Math.max(lastStep, step);
    // The stage is named as the terminal bar names it: the table without its schema.
    const stage = table.slice(table.indexOf('.') + 1);
    return `  offices: ${done}/${total} rows (${percent}%), ${stage} ${tableDone}/${tableRows}${tableComplete ? ' done' : ''}`;
  };
}
