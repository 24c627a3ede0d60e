import { MatrixNode } from './model';
import { sortPorts } from './workloads';

/**
 * Workloads with the same identity labels (namespace, pod labels, namespace labels, service
 * account) are one Cilium identity: policy treats their pods alike, so the matrix evaluates the
 * identity once. Named ports resolve per workload, so workloads whose named ports differ are
 * evaluated apart; hostNetwork workloads, entities, CIDRs and FQDNs stand for themselves.
 */
export interface MatrixIdentity {
  /** The node id of a single workload; `ns/first+N` for a group (`+` never occurs in a name). */
  readonly id: string;
  /** The workloads (or the one node) it stands for, in node order. */
  readonly members: readonly MatrixNode[];
  /** What the engine evaluates: the shared peer, with every container port of its members. */
  readonly node: MatrixNode;
}

function identityKey(n: MatrixNode): string {
  if (n.kind !== 'workload' || n.hostNetwork) return `node\n${n.id}`;
  return `workload\n${n.labels.join('\n')}\n${JSON.stringify(n.peer.namedPorts ?? [])}`;
}

/** Groups sorted nodes into identities, in the order of their first member. */
export function groupIdentities(nodes: readonly MatrixNode[]): MatrixIdentity[] {
  const byKey = new Map<string, MatrixNode[]>();
  for (const n of nodes) {
    const k = identityKey(n);
    const list = byKey.get(k);
    if (list) list.push(n);
    else byKey.set(k, [n]);
  }
  return [...byKey.values()].map((members): MatrixIdentity => {
    if (members.length === 1) return { id: members[0].id, members, node: members[0] };
    const id = `${members[0].id}+${members.length - 1}`;
    return {
      id,
      members,
      node: {
        ...members[0],
        id,
        name: members.map((m) => m.name).join(','),
        declaredPorts: sortPorts(members.flatMap((m) => m.declaredPorts)),
      },
    };
  });
}
