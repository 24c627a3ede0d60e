import { HubbleFlow } from '../hubble/flow-json';
import { LabelSets } from '../hubble/label-sets';
import { INVALID_JSON, lineRecord, parseLine } from '../hubble/parse-line';
import { policyRelevance } from '../hubble/policy-relevance';
import { endpointNamespace, flowShape, FlowShape } from '../hubble/to-engine-flow';
import { NO_FORM, readSeenTime, SeenTime } from './seen-time';
import { flowTimeMs } from './time-window';

/** Which flows a replay keeps (epoch ms for the times). */
export interface ReplayFilter {
  /** Keep flows whose source or destination is in one of these namespaces. */
  readonly namespaces?: readonly string[];
  /** Keep flows at or after this time (epoch ms). */
  readonly since?: number;
  /** Keep flows at or before this time (epoch ms). */
  readonly until?: number;
}

/** A line to evaluate: the Hubble flow, its identities and L4, and where and when it was seen. */
export interface KeptLine {
  readonly kind: 'flow';
  readonly hubble: HubbleFlow;
  readonly shape: FlowShape;
  readonly node?: string;
  readonly time?: string;
  readonly ms?: number;
  /** The form of `time` (see seen-time.ts). */
  readonly timeForm: number;
}

export type LineJudgement =
  | KeptLine
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Node names kept at a time (more than any cluster has nodes). */
const MAX_NODE_NAMES = 16_384;

const BLANK: LineJudgement = { kind: 'skip', reason: 'blank line' };

/**
 * The filter step of a replay: judges one line on its own (malformed, skipped with a reason, or
 * kept for evaluation) and converts what it keeps. Label sets are interned across lines.
 */
export class LineFilter {
  private readonly namespaces?: ReadonlySet<string>;
  private readonly timed: boolean;
  private readonly labelSets = new LabelSets();
  /** One string per node name: the groups' node sets compare them at every event. */
  private nodeNames = new Map<string, string>();
  private lastNode?: string;
  private readonly time: SeenTime = { ms: undefined, form: NO_FORM };

  constructor(private readonly filter: ReplayFilter = {}) {
    this.namespaces = filter.namespaces?.length ? new Set(filter.namespaces) : undefined;
    this.timed = filter.since !== undefined || filter.until !== undefined;
  }

  /** `json`: the line's `parseJson`, when done already. */
  judge(text: string, terminated: boolean, json: unknown = INVALID_JSON): LineJudgement {
    // A line JSON.parse could not read (blank, not JSON) is parsed again to say why.
    const record = json === INVALID_JSON ? parseLine(text, terminated) : lineRecord(json);
    if (!record) return BLANK;
    if (record.kind !== 'flow') return record;
    const hubble = record.flow;
    const relevance = policyRelevance(hubble);
    if (!relevance.evaluate) return { kind: 'skip', reason: relevance.reason };
    const outside = this.outside(hubble, record.time);
    if (outside) return { kind: 'skip', reason: outside };
    const shape = flowShape(hubble, this.labelSets);
    if (!shape.ok) return { kind: 'skip', reason: shape.reason };
    const time = this.time;
    readSeenTime(record.time, time);
    return {
      kind: 'flow',
      hubble,
      shape,
      node: this.nodeName(record.nodeName),
      time: record.time,
      ms: time.ms,
      timeForm: time.form,
    };
  }

  private nodeName(name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    // An exporter file holds one node's flows: most lines name the node of the line before.
    if (name === this.lastNode) return this.lastNode;
    let kept = this.nodeNames.get(name);
    if (kept === undefined) {
      if (this.nodeNames.size >= MAX_NODE_NAMES) this.nodeNames = new Map();
      this.nodeNames.set(name, (kept = name));
    }
    this.lastNode = kept;
    return kept;
  }

  /** Why `--namespace`, `--since` or `--until` leaves the flow out, if they do. */
  private outside(hubble: HubbleFlow, time: string | undefined): string | undefined {
    const ns = this.namespaces;
    if (
      ns &&
      !ns.has(endpointNamespace(hubble.source) ?? '') &&
      !ns.has(endpointNamespace(hubble.destination) ?? '')
    ) {
      return 'filtered out by --namespace';
    }
    if (!this.timed) return undefined;
    const ms = flowTimeMs(time);
    const { since, until } = this.filter;
    if (ms === undefined) return 'no timestamp (--since/--until cannot apply)';
    if (since !== undefined && ms < since) return 'filtered out by --since';
    if (until !== undefined && ms > until) return 'filtered out by --until';
    return undefined;
  }
}
