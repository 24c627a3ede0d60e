import { PolicyEngine } from '../engine/engine';
import { SELF_ENFORCING_RESERVED } from '../cilium/identity-class';
import { Flow } from '../engine/types';
import { MatrixIdentity } from './identities';
import { MatrixNode, MatrixPort } from './model';

/**
 * What the matrix's steps share: the engine, the identities (by index, in node order) and which
 * (source, destination) pairs have flows at all.
 */
export class MatrixPlan {
  /** Identity indexes that send flows: every kind but FQDN names. */
  readonly sources: readonly number[];
  /** Per identity: it enforces policy (pods, and the health, ingress and init endpoints). */
  readonly managed: readonly boolean[];
  /** Per identity: it is the host (entity:host, hostNetwork workloads). */
  readonly host: readonly boolean[];

  constructor(
    readonly engine: PolicyEngine,
    readonly identities: readonly MatrixIdentity[],
  ) {
    this.sources = identities.flatMap((i, k) => (i.node.kind === 'fqdn' ? [] : [k]));
    this.managed = identities.map((i) => isManaged(i.node));
    this.host = identities.map((i) => i.node.peer.labels.includes('reserved:host'));
  }

  /** A pair has flows when one end enforces policy; a non-workload node has none with itself. */
  hasFlows(source: number, destination: number): boolean {
    if (!this.managed[source] && !this.managed[destination]) return false;
    return source !== destination || this.identities[source].node.kind === 'workload';
  }

  node(index: number): MatrixNode {
    return this.identities[index].node;
  }
}

/** Ends that enforce policy: pods and the health, ingress and init endpoints (FlowPeer.managed). */
export function isManaged(n: MatrixNode): boolean {
  if (n.kind === 'workload') return !n.hostNetwork;
  return n.kind === 'entity' && SELF_ENFORCING_RESERVED.has(n.name);
}

/** The engine's flow from one node to another on one port. */
export function flowTo(src: MatrixNode, dst: MatrixNode, port: MatrixPort): Flow {
  return {
    source: src.peer,
    destination: dst.peer,
    protocol: port.protocol,
    ...(port.port !== undefined ? { port: port.port } : {}),
    ...(port.icmpType !== undefined ? { icmpType: port.icmpType } : {}),
  };
}
