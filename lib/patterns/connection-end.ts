import { IConstruct } from 'constructs';
import { parsePrefix } from '../cilium/cidr';
import {
  formatLabel,
  NAMESPACE_KEY,
  NAMESPACE_LABELS_PREFIX,
  NAMESPACE_NAME_LABEL,
  SERVICE_ACCOUNT_KEY,
} from '../cilium/labels';
import { podIdentityLabels } from '../cilium/pod-identity';
import { Identity } from '../engine/identity';
import { parsePeer } from '../engine/peer-syntax';
import { LabelIndex, parseLabelSelector, requirementMatches } from '../engine/selector';
import { FlowPeer, NamedPort } from '../engine/types';
import { Entity } from '../policy/entity';
import { invalidProp } from '../policy/errors';
import { Fqdn } from '../policy/fqdn';
import { IPeer, Peer } from '../policy/peer';
import { synthesizedWorkload } from '../policy/synthesized';
import { namedContainerPorts } from '../manifest/workload';
import { EndpointSelector } from '../policy/selector';
import { PodsSelection } from './common';
import { tsEntity, tsSelector } from './typescript';

/** Entities that are one endpoint, so a connection can start or end there. */
const SINGLE_ENTITIES = ['host', 'remote-node', 'kube-apiserver', 'ingress', 'health', 'world'];

/**
 * One end of a declared connection: pods (a selector with a namespace, or a workload
 * construct), an entity, a DNS name or an address outside the cluster.
 */
export class ConnectionEnd {
  /** Pods: a selector (give it a namespace) or a workload construct. */
  static pods(pods: PodsSelection, defaultNamespace?: string): ConnectionEnd {
    return new ConnectionEnd({ kind: 'pods', pods, defaultNamespace });
  }

  /** A single reserved identity: `world`, `host`, `remote-node`, `kube-apiserver`, `ingress`, `health`. */
  static entity(entity: Entity): ConnectionEnd {
    return new ConnectionEnd({ kind: 'entity', entity });
  }

  /** A DNS name outside the cluster (a pattern stands for an example name it matches). */
  static fqdn(fqdn: Fqdn): ConnectionEnd {
    return new ConnectionEnd({ kind: 'fqdn', fqdn });
  }

  /** An address range outside the cluster (its first address stands for it). */
  static cidr(cidr: string): ConnectionEnd {
    return new ConnectionEnd({ kind: 'cidr', cidr });
  }

  /** Any of the accepted forms, as a ConnectionEnd. */
  static of(end: ConnectionEndLike, defaultNamespace?: string): ConnectionEnd {
    if (end instanceof ConnectionEnd) return end.withDefaultNamespace(defaultNamespace);
    if (end instanceof Entity) return ConnectionEnd.entity(end);
    if (end instanceof Fqdn) return ConnectionEnd.fqdn(end);
    if (end === undefined || end === null)
      invalidProp('', end, 'a connection needs both ends', 'give pods, an entity, a DNS name or a CIDR');
    return ConnectionEnd.pods(end, defaultNamespace);
  }

  private constructor(private readonly spec: EndSpec) {}

  /** What the end is: `pods`, `entity`, `fqdn` or `cidr`. */
  get kind(): string {
    return this.spec.kind;
  }

  /** The pods' selector, namespace filled in (pods only). */
  get selector(): EndpointSelector | undefined {
    if (this.spec.kind !== 'pods') return undefined;
    return EndpointSelector.of(this.spec.pods).withDefaultNamespace(this.spec.defaultNamespace);
  }

  /** The pods' namespace (pods only). */
  get namespace(): string | undefined {
    return this.selector?.namespace;
  }

  /** The workload object, when the pods were given as one. */
  get workload(): IConstruct | undefined {
    return this.spec.kind === 'pods' && !(this.spec.pods instanceof EndpointSelector)
      ? this.spec.pods
      : undefined;
  }

  /** A policy peer for this end. */
  peer(): IPeer {
    switch (this.spec.kind) {
      case 'pods':
        return Peer.endpoints(this.selector!);
      case 'entity':
        return Peer.entities(this.spec.entity);
      case 'fqdn':
        return Peer.fqdns(this.spec.fqdn);
      case 'cidr':
        return Peer.cidr(this.spec.cidr);
    }
  }

  /** @internal Checks the end can be evaluated; `field` names it in errors. */
  _validate(field: string): void {
    switch (this.spec.kind) {
      case 'pods': {
        const selector = this.selector!;
        if (!selector.namespace) {
          invalidProp(
            field,
            'pods without a namespace',
            "a connection end must name the pods' namespace",
            'give the selector a namespace, e.g. EndpointSelector.labels({ app: "blog" }, { namespace: "blog" })',
          );
        }
        selector._render(field);
        return;
      }
      case 'entity':
        if (!SINGLE_ENTITIES.includes(this.spec.entity.name)) {
          invalidProp(
            field,
            this.spec.entity.name,
            'not a single endpoint (cluster, all, none and the like are sets)',
            `use one of ${SINGLE_ENTITIES.map((e) => `Entity.${e.toUpperCase().replace('-', '_')}`).join(', ')}`,
          );
        }
        return;
      case 'fqdn':
        this.spec.fqdn._render(field);
        return;
      case 'cidr':
        if (!parsePrefix(this.spec.cidr))
          invalidProp(field, this.spec.cidr, 'not a CIDR', 'write e.g. `203.0.113.0/24`');
        return;
    }
  }

  /** The end in the CLI endpoint syntax (`blog/app=blog`, `entity:world`, `fqdn:github.com`). */
  describe(): string {
    const peer = this._flowPeer();
    switch (this.spec.kind) {
      case 'pods': {
        const labels = peer.labels
          .filter(
            (l) =>
              !l.startsWith(`k8s:${NAMESPACE_KEY}=`) &&
              !l.startsWith(`k8s:${SERVICE_ACCOUNT_KEY}=`) &&
              !l.startsWith(`k8s:${NAMESPACE_LABELS_PREFIX}${NAMESPACE_NAME_LABEL}=`),
          )
          .map((l) => l.replace(/^k8s:/, ''));
        return `${this.namespace}/${labels.join(',')}`;
      }
      case 'entity':
        return `entity:${this.spec.entity.name}`;
      case 'fqdn':
        return `fqdn:${this.exampleFqdn()}`;
      case 'cidr':
        return `cidr:${this.spec.cidr.split('/')[0]}`;
    }
  }

  /** @internal The end as the engine sees it: a workload's pod template labels, or a pod the selector selects. */
  _flowPeer(): FlowPeer {
    switch (this.spec.kind) {
      case 'pods':
        return this.podPeer();
      case 'entity':
        return parsePeer(`entity:${this.spec.entity.name}`);
      case 'fqdn':
        return parsePeer(`fqdn:${this.exampleFqdn()}`);
      case 'cidr':
        return parsePeer(`cidr:${this.spec.cidr.split('/')[0]}`);
    }
  }

  /**
   * True when the pods' selector selects no pod at all (its requirements contradict each other,
   * e.g. `app: a` with `app NotIn [a]`): a connection from or to it can never happen.
   */
  get selectsNothing(): boolean {
    return this._selectsNothing(() => new Identity(this.podPeer().labels, 'default'));
  }

  /**
   * @internal `selectsNothing`, given the identity of this end's `_flowPeer` (asked for only when
   * it is needed; an engine already interns it).
   */
  _selectsNothing(identity: () => LabelIndex): boolean {
    if (this.spec.kind !== 'pods' || this.workload) return false;
    const labels = identity();
    return !parseLabelSelector(this.selector!._render('selector')).every((r) =>
      requirementMatches(r, labels),
    );
  }

  /** @internal The named container ports of the pods (workloads only). */
  get _namedPorts(): NamedPort[] | undefined {
    return this.workload ? workloadNamedPorts(this.workload) : undefined;
  }

  /** The end as TypeScript with this library's vocabulary. */
  typescript(): string {
    switch (this.spec.kind) {
      case 'pods':
        return tsSelector(this.selector!);
      case 'entity':
        return tsEntity(this.spec.entity.name);
      case 'fqdn':
        return this.spec.fqdn.toString();
      case 'cidr':
        return `ConnectionEnd.cidr(${JSON.stringify(this.spec.cidr)})`;
    }
  }

  private withDefaultNamespace(namespace: string | undefined): ConnectionEnd {
    if (this.spec.kind !== 'pods' || !namespace || this.spec.defaultNamespace) return this;
    return new ConnectionEnd(Object.assign({}, this.spec, { defaultNamespace: namespace }));
  }

  private exampleFqdn(): string {
    return (this.spec as { fqdn: Fqdn }).fqdn._exampleName;
  }

  private podPeer(): FlowPeer {
    const selector = this.selector!;
    const namespace = selector.namespace!;
    const labels = new Set<string>([
      `k8s:${NAMESPACE_KEY}=${namespace}`,
      `k8s:${NAMESPACE_LABELS_PREFIX}${NAMESPACE_NAME_LABEL}=${namespace}`,
    ]);
    const workload = this.workload;
    if (workload) {
      // The identity Cilium gives the workload's pods (label filter, service account), as the matrix does.
      const read = synthesizedWorkload(workload);
      const identity = podIdentityLabels({
        namespace,
        podLabels: read.podLabels,
        serviceAccount: read.serviceAccount,
      });
      return {
        labels: [...new Set(identity.map(formatLabel))].sort(),
        namedPorts: workloadNamedPorts(workload),
      };
    }
    // A pod the selector selects: its labels, then each expression made true (the first value of
    // `In`, any value for `Exists`, another value or none for `NotIn`, none for `DoesNotExist`).
    const values = new Map<string, string>();
    const keyOf = (key: string) => (key.includes(':') ? key : `k8s:${key}`);
    for (const [k, v] of Object.entries(selector.matchLabels)) values.set(keyOf(k), v);
    for (const e of selector.matchExpressions) {
      const key = keyOf(e.key);
      const current = values.get(key);
      const list = [...(e.values ?? [])].sort();
      if (e.operator === 'In' && (current === undefined || !list.includes(current)) && list.length)
        values.set(key, list[0]);
      if (e.operator === 'Exists' && current === undefined) values.set(key, 'x');
      if (e.operator === 'NotIn' && current !== undefined && list.includes(current)) values.delete(key);
      if (e.operator === 'DoesNotExist') values.delete(key);
    }
    for (const [k, v] of values) {
      if (k.endsWith(`:${NAMESPACE_KEY}`)) continue;
      labels.add(`${k}=${v}`);
    }
    return { labels: [...labels].sort() };
  }
}

/** What connection props accept for an end. */
export type ConnectionEndLike = ConnectionEnd | PodsSelection | Entity | Fqdn;

type EndSpec =
  | { readonly kind: 'pods'; readonly pods: PodsSelection; readonly defaultNamespace?: string }
  | { readonly kind: 'entity'; readonly entity: Entity }
  | { readonly kind: 'fqdn'; readonly fqdn: Fqdn }
  | { readonly kind: 'cidr'; readonly cidr: string };

function workloadNamedPorts(workload: IConstruct): NamedPort[] {
  return namedContainerPorts(synthesizedWorkload(workload)) as NamedPort[];
}
