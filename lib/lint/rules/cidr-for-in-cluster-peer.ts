import { asArray, isObject, PlainObject, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import {
  parsePrefix,
  parsePrefixOrAddress,
  Prefix,
  prefixContainsPrefix,
  prefixesOverlap,
} from '../../cilium/cidr';
import { allElements } from '../util/walk';
import { ClusterModel, perCluster } from '../util/cluster';

/** Well-known ClusterIPs of the `kubernetes` Service (kubeadm, k3s, EKS, AKS). */
const KNOWN_APISERVER_IPS = ['10.96.0.1', '10.43.0.1', '172.20.0.1', '10.100.0.1', '10.0.0.1'];

interface ClusterRange {
  readonly cidr: Prefix;
  readonly what: string;
  readonly apiserver?: boolean;
}

export const DEFAULT_CLUSTER_CIDRS = [
  '10.0.0.0/8',
  '10.96.0.0/12',
  '10.42.0.0/16',
  '10.43.0.0/16',
  '10.244.0.0/16',
  '100.64.0.0/10',
];

export const cidrForInClusterPeer = defineRule({
  id: 'cidr-for-in-cluster-peer',
  severity: 'warning',
  fields: ['fromCIDR', 'toCIDR', 'fromCIDRSet', 'toCIDRSet'],
  title: 'CIDR rules do not match pods, nodes, Services or the API server',
  rationale:
    'CIDR selectors only match peers Cilium cannot map to an identity (world). Pods and nodes always have identities, and Service ClusterIPs are translated to backends before policy runs, so a toCIDR on the pod or Service CIDR, a node IP or the `kubernetes` ClusterIP never matches (unless policyCIDRMatchMode says so). Use endpoint selectors, the host/remote-node entities and the kube-apiserver entity (docs/cilium-semantics.md, "CIDR and FQDN peers", "kube-apiserver" and "Kube-proxy replacement", issue #20550).',
  examples: {
    bad: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [{ toCIDR: ['10.96.0.1/32'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }],
      }),
    ],
    good: [
      cnp('web', {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          { toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
        ],
      }),
    ],
  },
  check(ctx, report) {
    const ranges = perCluster(ctx.cluster, `cluster-ranges:${ctx.options.clusterCidrs.join(',')}`, () =>
      clusterRanges(ctx.cluster, ctx.options.clusterCidrs),
    );
    for (const el of allElements(ctx.policy)) {
      for (const item of cidrItems(el.element, el.path)) {
        const cidr = parsePrefix(item.value);
        if (!cidr || cidr.length < 8) continue; // 0.0.0.0/0 and the like mean world
        const hostPrefix = cidr.family === 4 ? 32 : 128;
        const api = ranges.find(
          (r) => r.apiserver && prefixContainsPrefix(cidr, r.cidr) && cidr.length >= hostPrefix - 8,
        );
        if (api) {
          report(
            item.path,
            `${text(item.value)} targets ${api.what}; ClusterIPs are translated before policy runs and the API server has its own identity, so this never matches`,
            `use \`${el.direction === 'egress' ? 'toEntities' : 'fromEntities'}: [kube-apiserver]\` with the port (443 or 6443)`,
          );
          continue;
        }
        const best = closestRange(cidr, ranges);
        if (!best) continue;
        report(
          item.path,
          `${text(item.value)} overlaps ${best.what}; CIDR rules only match peers outside the cluster, never pods, nodes or Service IPs`,
          `select pods with ${el.direction === 'egress' ? 'toEndpoints' : 'fromEndpoints'} (with k8s:io.kubernetes.pod.namespace), nodes with the host/remote-node entities, the API server with kube-apiserver; if the range really is outside the cluster, set the cluster's CIDRs (--cluster-cidr) to silence this`,
        );
      }
    }
  },
});

/** The in-cluster ranges, Service ClusterIPs, API server addresses and node IPs CIDR rules never match. */
function clusterRanges(cluster: ClusterModel, clusterCidrs: readonly string[]): ClusterRange[] {
  const ranges: ClusterRange[] = [];
  for (const c of clusterCidrs) {
    const cidr = parsePrefixOrAddress(c);
    if (cidr) ranges.push({ cidr, what: `in-cluster range ${c}` });
  }
  for (const svc of cluster.services) {
    for (const ip of svc.clusterIPs) {
      const cidr = parsePrefixOrAddress(ip);
      const apiserver = svc.name === 'kubernetes' && svc.namespace === 'default';
      if (cidr)
        ranges.push({
          cidr,
          what: apiserver
            ? `the API server ClusterIP ${ip} (Service default/kubernetes)`
            : `the ClusterIP ${ip} of Service ${svc.namespace}/${svc.name}`,
        });
      if (cidr && apiserver)
        ranges.push({ cidr, what: `the API server ClusterIP ${ip} (Service default/kubernetes)`, apiserver });
    }
  }
  for (const ip of KNOWN_APISERVER_IPS)
    ranges.push({
      cidr: parsePrefixOrAddress(ip)!,
      what: `the usual API server ClusterIP ${ip}`,
      apiserver: true,
    });
  for (const ip of cluster.nodeIPs) {
    const cidr = parsePrefixOrAddress(ip);
    if (cidr) ranges.push({ cidr, what: `the node IP ${ip}` });
  }
  return ranges;
}

/** The CIDRs of an element: its fromCIDR/toCIDR items and the `cidr` of its CIDR sets. */
function cidrItems(element: PlainObject, path: string): Array<{ value: unknown; path: string }> {
  const items: Array<{ value: unknown; path: string }> = [];
  for (const f of ['fromCIDR', 'toCIDR'])
    asArray(element[f]).forEach((v, i) => items.push({ value: v, path: `${path}.${f}[${i}]` }));
  for (const f of ['fromCIDRSet', 'toCIDRSet']) {
    asArray(element[f]).forEach((v, i) => {
      if (isObject(v) && v.cidr !== undefined) items.push({ value: v.cidr, path: `${path}.${f}[${i}].cidr` });
    });
  }
  return items;
}

/** The narrowest in-cluster range holding the CIDR, else the widest one it overlaps. */
function closestRange(cidr: Prefix, ranges: readonly ClusterRange[]): ClusterRange | undefined {
  const hits = ranges.filter((r) => !r.apiserver && prefixesOverlap(cidr, r.cidr));
  if (hits.length === 0) return undefined;
  const containing = hits.filter((r) => prefixContainsPrefix(r.cidr, cidr));
  return containing.length > 0
    ? containing.reduce((a, b) => (b.cidr.length > a.cidr.length ? b : a))
    : hits.reduce((a, b) => (b.cidr.length < a.cidr.length ? b : a));
}
