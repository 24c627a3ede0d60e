import type { MatrixIdentity } from './identities';
import { DirectionDecision, EngineOptions, FlowPeer, FlowProtocol, Verdict } from '../engine/types';

/** The connectivity matrix's data model: what the renderers draw. */

export type MatrixNodeKind = 'workload' | 'entity' | 'fqdn' | 'cidr';

/** A destination port (or ICMP type) the matrix evaluates. */
export interface MatrixPort {
  readonly protocol: FlowProtocol;
  /** Absent for ICMP and port-less protocols. */
  readonly port?: number;
  readonly icmpType?: number;
  /** `80/TCP`, `ICMPv4:8`, `VRRP`: the CLI's `--ports` syntax. */
  readonly text: string;
}

export interface MatrixNode {
  /** `blog/blog` (namespace/workload), `entity:host`, `fqdn:api.github.com`, `cidr:10.0.0.0/8`. */
  readonly id: string;
  readonly kind: MatrixNodeKind;
  /** The workload's namespace; undefined for entities, FQDNs and CIDRs. */
  readonly namespace?: string;
  /** Workload name, entity name, DNS name or CIDR. */
  readonly name: string;
  /** `Deployment`, `StatefulSet`, `DaemonSet`, `Job`, `CronJob`, `Pod` for workloads. */
  readonly workloadKind?: string;
  /** Identity-relevant labels, sorted. */
  readonly labels: readonly string[];
  /** Container ports the workload declares. */
  readonly declaredPorts: readonly MatrixPort[];
  /** For FQDN example names: the toFQDNs patterns this name stands for. */
  readonly examplePatterns?: readonly string[];
  /** A hostNetwork workload: its pods are the host identity. */
  readonly hostNetwork?: boolean;
  /** Where it was found, `file:line`. */
  readonly origin?: string;
  /** The flow peer the engine sees. */
  readonly peer: FlowPeer;
}

/** The engine's answer for one (source, destination, port). */
export interface MatrixCell {
  readonly from: string;
  readonly to: string;
  readonly port: MatrixPort;
  readonly verdict: Verdict;
  readonly egress: DirectionDecision;
  readonly ingress: DirectionDecision;
  /** Deciding rules, `CiliumNetworkPolicy ns/name spec.ingress[0]`, sorted. */
  readonly rules: readonly string[];
  /** Why UNDECIDED. */
  readonly reason?: string;
  /**
   * A policy rule decided: false when no policy selects either end, or only the agent's implicit
   * allows (allow-localhost, allow-all of non-default-deny directions) let the flow through.
   */
  readonly policyInvolved: boolean;
  /** A rule of one end names the other end as a peer (an endpoint selector, entity, CIDR or FQDN). */
  readonly peerNamed: boolean;
}

export interface FqdnExample {
  readonly pattern: string;
  readonly example: string;
}

export interface MatrixOptions {
  readonly engine: EngineOptions;
  /** `--ports`: evaluate these for every destination instead of the discovered ones. */
  readonly ports?: readonly MatrixPort[];
  /** Per destination id: ports to evaluate besides the others (a diff lines two revisions up with it). */
  readonly extraPorts?: ReadonlyMap<string, readonly MatrixPort[]>;
}

export interface ConnectivityMatrix {
  /** Sorted by kind (workloads, entities, CIDRs, FQDNs), then id. */
  readonly nodes: readonly MatrixNode[];
  /** The identities the nodes group into (see identities.ts), in node order. */
  readonly identities: readonly MatrixIdentity[];
  /** Node id -> the id of its identity. */
  readonly identityOf: ReadonlyMap<string, string>;
  /** What was evaluated: one cell per (source identity, destination identity, port), sorted like `cells`. */
  readonly identityCells: readonly MatrixCell[];
  /** Per node: the cells of its identity, for every member pair (built on first use). Sorted by from, to, protocol, port. */
  readonly cells: readonly MatrixCell[];
  /** Ports evaluated per destination identity id. */
  readonly portsByIdentity: ReadonlyMap<string, readonly MatrixPort[]>;
  /** Ports evaluated per destination id. */
  readonly portsByDestination: ReadonlyMap<string, readonly MatrixPort[]>;
  /** Policy counts by kind. */
  readonly policies: { readonly total: number; readonly byKind: Readonly<Record<string, number>> };
  readonly engineOptions: Required<EngineOptions>;
  /** `declared` (container ports plus policy ports) or `--ports`. */
  readonly portSource: 'declared' | 'option';
  readonly fqdnExamples: readonly FqdnExample[];
  /** Engine warnings (skipped policies) and discovery warnings. */
  readonly warnings: readonly string[];
  /** Per node id: whether it enforces ingress / egress (a policy selects it, or default-deny by mode). */
  readonly enforced: ReadonlyMap<string, { readonly ingress: boolean; readonly egress: boolean }>;
}
