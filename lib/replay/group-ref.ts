import type { GroupAccumulator, GroupIdentityJson } from './group-accumulator';

/**
 * The run's group for a processor's group ref, for a chunk processed in the thread that records
 * the run, in line order: its events are added there directly. The same ref gives the same group
 * every time; `line` is the chunk's line number of the group's first event in this chunk.
 */
export type GroupOpener = (ref: number, identity: GroupIdentityJson, line: number) => GroupAccumulator;

/**
 * A group a `ChunkProcessor` numbered, with what a line of it needs at hand (one object per
 * line's group: the processor's groups are many and a line touches one at random).
 */
export class GroupRef {
  /** The chunk (processor's count) that last touched it, and its position among that chunk's groups. */
  chunk = 0;
  slot = 0;
  /** The run's group `opener` gave for it. */
  private opened?: GroupAccumulator;
  private opener?: GroupOpener;

  constructor(
    readonly ref: number,
    readonly identity: GroupIdentityJson,
  ) {}

  /** The run's group `open` gives for it, asked once per opener. */
  openWith(open: GroupOpener, line: number): GroupAccumulator {
    // (The group itself is not read here: the event that follows reads it.)
    if (this.opener !== open) {
      this.opened = open(this.ref, this.identity, line);
      this.opener = open;
    }
    return this.opened!;
  }
}
