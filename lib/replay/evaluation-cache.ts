import { Flow, FlowResult } from '../engine/types';
import { HubbleFlow } from '../hubble/flow-json';
import { engineFlow, FlowShape, isUnlabelledEndpoint } from '../hubble/to-engine-flow';
import { FLOW_PROTOCOL_INDEX } from '../engine/verdict';
import type { EngineSpec } from './replay-engine';
import type { GroupRef } from './group-ref';

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
  /** The group (a `ChunkProcessor`'s) of the flows with this evaluation: an evaluation key is finer than a group key. */
  group?: GroupRef;
}

const MAX_CACHED_EVALUATIONS = 200_000;
const MAX_CACHED_ADDRESS_EVALUATIONS = 100_000;
/** Engine result objects numbered at a time (results for one address each would pile up otherwise). */
const MAX_SIDE_IDS = 16_384;
/** Label set ids below this make a numeric key; see `EvaluationCache.evaluate`. */
export const ID_SPACE = 65536;
/** Per protocol, ports and ICMP types: the L4 part of a key is below 2^20. */
const L4_SPACE = 131072;
/** Address classes numbered at a time (0: no address); numbers stay below 2^16 for numeric keys. */
const MAX_ADDRESS_CLASSES = 65_535;
/** Addresses whose class number is remembered at a time. */
const MAX_ADDRESS_MEMO = 65_536;
const TWO_16 = 65536;
const TWO_32 = 4294967296;
/** DNS name lists numbered at a time: a named end's key (list and address class) stays below 2^30. */
const MAX_NAME_LISTS = 16_383;
/** Ends with DNS names numbered at a time: numbers stay below 2^16 for numeric keys. */
const MAX_NAMED_ENDS = 65_536;
/** L4 parts (protocol and port or ICMP type) numbered at a time: a pod key stays a small integer. */
const L4_IDS = 16384;

/**
 * The evaluate step of a replay: asks the engine once per distinct question, building the engine
 * flow only then. The engine reads a pod's identity, not its address, and a world peer's address
 * only through its address class: flows are keyed by numbers (two label-set ids, then L4 and the
 * class of each end's address), with no string built; flows with DNS names or an unlabelled
 * endpoint by a string of everything the engine reads. Flows with an address class have a cache
 * of their own so that an export with ever new addresses does not flush the others. Caches are
 * bounded (flushed when full).
 */
export class EvaluationCache {
  /**
   * Per destination label set id, its pod-to-pod evaluations by source id and L4 number: a small
   * map per destination (read at every line) rather than one large one, and keys below 2^30.
   */
  private pods: Array<Map<number, Evaluation> | undefined> = [];
  private l4Ids = new Map<number, number>();
  private addressPairs = new Map<number, Map<number, Evaluation>>();
  private addressCached = 0;
  private byKey = new Map<string, Evaluation>();
  private cached = 0;
  /** One object per distinct signature text: a new evaluation's text is dropped when it is known. */
  private readonly signatures = new Map<string, { signature: number; text: string }>();
  // The engine hands out the same direction result objects for the same decision: their
  // signature is computed once per pair of objects, not once per flow. (A Map, not a WeakMap:
  // cheaper per lookup and for the garbage collector; bounded by clearing.)
  private readonly sideIds = new Map<object, number>();
  private nextSideId = 0;
  private readonly bySides = new Map<number, { signature: number; text: string }>();
  private classOfAddress = new Map<string, number>();
  private classIds = new Map<string, number>();
  /** Flows with DNS names: by identity pair, then by L4 and each end's number (`endClass`). */
  private namedPairs = new Map<number, Map<number, Evaluation>>();
  private namedCached = 0;
  private namedEnds = new Map<number, number>();
  private singleNames = new Map<string, number>();
  private nameLists = new Map<string, number>();
  /** Counts the flushes that number ends again (see `evaluate`). */
  private generation = 0;

  constructor(private readonly evaluator: FlowEvaluator) {}

  /** The evaluation of a Hubble flow of this shape. */
  evaluate(hubble: HubbleFlow, shape: FlowShape): Evaluation {
    const src = shape.sourceSet;
    const dst = shape.destinationSet;
    if (
      src.id >= ID_SPACE ||
      dst.id >= ID_SPACE ||
      isUnlabelledEndpoint(hubble.source, src) ||
      isUnlabelledEndpoint(hubble.destination, dst)
    )
      return this.byStringKey(hubble, shape);
    const l4 =
      FLOW_PROTOCOL_INDEX[shape.protocol] * L4_SPACE + (shape.port ?? TWO_16 + (shape.icmpType ?? 0));
    const named = !!hubble.source_names?.length || !!hubble.destination_names?.length;
    // What the engine reads: addresses only matter for peers that are not pods, and only as far
    // as CIDR rules tell them apart. (Numbers handed out again after a flush are not mixed with
    // numbers from before it: the ends are numbered again.)
    let generation: number;
    let sourceEnd: number;
    let destinationEnd: number;
    do {
      generation = this.generation;
      sourceEnd = this.endClass(src.isPod, hubble.IP?.source, named, hubble.source_names);
      destinationEnd = this.endClass(dst.isPod, hubble.IP?.destination, named, hubble.destination_names);
    } while (generation !== this.generation);
    if (!named && sourceEnd === 0 && destinationEnd === 0) return this.pod(dst.id, src.id, l4, hubble, shape);
    const key = l4 * TWO_32 + sourceEnd * TWO_16 + destinationEnd;
    return this.addressed(named, src.id * ID_SPACE + dst.id, key, hubble, shape);
  }

  /**
   * The number of what the engine reads of an end besides its identity: its address class
   * (0 for a pod); with DNS names on either end of the flow, a number of its own for the
   * address class and the end's names together.
   */
  private endClass(
    isPod: boolean,
    ip: string | undefined,
    named: boolean,
    names: readonly string[] | undefined,
  ): number {
    const addressClass = isPod ? 0 : this.addressClass(ip);
    if (!named) return addressClass;
    const list = names?.length ? this.nameList(names) : 0;
    const key = list * TWO_16 + addressClass;
    let id = this.namedEnds.get(key);
    if (id === undefined) {
      if (this.namedEnds.size >= MAX_NAMED_ENDS) this.flushNamed();
      this.namedEnds.set(key, (id = this.namedEnds.size));
    }
    return id;
  }

  /** The number of a list of DNS names (from 1), in the order given. */
  private nameList(names: readonly string[]): number {
    // One name: the name itself; several: a text no single name makes.
    const text = names.length === 1 ? names[0] : JSON.stringify(names);
    const lists = names.length === 1 ? this.singleNames : this.nameLists;
    let id = lists.get(text);
    if (id === undefined) {
      if (this.singleNames.size + this.nameLists.size >= MAX_NAME_LISTS) {
        this.singleNames = new Map();
        this.nameLists = new Map();
        this.flushNamed();
        return this.nameList(names);
      }
      id = this.singleNames.size + this.nameLists.size + 1;
      lists.set(text, id);
    }
    return id;
  }

  /** Forgets the numbers of named ends, and every evaluation keyed by them. */
  private flushNamed(): void {
    this.namedEnds = new Map();
    this.namedPairs = new Map();
    this.namedCached = 0;
    this.generation++;
  }

  /** The number of an address's class (see `FlowEvaluator.addressClass`); 0 for no address. */
  private addressClass(ip: string | undefined): number {
    if (ip === undefined || ip === '') return 0;
    let id = this.classOfAddress.get(ip);
    if (id === undefined) {
      const text = this.evaluator.addressClass ? this.evaluator.addressClass(ip) : ip;
      id = this.classIds.get(text);
      if (id === undefined) {
        if (this.classIds.size >= MAX_ADDRESS_CLASSES) {
          // Numbers are reused from now on: forget every evaluation keyed by them.
          this.classIds = new Map();
          this.classOfAddress = new Map();
          this.addressPairs = new Map();
          this.addressCached = 0;
          this.flushNamed();
        }
        this.classIds.set(text, (id = this.classIds.size + 1));
      }
      if (this.classOfAddress.size >= MAX_ADDRESS_MEMO) this.classOfAddress = new Map();
      this.classOfAddress.set(ip, id);
    }
    return id;
  }

  private pod(
    destination: number,
    source: number,
    l4: number,
    hubble: HubbleFlow,
    shape: FlowShape,
  ): Evaluation {
    let l4Id = this.l4Ids.get(l4);
    if (l4Id === undefined) {
      if (this.l4Ids.size >= L4_IDS) {
        // Numbers are reused from now on: forget every evaluation keyed by them.
        this.l4Ids = new Map();
        this.pods = [];
      }
      this.l4Ids.set(l4, (l4Id = this.l4Ids.size));
    }
    const key = source * L4_IDS + l4Id;
    let e = this.pods[destination]?.get(key);
    if (!e) {
      e = this.fresh(engineFlow(hubble, shape), true);
      // After `fresh`, which may have flushed the maps.
      const pods = this.pods;
      while (pods.length <= destination) pods.push(undefined); // dense: ids are small and dense
      let byKey = pods[destination];
      if (!byKey) pods[destination] = byKey = new Map();
      byKey.set(key, e);
    }
    return e;
  }

  /** Flows with an address class or DNS names, by identity pair and then by `key`. */
  private addressed(
    named: boolean,
    pair: number,
    key: number,
    hubble: HubbleFlow,
    shape: FlowShape,
  ): Evaluation {
    let e = (named ? this.namedPairs : this.addressPairs).get(pair)?.get(key);
    if (e) return e;
    e = this.fresh(engineFlow(hubble, shape), false);
    if (named && ++this.namedCached > MAX_CACHED_ADDRESS_EVALUATIONS) {
      this.namedPairs = new Map();
      this.namedCached = 1;
    } else if (!named && ++this.addressCached > MAX_CACHED_ADDRESS_EVALUATIONS) {
      this.addressPairs = new Map();
      this.addressCached = 1;
    }
    const pairs = named ? this.namedPairs : this.addressPairs;
    let byKey = pairs.get(pair);
    if (!byKey) pairs.set(pair, (byKey = new Map()));
    byKey.set(key, e);
    return e;
  }

  private byStringKey(hubble: HubbleFlow, shape: FlowShape): Evaluation {
    const src = shape.sourceSet;
    const dst = shape.destinationSet;
    const sourceIp = src.isPod ? '' : String(this.addressClass(hubble.IP?.source));
    const destinationIp = dst.isPod ? '' : String(this.addressClass(hubble.IP?.destination));
    const key =
      `${src.id}#${sourceIp}#${hubble.source_names?.join(',') ?? ''}#${isUnlabelledEndpoint(hubble.source, src)}|` +
      `${dst.id}#${destinationIp}#${hubble.destination_names?.join(',') ?? ''}#${isUnlabelledEndpoint(hubble.destination, dst)}|` +
      `${shape.protocol}|${shape.port ?? ''}|${shape.icmpType ?? ''}`;
    let e = this.byKey.get(key);
    if (!e) this.byKey.set(key, (e = this.fresh(engineFlow(hubble, shape), true)));
    return e;
  }

  private fresh(flow: Flow, counted: boolean): Evaluation {
    const result = safeEvaluate(this.evaluator, flow);
    const { signature, text } = this.signature(result);
    if (counted && ++this.cached > MAX_CACHED_EVALUATIONS) {
      this.byKey = new Map();
      this.pods = [];
      this.cached = 1;
    }
    // (`group` from the start: a property added later would take an object of its own.)
    return { result, signature, signatureText: text, group: undefined };
  }

  private signature(result: FlowResult): { signature: number; text: string } {
    const e = this.sideId(result.egress);
    const i = this.sideId(result.ingress);
    const pairKey = e < 0x4000000 && i < 0x4000000 ? e * 0x4000000 + i : -1;
    let known = pairKey >= 0 ? this.bySides.get(pairKey) : undefined;
    if (!known) {
      const text = signatureOf(result);
      known = this.signatures.get(text);
      if (!known) this.signatures.set(text, (known = { signature: this.signatures.size, text }));
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
  // (Joined, not concatenated: one flat string, not a rope kept with every group.)
  return [result.verdict, side(result.egress), side(result.ingress)].join('|');
}
