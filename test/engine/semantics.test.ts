/**
 * Table-driven cases for the evaluator. Each case name starts with the heading of the section of
 * docs/cilium-semantics.md it encodes.
 */
import { KubeManifest } from '../../lib/manifest/types';
import { DirectionDecision, EngineOptions, Flow, FlowPeer, Verdict } from '../../lib/engine/types';
import { PolicyEngine } from '../../lib/engine/engine';
import { parsePeer } from '../../lib/engine/peer-syntax';
import { ccnp, cnp, flow, fromNs, L4, refs, toNs } from './helpers';

interface Case {
  readonly policies: KubeManifest[];
  readonly flow: Flow;
  readonly options?: EngineOptions;
  readonly verdict: Verdict;
  readonly egress?: DirectionDecision;
  readonly ingress?: DirectionDecision;
  /** Expected deciding rules (`CNP ns/name path`). */
  readonly egressRules?: string[];
  readonly ingressRules?: string[];
  readonly l7?: boolean;
  /** Some note of either side matches. */
  readonly note?: RegExp;
}

const blogIngress = (ingress: unknown[]) =>
  cnp('blog', 'blog', { endpointSelector: { matchLabels: { app: 'blog' } }, ingress });
const podEgress = (egress: unknown[], extra: Record<string, unknown> = {}) =>
  cnp('app', 'out', { endpointSelector: { matchLabels: { app: 'a' } }, egress, ...extra });
const A = 'app/app=a';
const BLOG = 'blog/app=blog';
const peer = (labels: string[], extra: Partial<FlowPeer> = {}): FlowPeer => ({ labels, ...extra });

const cases: Array<[string, Case]> = [
  // --- 0 / 1.1: both ends, enforcement modes ---
  [
    'The model in brief: both ends decide: egress allowed at the source, ingress default-deny at the destination',
    {
      policies: [podEgress([toNs('blog')]), blogIngress([fromNs('traefik')])],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'ALLOWED',
      ingress: 'DEFAULT_DENY',
      egressRules: ['CNP app/out spec.egress[0]'],
      ingressRules: ['CNP blog/blog spec.ingress'],
    },
  ],
  [
    'The model in brief: only managed endpoints enforce: a world source has no egress side',
    {
      policies: [blogIngress([{ fromEntities: ['world'] }])],
      flow: flow('cidr:8.8.8.8', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      egress: 'NOT_ENFORCED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'The model in brief: FlowPeer.managed=false turns a pod into a non-enforcing peer',
    {
      policies: [podEgress([{}])],
      flow: { ...flow(A, BLOG, '80/TCP'), source: { ...parsePeer(A), managed: false } },
      verdict: 'FORWARDED',
      egress: 'NOT_ENFORCED',
    },
  ],
  [
    'Enforcement modes: default mode: an endpoint no rule selects is not enforced',
    {
      policies: [blogIngress([fromNs('blog')])],
      flow: flow(A, 'other/app=x', '80/TCP'),
      verdict: 'FORWARDED',
      egress: 'NOT_ENFORCED',
      ingress: 'NOT_ENFORCED',
    },
  ],
  [
    'Enforcement modes: always mode: an unselected pod is default-deny in both directions',
    {
      policies: [],
      options: { policyEnforcementMode: 'always' },
      flow: flow(A, 'other/app=x', '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
      ingress: 'DEFAULT_DENY',
      note: /policyEnforcementMode is always/,
    },
  ],
  [
    'Enforcement modes: never mode: nothing is enforced, not even egress: [{}]',
    {
      policies: [podEgress([{}])],
      options: { policyEnforcementMode: 'never' },
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      egress: 'NOT_ENFORCED',
      ingress: 'NOT_ENFORCED',
    },
  ],
  [
    'Enforcement modes: the host endpoint does not enforce without the host firewall',
    {
      policies: [ccnp('all', { endpointSelector: {}, egress: [{}] })],
      flow: flow('entity:host', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      egress: 'NOT_ENFORCED',
      note: /host firewall/,
    },
  ],
  // --- 1.2 default deny ---
  [
    'Default deny: default-deny is per direction: an ingress policy leaves egress unenforced',
    {
      policies: [
        cnp('app', 'in', { endpointSelector: { matchLabels: { app: 'a' } }, ingress: [fromNs('app')] }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      egress: 'NOT_ENFORCED',
    },
  ],
  [
    'Default deny: deny-only policy default-denies (#14992)',
    {
      policies: [
        podEgress([], { egressDeny: [{ toPorts: [{ ports: [{ port: '25', protocol: 'TCP' }] }] }] }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
      egressRules: ['CNP app/out spec.egressDeny'],
    },
  ],
  [
    'Default deny: enableDefaultDeny false on a deny-only policy: other traffic is allowed',
    {
      policies: [podEgress([], { egressDeny: [L4('25')], enableDefaultDeny: { egress: false } })],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
      note: /allow-all/,
    },
  ],
  [
    'Default deny: enableDefaultDeny false: the deny still applies (1.5)',
    {
      policies: [podEgress([], { egressDeny: [L4('25')], enableDefaultDeny: { egress: false } })],
      flow: flow(A, BLOG, '25/TCP'),
      verdict: 'DROPPED',
      egress: 'DENIED',
      egressRules: ['CNP app/out spec.egressDeny[0]'],
    },
  ],
  [
    "Default deny: enableDefaultDeny false cannot override another policy's default-deny",
    {
      policies: [
        podEgress([toNs('x')], { enableDefaultDeny: { egress: false } }),
        cnp('app', 'strict', { endpointSelector: {}, egress: [toNs('y')] }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
      egressRules: ['CNP app/strict spec.egress'],
    },
  ],
  [
    'Default deny: enableNonDefaultDenyPolicies=false forces default-deny',
    {
      policies: [podEgress([], { egressDeny: [L4('25')], enableDefaultDeny: { egress: false } })],
      options: { enableNonDefaultDenyPolicies: false },
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Default deny: egress: [{}] default-denies and allows nothing',
    {
      policies: [podEgress([{}])],
      flow: flow(A, 'app/app=a', '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
      egressRules: ['CNP app/out spec.egress'],
    },
  ],
  [
    'Default deny: ingress: [] does not create default-deny',
    {
      policies: [cnp('blog', 'b', { endpointSelector: {}, ingress: [], egress: [toNs('blog')] })],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'NOT_ENFORCED',
    },
  ],
  [
    'Default deny: reserved:init is always default-deny, even with no rules',
    {
      policies: [],
      flow: flow('entity:init', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
      note: /reserved:init/,
    },
  ],
  // --- 1.4 L3/L4 combination ---
  [
    'How L3 and L4 combine: L3-only rule allows every port and protocol, ICMP included',
    {
      policies: [blogIngress([fromNs('app')])],
      flow: flow(A, BLOG, 'icmp'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'How L3 and L4 combine: L3-only rule allows UDP too',
    {
      policies: [blogIngress([fromNs('app')])],
      flow: flow(A, BLOG, '5353/UDP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'How L3 and L4 combine: port-only rule allows any peer, world included',
    {
      policies: [blogIngress([L4('80')])],
      flow: flow('cidr:203.0.113.9', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'How L3 and L4 combine: L3 AND L4 within one element',
    {
      policies: [blogIngress([{ ...fromNs('app'), ...L4('80') }])],
      flow: flow(A, BLOG, '81/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'How L3 and L4 combine: separate elements are ORed',
    {
      policies: [blogIngress([fromNs('x'), { ...fromNs('app'), ...L4('81') }])],
      flow: flow(A, BLOG, '81/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
      ingressRules: ['CNP blog/blog spec.ingress[1]'],
    },
  ],
  [
    'How L3 and L4 combine: an empty element {} matches nothing',
    {
      policies: [blogIngress([{}])],
      flow: flow('blog/app=other', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'How L3 and L4 combine: explicit empty fromEndpoints selects nothing (not all)',
    {
      policies: [blogIngress([{ fromEndpoints: [], ...L4('80') }])],
      flow: flow('blog/app=other', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'How L3 and L4 combine: explicit empty fromEntities selects nothing',
    {
      policies: [blogIngress([{ fromEntities: [], ...L4('80') }])],
      flow: flow('cidr:1.1.1.1', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'How L3 and L4 combine: protocol ANY expands to TCP, UDP and SCTP',
    {
      policies: [blogIngress([{ toPorts: [{ ports: [{ port: '80' }] }] }])],
      flow: flow(A, BLOG, '80/SCTP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'How L3 and L4 combine: protocol ANY does not include ICMP',
    {
      policies: [blogIngress([{ toPorts: [{ ports: [{ port: '0', protocol: 'ANY' }] }] }])],
      flow: flow(A, BLOG, 'icmp'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'How L3 and L4 combine: a toPorts entry without ports allows nothing',
    {
      policies: [blogIngress([{ ...fromNs('app'), toPorts: [{}] }])],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  // --- 1.5 deny ---
  [
    'Deny rules: an L3-only deny beats a more specific port allow',
    {
      policies: [
        blogIngress([{ ...fromNs('app'), ...L4('80') }]),
        cnp('blog', 'deny', { endpointSelector: {}, ingressDeny: [fromNs('app')] }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DENIED',
      ingressRules: ['CNP blog/deny spec.ingressDeny[0]'],
    },
  ],
  [
    'Deny rules: a CCNP deny beats a CNP allow',
    {
      policies: [
        blogIngress([fromNs('app')]),
        ccnp('no-app', {
          endpointSelector: {},
          ingressDeny: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'app' } }] }],
        }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DENIED',
      ingressRules: ['CCNP no-app spec.ingressDeny[0]'],
    },
  ],
  [
    'Deny rules: deny that does not match leaves the allow',
    {
      policies: [
        blogIngress([fromNs('app')]),
        cnp('blog', 'deny', { endpointSelector: {}, ingressDeny: [L4('22')] }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  // --- 1.6 selectors ---
  [
    'Selectors: CNP peer without a namespace key selects only the policy namespace',
    {
      policies: [blogIngress([{ fromEndpoints: [{ matchLabels: { app: 'a' } }] }])],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: CNP peer without a namespace key matches in its own namespace',
    {
      policies: [blogIngress([{ fromEndpoints: [{ matchLabels: { app: 'a' } }] }])],
      flow: flow('blog/app=a', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: CNP peer fromEndpoints [{}] means the policy namespace',
    {
      policies: [blogIngress([{ fromEndpoints: [{}] }])],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: an unprefixed namespace key (any:) counts as naming the namespace',
    {
      policies: [
        blogIngress([{ fromEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'app' } }] }]),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: a namespace Exists expression opens a CNP peer to all namespaces',
    {
      policies: [
        blogIngress([
          {
            fromEndpoints: [
              { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] },
            ],
          },
        ]),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: a namespace NotIn expression opens all but some namespaces',
    {
      policies: [
        blogIngress([
          {
            fromEndpoints: [
              {
                matchExpressions: [
                  { key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['app'] },
                ],
              },
            ],
          },
        ]),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: a CNP peer using namespace labels selects pods of other namespaces',
    {
      policies: [
        blogIngress([
          {
            fromEndpoints: [
              { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'app' } },
            ],
          },
        ]),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: CNP subject: a k8s: namespace key in matchLabels is overwritten by the policy namespace',
    {
      policies: [
        cnp('blog', 'b', {
          endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other' } },
          ingress: [{}],
        }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: CNP subject: an unprefixed namespace key is ANDed and selects nothing',
    {
      policies: [
        cnp('blog', 'b', {
          endpointSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'other' } },
          ingress: [{}],
        }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'NOT_ENFORCED',
    },
  ],
  [
    'Selectors: CNP subject: matchExpressions In [other namespace] is ANDed and selects nothing',
    {
      policies: [
        cnp('blog', 'b', {
          endpointSelector: {
            matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: ['other'] }],
          },
          ingress: [{}],
        }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'NOT_ENFORCED',
    },
  ],
  [
    'Selectors: CCNP peer {} means every pod in every namespace',
    {
      policies: [
        ccnp('c', { endpointSelector: { matchLabels: { app: 'blog' } }, ingress: [{ fromEndpoints: [{}] }] }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: CCNP peer {} does not include the host... (allow-localhost aside) nor world',
    {
      policies: [
        ccnp('c', { endpointSelector: { matchLabels: { app: 'blog' } }, ingress: [{ fromEndpoints: [{}] }] }),
      ],
      flow: flow('cidr:1.2.3.4', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: CCNP peer {} does not include remote-node',
    {
      policies: [
        ccnp('c', { endpointSelector: { matchLabels: { app: 'blog' } }, ingress: [{ fromEndpoints: [{}] }] }),
      ],
      flow: flow('entity:remote-node', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: CCNP endpointSelector {} also selects the health endpoint (#14871)',
    {
      policies: [ccnp('deny-all', { endpointSelector: {}, ingress: [{}] })],
      flow: flow('entity:remote-node', 'entity:health', '4240/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: CCNP subject selecting reserved:init: peers get no namespace requirement',
    {
      policies: [
        ccnp('init', {
          endpointSelector: { matchLabels: { 'reserved:init': '' } },
          egress: [{ toEndpoints: [{ matchLabels: { app: 'x' } }] }],
        }),
      ],
      flow: flow('entity:init', peer(['k8s:app=x', 'k8s:io.cilium.k8s.policy.cluster=default']), '80/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Selectors: CCNP peers otherwise require a namespace label',
    {
      policies: [
        ccnp('c', {
          endpointSelector: { matchLabels: { app: 'a' } },
          egress: [{ toEndpoints: [{ matchLabels: { app: 'x' } }] }],
        }),
      ],
      flow: flow(A, peer(['k8s:app=x', 'k8s:io.cilium.k8s.policy.cluster=default']), '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: a peer selector with a reserved: key is not namespace-scoped',
    {
      policies: [blogIngress([{ fromEndpoints: [{ matchLabels: { 'reserved:remote-node': '' } }] }])],
      flow: flow('entity:remote-node', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: the key "reserved" without a colon matches nothing (#14871)',
    {
      policies: [blogIngress([{ fromEndpoints: [{ matchLabels: { reserved: 'health' } }] }])],
      flow: flow('entity:health', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: a k8s: key does not match a label from another source',
    {
      policies: [
        blogIngress([
          { fromEndpoints: [{ matchLabels: { 'k8s:role': 'x', 'k8s:io.kubernetes.pod.namespace': 'app' } }] },
        ]),
      ],
      flow: flow(peer(['k8s:io.kubernetes.pod.namespace=app', 'container:role=x']), BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: an unprefixed key (any:) matches a label from any source',
    {
      policies: [
        blogIngress([
          { fromEndpoints: [{ matchLabels: { role: 'x', 'k8s:io.kubernetes.pod.namespace': 'app' } }] },
        ]),
      ],
      flow: flow(peer(['k8s:io.kubernetes.pod.namespace=app', 'container:role=x']), BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: NotIn matches when the label is absent',
    {
      policies: [
        blogIngress([
          { fromEndpoints: [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }] },
        ]),
      ],
      flow: flow('blog/app=x', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: DoesNotExist matches when the label is absent',
    {
      policies: [
        blogIngress([{ fromEndpoints: [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }] }]),
      ],
      flow: flow('blog/tier=web', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: In and Exists need the label',
    {
      policies: [
        blogIngress([
          {
            fromEndpoints: [
              {
                matchExpressions: [
                  { key: 'tier', operator: 'In', values: ['web', 'api'] },
                  { key: 'team', operator: 'Exists' },
                ],
              },
            ],
          },
        ]),
      ],
      flow: flow('blog/tier=api,team=x', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: selectors on identity-invisible labels never match (pod-template-hash)',
    {
      policies: [blogIngress([{ fromEndpoints: [{ matchLabels: { 'pod-template-hash': 'abc' } }] }])],
      flow: flow('blog/pod-template-hash=abc', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: selectors on identity-invisible labels never match (statefulset pod name)',
    {
      policies: [
        blogIngress([{ fromEndpoints: [{ matchLabels: { 'statefulset.kubernetes.io/pod-name': 'db-0' } }] }]),
      ],
      flow: flow('blog/statefulset.kubernetes.io/pod-name=db-0', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Labels outside the identity: the identity label filter also drops etcd_node',
    {
      policies: [blogIngress([{ fromEndpoints: [{ matchLabels: { etcd_node: 'x' } }] }])],
      flow: flow('blog/etcd_node=x', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: app.kubernetes.io labels stay in the identity',
    {
      policies: [blogIngress([{ fromEndpoints: [{ matchLabels: { 'app.kubernetes.io/name': 'x' } }] }])],
      flow: flow('blog/app.kubernetes.io/name=x', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Selectors: policyDefaultLocalCluster: a pod of another cluster is not matched',
    {
      policies: [blogIngress([fromNs('app')])],
      flow: flow(
        peer(['k8s:io.kubernetes.pod.namespace=app', 'k8s:io.cilium.k8s.policy.cluster=east']),
        BLOG,
        '80/TCP',
      ),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Selectors: naming the cluster key lifts the local-cluster scoping',
    {
      policies: [blogIngress([fromNs('app', { 'io.cilium.k8s.policy.cluster': 'east' })])],
      flow: flow(
        peer(['k8s:io.kubernetes.pod.namespace=app', 'k8s:io.cilium.k8s.policy.cluster=east']),
        BLOG,
        '80/TCP',
      ),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  // --- 2 entities ---
  [
    'Entities: entity host matches reserved:host',
    {
      policies: [podEgress([{ toEntities: ['host'] }])],
      flow: flow(A, 'entity:host', '10250/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: entity host does not match a remote node',
    {
      policies: [podEgress([{ toEntities: ['host'] }])],
      flow: flow(A, 'entity:remote-node', '10250/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Entities: entity kube-apiserver matches identity 7',
    {
      policies: [podEgress([{ toEntities: ['kube-apiserver'] }])],
      flow: flow(A, 'entity:kube-apiserver', '6443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: identity 7 also carries remote-node, so remote-node covers a remote apiserver',
    {
      policies: [podEgress([{ toEntities: ['remote-node'] }])],
      flow: flow(A, 'entity:kube-apiserver', '6443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: an apiserver on the local node is host + kube-apiserver',
    {
      policies: [podEgress([{ toEntities: ['host'] }])],
      flow: flow(A, 'entity:kube-apiserver,host', '6443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: entity world matches CIDR peers and world-ipv6',
    {
      policies: [podEgress([{ toEntities: ['world'] }])],
      flow: flow(A, peer(['reserved:world-ipv6'], { ip: '2001:db8::1' }), '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: entity world does not match pods',
    {
      policies: [podEgress([{ toEntities: ['world'] }])],
      flow: flow(A, BLOG, '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Entities: entity cluster matches pods, host and remote-node',
    {
      policies: [podEgress([{ toEntities: ['cluster'] }])],
      flow: flow(A, 'entity:remote-node', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: entity cluster matches local-cluster pods',
    {
      policies: [podEgress([{ toEntities: ['cluster'] }])],
      flow: flow(A, BLOG, '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: entity cluster does not match world',
    {
      policies: [podEgress([{ toEntities: ['cluster'] }])],
      flow: flow(A, 'cidr:1.1.1.1', '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Entities: entity cluster covers init, ingress and unmanaged',
    {
      policies: [blogIngress([{ fromEntities: ['cluster'] }])],
      flow: flow('entity:unmanaged', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Entities: entity cluster matches an external apiserver through its kube-apiserver label',
    {
      policies: [podEgress([{ toEntities: ['cluster'] }])],
      flow: flow(A, peer(['reserved:kube-apiserver', 'reserved:world'], { ip: '52.1.2.3' }), '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: a world deny also drops an external apiserver',
    {
      policies: [
        podEgress([{ toEntities: ['kube-apiserver'] }], { egressDeny: [{ toEntities: ['world'] }] }),
      ],
      flow: flow(A, peer(['reserved:kube-apiserver', 'reserved:world'], { ip: '52.1.2.3' }), '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DENIED',
    },
  ],
  [
    'Entities: entity all matches world',
    {
      policies: [podEgress([{ toEntities: ['all'] }])],
      flow: flow(A, 'cidr:1.1.1.1', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Entities: entity none matches nothing but the rule still default-denies',
    {
      policies: [podEgress([{ toEntities: ['none'] }])],
      flow: flow(A, BLOG, '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Entities: entity health and ingress are selectable',
    {
      policies: [blogIngress([{ fromEntities: ['health', 'ingress'] }])],
      flow: flow('entity:ingress', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Entities: entity init matches reserved:init (from_init.yaml)',
    {
      policies: [blogIngress([{ fromEntities: ['init'] }])],
      flow: flow('entity:init', BLOG, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
      ingress: 'ALLOWED',
    },
  ],
  // --- 1.7 CIDR ---
  [
    'CIDR and FQDN peers: toCIDR matches a world address',
    {
      policies: [podEgress([{ toCIDR: ['20.1.1.1/32'] }])],
      flow: flow(A, 'cidr:20.1.1.1', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'CIDR and FQDN peers: toCIDRSet except excludes an inner range',
    {
      policies: [podEgress([{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }] }])],
      flow: flow(A, 'cidr:10.96.0.10', '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'CIDR and FQDN peers: toCIDRSet matches outside the exception',
    {
      policies: [podEgress([{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }] }])],
      flow: flow(A, 'cidr:10.1.2.3', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'CIDR and FQDN peers: IPv6 prefixes',
    {
      policies: [podEgress([{ toCIDR: ['2001:db8::/32'] }])],
      flow: flow(A, 'cidr:2001:db8:1::5', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'CIDR and FQDN peers: an IPv4 prefix never matches an IPv6 address',
    {
      policies: [podEgress([{ toCIDR: ['0.0.0.0/0'] }])],
      flow: flow(A, 'cidr:2001:db8::5', '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'CIDR and FQDN peers: containment: selector 10.0.0.0/8 matches identity cidr:10.1.2.3/32',
    {
      policies: [podEgress([{ toCIDR: ['10.0.0.0/8'] }])],
      flow: flow(A, peer(['cidr:10.1.2.3/32', 'reserved:world']), '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'CIDR and FQDN peers: CIDR rules do not match pods, even inside the range',
    {
      policies: [podEgress([{ toCIDR: ['10.0.0.0/8'] }])],
      flow: flow(A, { ...parsePeer(BLOG), ip: '10.0.1.5' }, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'CIDR and FQDN peers: CIDR rules do not match node IPs by default',
    {
      policies: [podEgress([{ toCIDR: ['192.168.1.0/24'] }])],
      flow: flow(A, peer(['reserved:remote-node'], { ip: '192.168.1.10' }), '6443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'CIDR and FQDN peers: policyCIDRMatchMode nodes: CIDR rules match node IPs',
    {
      policies: [podEgress([{ toCIDR: ['192.168.1.0/24'] }])],
      options: { cidrMatchNodes: true },
      flow: flow(A, peer(['reserved:remote-node'], { ip: '192.168.1.10' }), '6443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'CIDR and FQDN peers: toCIDR 0.0.0.0/0 matches a world peer whose address is unknown',
    {
      policies: [podEgress([{ toCIDR: ['0.0.0.0/0'] }])],
      flow: flow(A, 'entity:world', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'CIDR and FQDN peers: a world peer without an address against a narrower CIDR is undecided',
    {
      policies: [podEgress([{ toCIDR: ['20.0.0.0/8'] }])],
      flow: flow(A, 'entity:world', '443/TCP'),
      verdict: 'UNDECIDED',
      egress: 'UNDECIDED',
      note: /address is unknown/,
    },
  ],
  [
    'CIDR and FQDN peers: cidrGroupRef is undecided for world peers',
    {
      policies: [podEgress([{ toCIDRSet: [{ cidrGroupRef: 'corp' }] }])],
      flow: flow(A, 'cidr:1.2.3.4', '443/TCP'),
      verdict: 'UNDECIDED',
      egress: 'UNDECIDED',
      note: /CiliumCIDRGroup/,
    },
  ],
  [
    'CIDR and FQDN peers: cidrGroupRef never matches pods',
    {
      policies: [podEgress([{ toCIDRSet: [{ cidrGroupRef: 'corp' }] }])],
      flow: flow(A, BLOG, '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  // --- 3 ports ---
  [
    'Port ranges: endPort makes a range',
    {
      policies: [podEgress([{ toPorts: [{ ports: [{ port: '80', endPort: 444, protocol: 'TCP' }] }] }])],
      flow: flow(A, BLOG, '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Port ranges: endPort range excludes the next port',
    {
      policies: [podEgress([{ toPorts: [{ ports: [{ port: '80', endPort: 444, protocol: 'TCP' }] }] }])],
      flow: flow(A, BLOG, '445/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Port ranges: endPort <= port means the single port',
    {
      policies: [podEgress([{ toPorts: [{ ports: [{ port: '80', endPort: 70, protocol: 'TCP' }] }] }])],
      flow: flow(A, BLOG, '75/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Port numbers and names: port "0" is every port of that protocol',
    {
      policies: [podEgress([{ toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }] }] }])],
      flow: flow(A, BLOG, '31337/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Port numbers and names: port "0" of TCP does not cover UDP',
    {
      policies: [podEgress([{ toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }] }] }])],
      flow: flow(A, BLOG, '53/UDP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Port numbers and names: a leading zero makes the port octal: "010" is 8',
    {
      policies: [podEgress([L4('010')])],
      flow: flow(A, BLOG, '8/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Port numbers and names: "010" is not port 10',
    {
      policies: [podEgress([L4('010')])],
      flow: flow(A, BLOG, '10/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    "Named ports: ingress named port resolves against the subject's own ports",
    {
      policies: [blogIngress([{ ...fromNs('app'), ...L4('http') }])],
      flow: flow(
        A,
        { ...parsePeer(BLOG), namedPorts: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
        '8080/TCP',
      ),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Named ports: named port: a different number does not match',
    {
      policies: [blogIngress([{ ...fromNs('app'), ...L4('http') }])],
      flow: flow(
        A,
        { ...parsePeer(BLOG), namedPorts: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
        '80/TCP',
      ),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Named ports: named port: an unresolvable name allows nothing',
    {
      policies: [blogIngress([{ ...fromNs('app'), ...L4('http') }])],
      flow: flow(A, { ...parsePeer(BLOG), namedPorts: [] }, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Named ports: named port with unknown named ports is undecided (never guess)',
    {
      policies: [blogIngress([{ ...fromNs('app'), ...L4('http') }])],
      flow: flow(A, BLOG, '8080/TCP'),
      verdict: 'UNDECIDED',
      ingress: 'UNDECIDED',
      note: /named port "http"/,
    },
  ],
  [
    "Named ports: egress named port resolves against the destination's ports",
    {
      policies: [podEgress([{ ...toNs('blog'), ...L4('metrics') }])],
      flow: flow(
        A,
        { ...parsePeer(BLOG), namedPorts: [{ name: 'metrics', port: 9090, protocol: 'TCP' }] },
        '9090/TCP',
      ),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Named ports: named ports never apply to world peers',
    {
      policies: [podEgress([L4('https')])],
      flow: flow(A, 'cidr:1.1.1.1', '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Protocol: icmps allows the listed type',
    {
      policies: [podEgress([{ icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }] }])],
      flow: flow(A, BLOG, 'icmp'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Protocol: icmps type names are per family (IPv6 EchoRequest = 128)',
    {
      policies: [podEgress([{ icmps: [{ fields: [{ type: 'EchoRequest', family: 'IPv6' }] }] }])],
      flow: flow(A, BLOG, 'ICMPv6:128'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'Protocol: icmps does not allow another type',
    {
      policies: [podEgress([{ icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }] }])],
      flow: flow(A, BLOG, 'ICMPv4:13'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Protocol: icmps does not allow TCP',
    {
      policies: [podEgress([{ icmps: [{ fields: [{ type: 8 }] }] }])],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'Protocol: VRRP with port "0" is accepted and matches VRRP',
    {
      policies: [podEgress([{ toPorts: [{ ports: [{ port: '0', protocol: 'VRRP' }] }] }])],
      flow: flow(A, BLOG, 'VRRP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  // --- 4 FQDN ---
  [
    'matchName and matchPattern: matchName matches the exact name, case-insensitive, trailing dot',
    {
      policies: [podEgress([{ toFQDNs: [{ matchName: 'API.github.com.' }] }])],
      flow: flow(A, 'fqdn:api.GitHub.com', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'matchName and matchPattern: matchName never matches subdomains',
    {
      policies: [podEgress([{ toFQDNs: [{ matchName: 'github.com' }] }])],
      flow: flow(A, 'fqdn:api.github.com', '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'matchName and matchPattern: *.github.com matches one label',
    {
      policies: [podEgress([{ toFQDNs: [{ matchPattern: '*.github.com' }] }])],
      flow: flow(A, 'fqdn:api.github.com', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'matchName and matchPattern: *.github.com never matches the apex',
    {
      policies: [podEgress([{ toFQDNs: [{ matchPattern: '*.github.com' }] }])],
      flow: flow(A, 'fqdn:github.com', '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'matchName and matchPattern: *.github.com does not cross a dot',
    {
      policies: [podEgress([{ toFQDNs: [{ matchPattern: '*.github.com' }] }])],
      flow: flow(A, 'fqdn:a.b.github.com', '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'matchName and matchPattern: a leading **. matches one or more labels',
    {
      policies: [podEgress([{ toFQDNs: [{ matchPattern: '**.github.com' }] }])],
      flow: flow(A, 'fqdn:a.b.github.com', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'matchName and matchPattern: a leading **. never matches the apex',
    {
      policies: [podEgress([{ toFQDNs: [{ matchPattern: '**.github.com' }] }])],
      flow: flow(A, 'fqdn:github.com', '443/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'matchName and matchPattern: an all-star pattern matches every name',
    {
      policies: [podEgress([{ toFQDNs: [{ matchPattern: '*' }] }])],
      flow: flow(A, 'fqdn:a.b.example.org', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'matchName and matchPattern: *github.com matches github.com itself',
    {
      policies: [podEgress([{ toFQDNs: [{ matchPattern: '*github.com' }] }])],
      flow: flow(A, 'fqdn:github.com', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  [
    'matchName and matchPattern: a world destination with an IP but no names is undecided',
    {
      policies: [podEgress([{ toFQDNs: [{ matchName: 'api.github.com' }] }])],
      flow: flow(A, 'cidr:140.82.112.5', '443/TCP'),
      verdict: 'UNDECIDED',
      egress: 'UNDECIDED',
      note: /no DNS names/,
    },
  ],
  [
    'FQDN rule shape: toFQDNs never matches in-cluster destinations',
    {
      policies: [podEgress([{ toFQDNs: [{ matchPattern: '*' }] }])],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
    },
  ],
  [
    'The DNS rule: an FQDN allow without a DNS L7 rule gets a warning note',
    {
      policies: [podEgress([{ toFQDNs: [{ matchName: 'api.github.com' }] }])],
      flow: flow(A, 'fqdn:api.github.com', '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
      note: /rules\.dns/,
    },
  ],
  [
    'How L3 and L4 combine: toFQDNs: [] with toPorts means any peer on those ports',
    {
      policies: [podEgress([{ toFQDNs: [], ...L4('443') }])],
      flow: flow(A, BLOG, '443/TCP'),
      verdict: 'FORWARDED',
      egress: 'ALLOWED',
    },
  ],
  // --- 10.8 services, groups ---
  [
    'How L3 and L4 combine: toServices is undecided offline',
    {
      policies: [podEgress([{ toServices: [{ k8sService: { serviceName: 'db', namespace: 'db' } }] }])],
      flow: flow(A, 'db/app=db', '5432/TCP'),
      verdict: 'UNDECIDED',
      egress: 'UNDECIDED',
      note: /toServices/,
    },
  ],
  [
    'How L3 and L4 combine: toServices undecided, but a deny that matches still drops',
    {
      policies: [
        podEgress([{ toServices: [{ k8sService: { serviceName: 'db', namespace: 'db' } }] }], {
          egressDeny: [L4('5432')],
        }),
      ],
      flow: flow(A, 'db/app=db', '5432/TCP'),
      verdict: 'DROPPED',
      egress: 'DENIED',
    },
  ],
  [
    'How L3 and L4 combine: toGroups is undecided for world peers',
    {
      policies: [podEgress([{ toGroups: [{ aws: { securityGroupsIds: ['sg-1'] } }] }])],
      flow: flow(A, 'cidr:52.1.1.1', '443/TCP'),
      verdict: 'UNDECIDED',
      egress: 'UNDECIDED',
    },
  ],
  // --- 10.3 L7 ---
  [
    'Default deny: L7 rules on a matching allow: allowed at L3/L4, L7 rules apply',
    {
      policies: [
        blogIngress([
          {
            ...fromNs('app'),
            toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }],
          },
        ]),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
      l7: true,
      note: /L7 rules apply/,
    },
  ],
  [
    'Default deny: L7 rules in a default-allow direction do not apply',
    {
      policies: [
        cnp('blog', 'b', {
          endpointSelector: { matchLabels: { app: 'blog' } },
          enableDefaultDeny: { ingress: false },
          ingress: [
            { toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] },
          ],
        }),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
      l7: false,
    },
  ],
  [
    'Default deny: an L3-only allow of the same peer lifts the L7 restriction',
    {
      policies: [
        blogIngress([
          fromNs('app'),
          {
            ...fromNs('app'),
            toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }],
          },
        ]),
      ],
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
      l7: false,
    },
  ],
  [
    'Host, probes and allow-localhost: host traffic on a port with a port-only L7 rule goes through the proxy',
    {
      policies: [
        blogIngress([{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{}] } }] }]),
      ],
      flow: flow('entity:host', BLOG, '80/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
      l7: true,
    },
  ],
  // --- 2.3 / 10.1 localhost ---
  [
    'Host, probes and allow-localhost: the local host reaches a default-deny pod (allow-localhost=always)',
    {
      policies: [blogIngress([fromNs('traefik')])],
      flow: flow('entity:host', BLOG, '8080/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
      note: /allow-localhost/,
    },
  ],
  [
    'Host, probes and allow-localhost: allow-localhost=policy: the host needs a rule',
    {
      policies: [blogIngress([fromNs('traefik')])],
      options: { allowLocalhost: 'policy' },
      flow: flow('entity:host', BLOG, '8080/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Host, probes and allow-localhost: a deny covering the host beats the automatic host allow',
    {
      policies: [
        blogIngress([fromNs('traefik')]),
        cnp('blog', 'no-cluster', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['cluster'] }] }),
      ],
      flow: flow('entity:host', BLOG, '8080/TCP'),
      verdict: 'DROPPED',
      ingress: 'DENIED',
    },
  ],
  [
    'Host, probes and allow-localhost: always mode without ingress rules: the host is not auto-allowed (#48444)',
    {
      policies: [],
      options: { policyEnforcementMode: 'always' },
      flow: flow('entity:host', BLOG, '8080/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
      note: /48444/,
    },
  ],
  [
    'Host, probes and allow-localhost: always mode with ingress rules: the host is auto-allowed',
    {
      policies: [blogIngress([fromNs('traefik')])],
      options: { policyEnforcementMode: 'always' },
      flow: flow('entity:host', BLOG, '8080/TCP'),
      verdict: 'FORWARDED',
      ingress: 'ALLOWED',
    },
  ],
  [
    'Host, probes and allow-localhost: a remote node is not the local host',
    {
      policies: [blogIngress([fromNs('traefik')])],
      flow: flow('entity:remote-node', BLOG, '8080/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  // --- 6 audit ---
  [
    'Policy audit mode: policyAuditMode: a default-deny becomes AUDIT',
    {
      policies: [blogIngress([fromNs('traefik')])],
      options: { policyAuditMode: true },
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'AUDIT',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Policy audit mode: policyAuditMode: an explicit deny becomes AUDIT',
    {
      policies: [podEgress([toNs('blog')], { egressDeny: [toNs('blog')] })],
      options: { policyAuditMode: true },
      flow: flow(A, BLOG, '80/TCP'),
      verdict: 'AUDIT',
      egress: 'DENIED',
    },
  ],
  [
    'Policy audit mode: per-endpoint audit mode on the destination only',
    {
      policies: [blogIngress([fromNs('traefik')])],
      flow: flow(A, { ...parsePeer(BLOG), auditMode: true }, '80/TCP'),
      verdict: 'AUDIT',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Policy audit mode: audit on one side does not hide a real drop on the other',
    {
      policies: [blogIngress([fromNs('traefik')]), podEgress([{}])],
      flow: flow(A, { ...parsePeer(BLOG), auditMode: true }, '80/TCP'),
      verdict: 'DROPPED',
      egress: 'DEFAULT_DENY',
      ingress: 'DEFAULT_DENY',
    },
  ],
  [
    'Policy audit mode: per-endpoint auditMode false overrides the agent option',
    {
      policies: [blogIngress([fromNs('traefik')])],
      options: { policyAuditMode: true },
      flow: flow(A, { ...parsePeer(BLOG), auditMode: false }, '80/TCP'),
      verdict: 'DROPPED',
      ingress: 'DEFAULT_DENY',
    },
  ],
  // --- overall verdict ---
  [
    'The model in brief: a real drop beats an undecided side',
    {
      policies: [
        podEgress([{ toServices: [{ k8sService: { serviceName: 'db', namespace: 'db' } }] }]),
        cnp('db', 'db', { endpointSelector: {}, ingress: [{}] }),
      ],
      flow: flow(A, 'db/app=db', '5432/TCP'),
      verdict: 'DROPPED',
      egress: 'UNDECIDED',
      ingress: 'DEFAULT_DENY',
    },
  ],
];

describe('PolicyEngine semantics', () => {
  test.each(cases)('%s', (_name, c) => {
    const engine = PolicyEngine.fromManifests(c.policies, c.options);
    const r = engine.evaluate(c.flow);
    const view = {
      verdict: r.verdict,
      ...(c.egress ? { egress: r.egress.decision } : {}),
      ...(c.ingress ? { ingress: r.ingress.decision } : {}),
      ...(c.egressRules ? { egressRules: refs(r.egress) } : {}),
      ...(c.ingressRules ? { ingressRules: refs(r.ingress) } : {}),
      ...(c.l7 !== undefined ? { l7: !!(r.ingress.l7 || r.egress.l7) } : {}),
    };
    const want = {
      verdict: c.verdict,
      ...(c.egress ? { egress: c.egress } : {}),
      ...(c.ingress ? { ingress: c.ingress } : {}),
      ...(c.egressRules ? { egressRules: c.egressRules } : {}),
      ...(c.ingressRules ? { ingressRules: c.ingressRules } : {}),
      ...(c.l7 !== undefined ? { l7: c.l7 } : {}),
    };
    expect(view).toEqual(want);
    if (c.note) expect([...r.egress.notes, ...r.ingress.notes].join('\n')).toMatch(c.note);
    expect(engine.warnings.filter((w) => w.includes('skipped'))).toEqual([]);
  });
});
