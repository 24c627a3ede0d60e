import { Entry } from '../engine/model';
import { MatrixPort, MatrixOptions } from './model';
import { CellExplainer } from './explain-cell';
import { DecidedPairs } from './pairs';
import { flowTo, MatrixPlan } from './plan';
import { matrixPort } from './ports';
import { sortPorts } from './workloads';

/**
 * Ports per destination, unless `--ports` gives them: the container ports it declares, plus the
 * policy ports some rule decided a flow to it on, plus (for entities, CIDRs and FQDNs with
 * neither) a default port: 443/TCP for the outside, 6443/TCP for the apiserver, 10250/TCP
 * (kubelet) for nodes, 4240/TCP for cilium-health.
 */

const DEFAULT_PORTS: Readonly<Record<string, MatrixPort>> = {
  'entity:world': matrixPort('TCP', 443),
  'entity:kube-apiserver': matrixPort('TCP', 6443),
  'entity:host': matrixPort('TCP', 10250),
  'entity:remote-node': matrixPort('TCP', 10250),
  'entity:health': matrixPort('TCP', 4240),
  'entity:ingress': matrixPort('TCP', 443),
  'entity:init': matrixPort('TCP', 443),
  'entity:unmanaged': matrixPort('TCP', 443),
};
const OUTSIDE_DEFAULT = matrixPort('TCP', 443);

/** Per identity index: the ports evaluated with it as destination, sorted. */
export function destinationPorts(
  plan: MatrixPlan,
  pairs: DecidedPairs,
  explainer: CellExplainer,
  options: MatrixOptions,
): MatrixPort[][] {
  const finder = new PolicyPortFinder(plan, pairs, explainer);
  return plan.identities.map((identity, d) => {
    let kept = options.ports ? sortPorts(options.ports) : finder.portsOf(d);
    const extra = identity.members.flatMap((n) => options.extraPorts?.get(n.id) ?? []);
    if (extra.length > 0) kept = sortPorts([...kept, ...extra]);
    return kept;
  });
}

/**
 * A policy port counts for a destination once some rule decides a flow to it on that port: an
 * ingress rule selecting it, or an egress rule of a source, whose L4 part covers the port and
 * whose peers may match the other end.
 */
class PolicyPortFinder {
  private readonly policyPorts: readonly MatrixPort[];
  private readonly egressL4 = new Map<number, readonly Entry[]>();

  constructor(
    private readonly plan: MatrixPlan,
    private readonly pairs: DecidedPairs,
    private readonly explainer: CellExplainer,
  ) {
    const out: MatrixPort[] = [];
    for (const rule of plan.engine.rules)
      for (const e of [...rule.entries.ingress, ...rule.entries.egress]) entryPorts(e, out);
    this.policyPorts = sortPorts(out);
  }

  portsOf(d: number): MatrixPort[] {
    const dst = this.plan.node(d);
    const fallback = dst.kind === 'workload' ? undefined : (DEFAULT_PORTS[dst.id] ?? OUTSIDE_DEFAULT);
    const declared = new Set(dst.declaredPorts.map((p) => p.text));
    const ingressL4 = this.l4Entries(d, 'ingress');
    const kept = sortPorts([
      ...dst.declaredPorts,
      ...this.policyPorts,
      ...(fallback ? [fallback] : []),
    ]).filter((p) => declared.has(p.text) || this.decidesOn(d, p, ingressL4));
    return kept.length === 0 && fallback ? [fallback] : kept;
  }

  private decidesOn(d: number, port: MatrixPort, ingressL4: readonly Entry[]): boolean {
    const { engine } = this.plan;
    const dst = this.plan.node(d);
    const ingressCover = ingressL4.filter((e) => entryMayCover(e, port));
    return this.pairs.sources[d].some((s) => {
      const src = this.plan.node(s);
      if (
        !ingressCover.some((e) => engine.peerMayMatch(e, src.peer)) &&
        !this.egressOf(s).some((e) => entryMayCover(e, port) && engine.peerMayMatch(e, dst.peer))
      )
        return false;
      const r = engine.evaluate(flowTo(src, dst, port));
      return this.explainer.namesPorts(r.egress) || this.explainer.namesPorts(r.ingress);
    });
  }

  private egressOf(s: number): readonly Entry[] {
    let list = this.egressL4.get(s);
    if (!list) this.egressL4.set(s, (list = this.l4Entries(s, 'egress')));
    return list;
  }

  /** Entries selecting an end that carry L4 ports: only they can make a policy port count. */
  private l4Entries(i: number, direction: 'ingress' | 'egress'): readonly Entry[] {
    if (!this.plan.managed[i]) return [];
    return this.plan.engine.selectingEntries(this.plan.node(i).peer, direction).filter((e) => !!e.l4);
  }
}

/** The specific ports (and ICMP types) one entry names; ANY stands for TCP and UDP here. */
function entryPorts(e: Entry, out: MatrixPort[]): void {
  for (const c of e.l4?.ports ?? []) {
    if (c.name !== undefined || (c.low === 0 && c.high === 65535) || c.low === 0) continue;
    const protocols = c.protocols.length >= 3 ? c.protocols.filter((p) => p !== 'SCTP') : c.protocols;
    for (const p of protocols) out.push(matrixPort(p, c.low));
  }
  for (const i of e.l4?.icmps ?? []) out.push(matrixPort(i.protocol, undefined, i.type));
}

/** Whether an entry's L4 part could match this port: the cheap pre-check before evaluating. */
function entryMayCover(e: Entry, port: MatrixPort): boolean {
  if (!e.l4) return false;
  if (port.icmpType !== undefined || port.protocol === 'ICMPv4' || port.protocol === 'ICMPv6') {
    return e.l4.icmps.length > 0 || e.l4.ports.some((c) => c.protocols.includes(port.protocol));
  }
  return e.l4.ports.some(
    (c) =>
      c.name !== undefined ||
      c.low === 0 ||
      (c.protocols.includes(port.protocol) &&
        port.port !== undefined &&
        c.low <= port.port &&
        port.port <= Math.max(c.low, c.high)),
  );
}
