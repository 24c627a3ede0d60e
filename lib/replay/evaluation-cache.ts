import { Flow, FlowResult } from '../engine/types';
import { LabelSet } from '../hubble/label-sets';
import { FLOW_PROTOCOL_INDEX } from '../engine/verdict';
import type { EngineSpec } from './replay-engine';

/** What replay needs from the engine (`PolicyEngine` satisfies it). */
export interface FlowEvaluator {
  evaluate(flow: Flow): FlowResult;
  /**
   * A key equal for addresses the evaluator decides alike (`PolicyEngine.addressClass`); without
   * it, each address is its own class.
   */
  addressClass?(ip: string): string;
  /** The cluster name the policies are evaluated for (recorded in group files). */
  clusterName?(): string | undefined;
  /** How worker threads build the same evaluator (`replay --jobs`); undefined until they can. */
  spec?(): EngineSpec | undefined;
}

/** The engine's answer for a flow, and what tells equal outcomes apart. */
export interface Evaluation {
  readonly result: FlowResult;
  /** Equal for equal outcomes within one cache (see `signatureOf`). */
  readonly signature: number;
  readonly signatureText: string;
  /** The group (a `ChunkProcessor` ref) of the flows with this evaluation: an evaluation key is finer than a group key. */
  group?: number;
}

const MAX_CACHED_EVALUATIONS = 200_000;
const MAX_CACHED_ADDRESS_EVALUATIONS = 100_000;
/** Engine result objects numbered at a time (results for one address each would pile up otherwise). */
const MAX_SIDE_IDS = 16_384;
/** Label set ids below this make a numeric key (pod to pod); see `EvaluationCache.evaluate`. */
export const ID_SPACE = 131072;

/**
 * The evaluate step of a replay: asks the engine once per distinct question. The engine reads a
 * pod's identity, not its address, so pod-to-pod flows are keyed by two label-set ids and the
 * port (numbers, no string); flows with a world peer, DNS names or an unlabelled endpoint by a
 * string of everything the engine reads, in a cache of their own so that an export with ever new
 * addresses does not flush the others. Caches are bounded (flushed when full).
 */
export class EvaluationCache {
  private pairs = new Map<number, Map<number, Evaluation>>();
  private byKey = new Map<string, Evaluation>();
  private byAddress = new Map<string, Evaluation>();
  private cached = 0;
  private readonly signatures = new Map<string, number>();
  // The engine hands out the same direction result objects for the same decision: their
  // signature is computed once per pair of objects, not once per flow. (A Map, not a WeakMap:
  // cheaper per lookup and for the garbage collector; bounded by clearing.)
  private readonly sideIds = new Map<object, number>();
  private nextSideId = 0;
  private readonly bySides = new Map<number, { signature: number; text: string }>();

  constructor(private readonly evaluator: FlowEvaluator) {}

  evaluate(flow: Flow, src: LabelSet, dst: LabelSet): Evaluation {
    if (
      src.isPod &&
      dst.isPod &&
      src.id < ID_SPACE &&
      dst.id < ID_SPACE &&
      !flow.source.dnsNames &&
      !flow.destination.dnsNames &&
      flow.source.managed === undefined &&
      flow.destination.managed === undefined
    ) {
      return this.pods(flow, src, dst);
    }
    // What the engine reads: addresses only matter for peers that are not pods, and only as far
    // as CIDR rules tell them apart.
    const sourceIp = src.isPod ? '' : this.addressClass(flow.source.ip);
    const destinationIp = dst.isPod ? '' : this.addressClass(flow.destination.ip);
    const key =
      `${src.id}#${sourceIp}#${flow.source.dnsNames?.join(',') ?? ''}#${flow.source.managed ?? ''}|` +
      `${dst.id}#${destinationIp}#${flow.destination.dnsNames?.join(',') ?? ''}#${flow.destination.managed ?? ''}|${flow.protocol}|${flow.port ?? ''}|${flow.icmpType ?? ''}`;
    return sourceIp || destinationIp ? this.byAddressKey(flow, key) : this.byStringKey(flow, key);
  }

  private addressClass(ip: string | undefined): string {
    if (ip === undefined) return '';
    return this.evaluator.addressClass ? this.evaluator.addressClass(ip) : ip;
  }

  private pods(flow: Flow, src: LabelSet, dst: LabelSet): Evaluation {
    const pair = src.id * ID_SPACE + dst.id;
    const l4 = FLOW_PROTOCOL_INDEX[flow.protocol] * ID_SPACE + (flow.port ?? 65536 + (flow.icmpType ?? 0));
    let byL4 = this.pairs.get(pair);
    let e = byL4?.get(l4);
    if (!e) {
      e = this.fresh(flow, true);
      if (!byL4) this.pairs.set(pair, (byL4 = new Map()));
      byL4.set(l4, e);
    }
    return e;
  }

  private byStringKey(flow: Flow, key: string): Evaluation {
    let e = this.byKey.get(key);
    if (!e) this.byKey.set(key, (e = this.fresh(flow, true)));
    return e;
  }

  private byAddressKey(flow: Flow, key: string): Evaluation {
    let e = this.byAddress.get(key);
    if (!e) {
      e = this.fresh(flow, false);
      if (this.byAddress.size >= MAX_CACHED_ADDRESS_EVALUATIONS) this.byAddress = new Map();
      this.byAddress.set(key, e);
    }
    return e;
  }

  private fresh(flow: Flow, counted: boolean): Evaluation {
    const result = safeEvaluate(this.evaluator, flow);
    const { signature, text } = this.signature(result);
    if (counted && ++this.cached > MAX_CACHED_EVALUATIONS) {
      this.byKey = new Map();
      this.pairs = new Map();
      this.cached = 1;
    }
    return { result, signature, signatureText: text };
  }

  private signature(result: FlowResult): { signature: number; text: string } {
    const e = this.sideId(result.egress);
    const i = this.sideId(result.ingress);
    const pairKey = e < 0x4000000 && i < 0x4000000 ? e * 0x4000000 + i : -1;
    let known = pairKey >= 0 ? this.bySides.get(pairKey) : undefined;
    if (!known) {
      const text = signatureOf(result);
      let signature = this.signatures.get(text);
      if (signature === undefined) this.signatures.set(text, (signature = this.signatures.size));
      known = { signature, text };
      if (pairKey >= 0) {
        if (this.bySides.size >= MAX_CACHED_EVALUATIONS) this.bySides.clear();
        this.bySides.set(pairKey, known);
      }
    }
    return known;
  }

  private sideId(side: object): number {
    let id = this.sideIds.get(side);
    if (id === undefined) {
      if (this.sideIds.size >= MAX_SIDE_IDS) {
        this.sideIds.clear();
        this.bySides.clear();
      }
      this.sideIds.set(side, (id = this.nextSideId++));
    }
    return id;
  }
}

function safeEvaluate(evaluator: FlowEvaluator, flow: Flow): FlowResult {
  try {
    return evaluator.evaluate(flow);
  } catch (e) {
    const note = `the evaluator failed on this flow: ${(e as Error).message}`;
    const side = { decision: 'UNDECIDED' as const, rules: [], notes: [note] };
    return { verdict: 'UNDECIDED', egress: side, ingress: side };
  }
}

/** What makes two predictions the same outcome: notes only count when they are the reason (UNDECIDED). */
function signatureOf(result: FlowResult): string {
  const side = (d: FlowResult['egress']) =>
    [
      d.decision,
      d.audited ? 'audit' : '',
      d.l7 ? 'l7' : '',
      d.rules.map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}/${r.path}`).join(','),
      d.decision === 'UNDECIDED' ? d.notes.join(';') : '',
    ].join('#');
  return `${result.verdict}|${side(result.egress)}|${side(result.ingress)}`;
}
