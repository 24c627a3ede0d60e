import { AllowLocalhostMode, PolicyEnforcementModeValue } from '../cilium/agent-settings';
/**
 * The evaluator's data model. Shared by the engine, the CLI, the Hubble replay, the jest
 * matchers and the conformance vectors; it knows nothing of cdk8s.
 */

/** One end of a flow, as Hubble reports it. */
export interface FlowPeer {
  /**
   * Identity labels, `source:key=value` (`k8s:app=blog`, `k8s:io.kubernetes.pod.namespace=blog`,
   * `reserved:host`, `reserved:world`, `cidr:1.2.3.4/32` ...). Only identity-relevant labels matter;
   * labels Cilium filters out of identities are ignored.
   */
  readonly labels: readonly string[];
  /** IP address (v4 or v6), used for CIDR rules on world peers. */
  readonly ip?: string;
  /** DNS names the agent associated with the IP (Hubble's `destination_names`), for `toFQDNs`. */
  readonly dnsNames?: readonly string[];
  /**
   * Whether this end is a Cilium-managed endpoint that enforces policy.
   * @default derived: pods (a `k8s:io.kubernetes.pod.namespace` label) and the `health`,
   * `ingress` and `init` endpoints enforce; host, remote-node, world, unmanaged and CIDR peers do not
   */
  readonly managed?: boolean;
  /** Named container ports of this endpoint (`http` -> 8080/TCP), for named-port resolution. */
  readonly namedPorts?: readonly NamedPort[];
  /** Policy audit mode for this endpoint, overriding the agent option. */
  readonly auditMode?: boolean;
}

export interface NamedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: L4Protocol;
}

export type L4Protocol = 'TCP' | 'UDP' | 'SCTP';
export type FlowProtocol = L4Protocol | 'ICMPv4' | 'ICMPv6' | 'VRRP' | 'IGMP';

export interface Flow {
  readonly source: FlowPeer;
  readonly destination: FlowPeer;
  readonly protocol: FlowProtocol;
  /** Destination port (after service translation: the targetPort). Absent for ICMP. */
  readonly port?: number;
  /** ICMP type, for ICMP flows. */
  readonly icmpType?: number;
}

export interface EngineOptions {
  /** Helm `policyEnforcementMode`. @default 'default' */
  readonly policyEnforcementMode?: PolicyEnforcementModeValue;
  /** Agent `allow-localhost`; Kubernetes resolves `auto` to `always`. @default 'always' */
  readonly allowLocalhost?: AllowLocalhostMode;
  /** Helm `policyAuditMode`: policy drops become AUDIT. @default false */
  readonly policyAuditMode?: boolean;
  /** Agent `enable-non-default-deny-policies`. @default true */
  readonly enableNonDefaultDenyPolicies?: boolean;
  /** Cluster name for `cluster` entity / `policyDefaultLocalCluster`. @default 'default' */
  readonly clusterName?: string;
  /** Helm `policyCIDRMatchMode` contains `nodes`: CIDR rules also match node IPs. @default false */
  readonly cidrMatchNodes?: boolean;
}

export type { Direction } from '../cilium/direction';

export type DirectionDecision =
  | 'NOT_ENFORCED' // no selecting rule for this direction (or the end is not a managed endpoint)
  | 'ALLOWED' // an allow matched (or a synthesized allow: localhost, allow-all of non-default-deny rules)
  | 'DENIED' // an explicit deny rule matched
  | 'DEFAULT_DENY' // default-deny and nothing allowed it
  | 'UNDECIDED'; // the answer depends on data not available offline

export type Verdict = 'FORWARDED' | 'DROPPED' | 'AUDIT' | 'UNDECIDED';

/** A rule that took part in a decision. */
export interface RuleRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Spec path of the rule element, e.g. `spec.ingress[0]` or `specs[1].egressDeny[0]`. */
  readonly path: string;
}

export interface DirectionResult {
  readonly decision: DirectionDecision;
  /**
   * The deciding rules: for ALLOWED the matching allows, for DENIED the matching denies,
   * for DEFAULT_DENY the rules that made the direction default-deny.
   */
  readonly rules: readonly RuleRef[];
  /** The drop is reported as AUDIT because this end runs in audit mode. */
  readonly audited?: boolean;
  /** Allowed at L3/L4 but L7 rules (HTTP/DNS) of a matching allow still apply. */
  readonly l7?: boolean;
  /** Human-readable reasons: why UNDECIDED, synthesized rules, caveats. */
  readonly notes: readonly string[];
}

export interface FlowResult {
  readonly verdict: Verdict;
  readonly egress: DirectionResult;
  readonly ingress: DirectionResult;
}
