import { IConstruct } from 'constructs';
import { Entity } from '../policy/entity';
import { invalidProp } from '../policy/errors';
import { Fqdn } from '../policy/fqdn';
import { IPeer, Peer } from '../policy/peer';
import { Port } from '../policy/port';
import { hasProbes } from '../policy/probes';
import { EgressRule, IngressRule } from '../policy/rule';
import { EndpointSelector } from '../policy/selector';

/** Pods given as a selector or as a workload construct (a cdk8s-plus Deployment, an ApiObject ...). */
export type PodsSelection = EndpointSelector | IConstruct;

/** The namespace of a pattern: the prop, else the workload's own; they must agree. */
export function resolveNamespace(
  field: string,
  namespace: string | undefined,
  pods: EndpointSelector,
): string {
  if (namespace && pods.namespace && namespace !== pods.namespace) {
    invalidProp(
      field,
      pods.namespace,
      `the pods are in namespace ${pods.namespace} but the policy is for ${namespace}`,
      "create the policy in the pods' namespace",
    );
  }
  const resolved = namespace ?? pods.namespace;
  if (!resolved)
    invalidProp('namespace', undefined, 'no namespace given and the pods name none', 'set `namespace`');
  return resolved;
}

/** A subject selector must not be `{}` by accident: it would select every pod of the namespace. */
export function requireNonEmptySelector(field: string, selector: EndpointSelector): void {
  if (Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0) {
    invalidProp(
      field,
      {},
      'an empty selector would select every pod of the namespace',
      'select the app\'s pods by label, e.g. EndpointSelector.labels({ app: "blog" })',
    );
  }
}

export interface HostAccessOptions {
  /** Allow the local node (kubelet probes) and cilium-health. @default true */
  readonly allowHost?: boolean;
}

/**
 * `fromEntities: [host, health]`. Forced on when the workload has probes: kubelet probes come
 * from the host, and a deny or `allow-localhost=policy` would otherwise break them.
 */
export function hostAndHealthRule(
  field: string,
  allowHost: boolean | undefined,
  pods: PodsSelection,
): IngressRule | undefined {
  if (allowHost === false && hasProbes(pods)) {
    invalidProp(
      field,
      false,
      'the workload has probes, which kubelet sends from the host',
      'keep `allowHost` (the default), or remove the probes',
    );
  }
  return allowHost === false
    ? undefined
    : new IngressRule({ from: Peer.entities(Entity.HOST, Entity.HEALTH) });
}

/** Which DNS queries the DNS companion rule lets through Cilium's DNS proxy. */
export class DnsQueries {
  /**
   * Every query (`matchPattern: "*"`), as in Cilium's own FQDN example. Recommended: a narrower
   * rule answers REFUSED to everything else, including cluster-local names and search-path expansions.
   */
  static all(): DnsQueries {
    return new DnsQueries([Fqdn.pattern('*')]);
  }

  /**
   * Only the given names, plus everything under the cluster domain (service names and
   * search-path expansions). Other queries are answered with REFUSED. FqdnEgress always adds
   * its own `fqdns`, so the proxy never refuses a name the policy allows.
   */
  static only(names: Fqdn[] = [], clusterDomain = 'cluster.local'): DnsQueries {
    return new DnsQueries([...names, Fqdn.pattern(`**.${clusterDomain}`)], false);
  }

  private constructor(
    /** The names and patterns the DNS rule lets through. */
    readonly patterns: Fqdn[],
    private readonly matchesAll = true,
  ) {}

  /** These queries plus `names` (nothing to add when every query is allowed). */
  withNames(names: Fqdn[]): DnsQueries {
    return this.matchesAll ? this : new DnsQueries([...this.patterns, ...names], false);
  }
}

/** The cluster DNS and the DNS rule the patterns write for it. */
export interface DnsRuleOptions {
  /** The cluster DNS pods. @default Peer.kubeDns() (`k8s-app: kube-dns` in kube-system) */
  readonly dnsServer?: IPeer;
  /** The DNS pods' container port. @default Port.any(53) */
  readonly dnsPort?: Port;
  /** Queries allowed through the DNS proxy. @default DnsQueries.all() */
  readonly dnsQueries?: DnsQueries;
}

/** Egress to the cluster DNS with `rules: dns`, so Cilium's DNS proxy sees the answers (docs/cilium-semantics.md, "The DNS rule"). */
export function dnsEgressRule(options: DnsRuleOptions = {}): EgressRule {
  const queries = options.dnsQueries ?? DnsQueries.all();
  return new EgressRule({
    to: options.dnsServer ?? Peer.kubeDns(),
    ports: [options.dnsPort ?? Port.any(53)],
    dns: queries.patterns,
  });
}

/**
 * Checks ports at the pattern's own field (`ports[1]`), before they reach the policy. An empty
 * list is always refused: in Cilium a rule without ports allows every port and protocol.
 */
export function validatePorts(field: string, ports: Port[] | undefined, required = true): void {
  if (ports === undefined) {
    if (required)
      invalidProp(field, undefined, 'no ports given', 'list the container ports, e.g. [Port.tcp(80)]');
    return;
  }
  if (!Array.isArray(ports) || ports.length === 0) {
    invalidProp(
      field,
      ports,
      'an empty port list would allow every port and protocol',
      required
        ? 'list the container ports, e.g. [Port.tcp(80)]'
        : 'list the ports, e.g. [Port.tcp(443)], or leave `ports` out for the default',
    );
  }
  ports.forEach((p, i) => {
    if (!(p instanceof Port))
      invalidProp(
        `${field}[${i}]`,
        p,
        'not a Port',
        'use Port.tcp(80), Port.udp(53), Port.fromService(service) ...',
      );
    p._render(`${field}[${i}]`);
  });
}

/**
 * Refuses props that are missing where required (a JavaScript caller, or `undefined` slipping
 * through a variable), so the error names the construct path and the field instead of a TypeError.
 */
export function requireProps<T extends object>(
  props: T | undefined,
  required: ReadonlyArray<keyof T & string>,
): asserts props is T {
  if (props === undefined || props === null || typeof props !== 'object') {
    invalidProp(
      'props',
      props,
      'the construct needs its props',
      `pass an object with ${required.join(', ')}`,
    );
  }
  for (const key of required) {
    const value = props[key];
    if (value === undefined || value === null)
      invalidProp(key, value, 'a required prop is missing', `set \`${key}\``);
  }
}
