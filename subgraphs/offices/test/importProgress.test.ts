import { plainProgress } from '../src/import/importProgress';

/** Feeds chunks as replaceSnapshot reports them and collects what would be logged. */
function linesFor(tables: { table: string; rows: number }[], chunks: [string, number][]): string[] {
  const progressLine = plainProgress(tables);
  return chunks.map(([table, rows]) => progressLine(table, rows)).filter((line): line is string => line !== null);
}

describe('plain progress lines for an office import whose output is not a terminal', () => {
  it('says when each small table is loaded, with the running count', () => {
    const lines = linesFor(
      [{ table: 'offices.circle', rows: 23 }, { table: 'offices.region', rows: 77 }, { table: 'offices.office', rows: 900 }],
      [['offices.circle', 23], ['offices.region', 77]],
    );
    expect(lines).toEqual([
      '  offices: 23/1000 rows (2%), circle 23/23 done',
      '  offices: 100/1000 rows (10%), region 77/77 done',
    ]);
  });

  it('speaks at every tenth of all rows within a big table, and once more when it is done', () => {
    const chunks: [string, number][] = Array.from({ length: 20 }, () => ['offices.office', 5_000]);
    const lines = linesFor([{ table: 'offices.office', rows: 100_000 }], chunks);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('  offices: 10000/100000 rows (10%), office 10000/100000');
    expect(lines[8]).toBe('  offices: 90000/100000 rows (90%), office 90000/100000');
    expect(lines[9]).toBe('  offices: 100000/100000 rows (100%), office 100000/100000 done');
  });

  it('gives one line for a chunk that crosses several tenths at once', () => {
    const lines = linesFor([{ table: 'offices.office', rows: 1_000 }], [['offices.office', 350], ['offices.office', 650]]);
    expect(lines).toEqual([
      '  offices: 350/1000 rows (35%), office 350/1000',
      '  offices: 1000/1000 rows (100%), office 1000/1000 done',
    ]);
  });

  it('stays quiet between tenths', () => {
    const lines = linesFor([{ table: 'offices.office', rows: 1_000 }], [['offices.office', 20], ['offices.office', 30], ['offices.office', 40]]);
    expect(lines).toEqual([]);
  });
});
