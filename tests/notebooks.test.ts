// Executes every notebook under lessons/ and exercises/ through real Jupyter and the workbook
// kernel, and fails naming the notebook and the cell when any cell errors, writes to stderr or
// times out. Without Jupyter the notebooks are skipped loudly, except under CI=true.
import { describe, expect, it } from 'vitest';
import { describeFailure, executeNotebook, findJupyterPython, listNotebooks } from '../scripts/notebooks/run';

const CELL_TIMEOUT_SECONDS = 30;
const python = findJupyterPython();
const notebooks = listNotebooks();

if (!python) {
  const message =
    '\n!!! Jupyter (python3 with nbclient) was not found: the notebooks were NOT executed.\n' +
    '!!! Debian/Ubuntu: sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient\n';
  if (process.env.CI === 'true') {
    it('finds Jupyter to execute the notebooks (required under CI=true)', () => {
      throw new Error(message);
    });
  } else {
    console.warn(message);
  }
}

describe.skipIf(!python)('notebooks execute through the workbook kernel', () => {
  it('finds the notebooks', () => {
    expect(notebooks.length).toBeGreaterThan(0);
  });

  for (const notebook of notebooks) {
    it(notebook, { timeout: 180_000 }, async () => {
      const run = await executeNotebook(notebook, { python: python as string, timeoutSeconds: CELL_TIMEOUT_SECONDS });
      if (!run.ok) throw new Error(describeFailure(run));
      expect(run.cells).toBeGreaterThan(0);
    });
  }
});
