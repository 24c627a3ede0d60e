import { HubbleFlow } from '../hubble/flow-json';

const CONNECTION_WINDOW_MS = 120_000;

/**
 * The last `capacity` connections seen (5-tuple -> time of the last event), in a ring: adding
 * one evicts the oldest in O(1) however long the table has been full.
 */
export class ConnectionTable {
  private readonly times = new Map<string, number>();
  private readonly ring: Array<string | undefined>;
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  get size(): number {
    return this.times.size;
  }

  /**
   * Whether this event starts a new connection: its 5-tuple was not seen within two minutes
   * (SYN retransmits and the other node's events of the same connection count once).
   */
  isNew(hubble: HubbleFlow, ms: number | undefined): boolean {
    const l4 = hubble.l4;
    const ports = l4?.TCP ?? l4?.UDP ?? l4?.SCTP;
    const icmp = l4?.ICMPv4 ?? l4?.ICMPv6;
    if (!hubble.IP?.source || !hubble.IP.destination || (!ports && !icmp)) return true;
    const key = `${hubble.IP.source}|${hubble.IP.destination}|${ports ? `${ports.source_port}>${ports.destination_port}` : `icmp${icmp!.type ?? 0}`}`;
    const previous = this.times.get(key);
    this.times.set(key, ms ?? -1);
    if (previous === undefined) {
      this.remember(key);
      return true;
    }
    if (ms === undefined || previous === -1) return false;
    return Math.abs(ms - previous) > CONNECTION_WINDOW_MS;
  }

  private remember(key: string): void {
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.times.delete(evicted);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.capacity;
  }
}
