import type { ChunkResult } from './chunk';

/**
 * Evaluated lines the reading thread handles itself before worker threads start: what they fall
 * into tells whether workers pay (see `WorkerProbe`).
 */
export const WORKER_PROBE_LINES = 2048;

/** Workers pay when the probe's lines fell into at most this many groups per line. */
const MAX_GROUPS_PER_LINE = 0.25;

/**
 * Whether worker threads would pay on this export. The reading thread adds up what each chunk
 * grouped, group by group: when nearly every line is a group of its own (every line a new
 * connection between thousands of workloads), that costs it about what evaluating the line
 * costs, and one thread is faster (README, "On every core"). The first evaluated lines, handled
 * in the reading thread, tell.
 */
export class WorkerProbe {
  private evaluated = 0;
  private readonly groups = new Set<number>();
  private decided?: boolean;

  /** `lines` 0: workers pay, untested. */
  constructor(private readonly lines: number) {}

  /** Counts a chunk the reading thread handled. */
  add(result: ChunkResult): void {
    if (this.lines === 0 || this.decided !== undefined) return;
    this.evaluated += result.evaluated;
    for (const g of result.groups) this.groups.add(g.ref);
  }

  /**
   * Undefined until the probe's lines were evaluated; then, for the rest of the run, whether
   * worker threads pay.
   */
  get workersPay(): boolean | undefined {
    if (this.lines === 0) return true;
    if (this.decided === undefined && this.evaluated >= this.lines) {
      this.decided = this.groups.size <= this.evaluated * MAX_GROUPS_PER_LINE;
      this.groups.clear();
    }
    return this.decided;
  }
}
