import * as path from 'path';
import { MatrixCommandOptions, renderMatrix } from '../../lib/cli/matrix-command';
import { ConnectivityMatrix, MatrixCell } from '../../lib/matrix/model';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'matrix');
/** Paths as the user would type them, so the outputs (warnings) do not depend on the checkout. */
export const HOMELAB = ['test/fixtures/matrix'];

export function options(extra: Partial<MatrixCommandOptions> = {}): MatrixCommandOptions {
  return {
    policies: HOMELAB,
    format: 'text',
    enforcement: 'default',
    allowLocalhost: 'always',
    clusterName: 'default',
    ...extra,
  };
}

export function render(extra: Partial<MatrixCommandOptions> = {}): Promise<string> {
  return renderMatrix(options(extra));
}

export function cellsOf(m: ConnectivityMatrix, from: string, to: string): MatrixCell[] {
  return m.cells.filter((c) => c.from === from && c.to === to);
}

export function verdicts(m: ConnectivityMatrix, from: string, to: string): Record<string, string> {
  return Object.fromEntries(cellsOf(m, from, to).map((c) => [c.port.text, c.verdict]));
}
