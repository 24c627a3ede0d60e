import { isIP } from 'net';
import { invalidSelectorKeyReason, isLabelValue, isNamespaceName } from '../cilium/label-keys';
import { K8S_NAMESPACE_KEY, parseLabel } from '../cilium/labels';
import { Direction } from '../engine/types';
import { entityOf, isAddressOnly, namespaceOf, workloadLabels, workloadName } from '../replay/identity';
import { ReplayGroup } from '../replay/result';
import type { DnsServer, SuggestedPeer, SuggestedSubject } from './plan';

/** Subjects and peers of suggestions, read from replay groups (least privilege: identities over addresses). */

export function subjectOf(labels: readonly string[]): SuggestedSubject | undefined {
  const namespace = namespaceOf(labels);
  if (namespace !== undefined) {
    return { clusterwide: false, namespace, matchLabels: workloadLabels(labels), name: workloadName(labels) };
  }
  const entity = entityOf(labels);
  if (
    !entity ||
    entity === 'world' ||
    entity === 'host' ||
    entity === 'remote-node' ||
    entity === 'kube-apiserver'
  )
    return undefined;
  const reserved = labels.filter((l) => l.startsWith('reserved:')).map((l) => parseLabel(l));
  return {
    clusterwide: true,
    matchLabels: Object.fromEntries(reserved.map((l) => [`reserved:${l.key}`, ''])),
    name: entity,
  };
}

/** Why a subject read from a flow cannot be written into a policy, if it cannot. */
export function invalidSubject(s: SuggestedSubject): string | undefined {
  if (s.namespace !== undefined && !isNamespaceName(s.namespace))
    return `namespace ${JSON.stringify(s.namespace)} is not a Kubernetes namespace name`;
  return invalidLabels(s.matchLabels);
}

export function invalidPeer(peer: SuggestedPeer): string | undefined {
  switch (peer.kind) {
    case 'endpoints': {
      const ns = peer.matchLabels[K8S_NAMESPACE_KEY];
      if (ns !== undefined && !isNamespaceName(ns))
        return `namespace ${JSON.stringify(ns)} is not a Kubernetes namespace name`;
      return invalidLabels(peer.matchLabels);
    }
    case 'fqdn': {
      const bad = peer.names.find((n) => !FQDN_NAME.test(n) || n.length > 255);
      return bad === undefined ? undefined : `${JSON.stringify(bad)} is not a DNS name`;
    }
    case 'cidr': {
      const bad = peer.cidrs.find((c) => !isIP(c.replace(/\/\d+$/, '')));
      return bad === undefined ? undefined : `${JSON.stringify(bad)} is not an address`;
    }
    case 'entity':
      return undefined;
  }
}

/** A name `toFQDNs.matchName` accepts. */
const FQDN_NAME = /^([-a-zA-Z0-9_]+[.]?)+$/;

function invalidLabels(labels: Readonly<Record<string, string>>): string | undefined {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = key.startsWith('reserved:') ? undefined : invalidSelectorKeyReason(key);
    if (keyProblem) return `label key ${JSON.stringify(key)} is invalid: ${keyProblem}`;
    if (!isLabelValue(value))
      return `label ${JSON.stringify(`${key}=${value}`)} has a value that is not a Kubernetes label value`;
  }
  return undefined;
}

export function subjectKey(s: SuggestedSubject): string {
  return `${s.clusterwide}|${s.namespace ?? ''}|${JSON.stringify(s.matchLabels)}`;
}

type PeerSuggestion = { peer: SuggestedPeer; name: string; notes: string[] };

export function peerOf(group: ReplayGroup, direction: Direction): PeerSuggestion {
  const end = direction === 'egress' ? group.destination : group.source;
  const ns = namespaceOf(end.labels);
  if (ns !== undefined) {
    const labels = Object.fromEntries(Object.entries(workloadLabels(end.labels)).map(([k, v]) => [k, v]));
    const subjectNs = namespaceOf(direction === 'egress' ? group.source.labels : group.destination.labels);
    const wl = workloadName(end.labels);
    return {
      peer: { kind: 'endpoints', matchLabels: { [K8S_NAMESPACE_KEY]: ns, ...labels } },
      name: ns === subjectNs || ns === wl ? wl : `${ns}-${wl}`,
      notes: [],
    };
  }
  if (direction === 'egress' && end.dnsNames?.length) return fqdnPeer(end.dnsNames);
  if (isAddressOnly(end.labels)) return addressPeer(group, direction);
  const entity = entityOf(end.labels);
  if (entity) {
    const notes =
      entity === 'host' && direction === 'ingress'
        ? [
            'traffic from the node itself (kubelet probes); needed when allow-localhost is `policy` or a deny rule covers the host',
          ]
        : [];
    return { peer: { kind: 'entity', entity }, name: entity, notes };
  }
  const labels = Object.fromEntries(
    end.labels.map((l) => {
      const p = parseLabel(l);
      return [p.source === 'unspec' ? p.key : `${p.source}:${p.key}`, p.value];
    }),
  );
  return {
    peer: { kind: 'endpoints', matchLabels: labels },
    name: 'endpoint',
    notes: ['the peer is not a pod; it is selected by all its identity labels'],
  };
}

function fqdnPeer(dnsNames: readonly string[]): PeerSuggestion {
  const names = [...dnsNames].map((n) => n.replace(/\.$/, '')).sort();
  return {
    peer: { kind: 'fqdn', names },
    name: names[0] + (names.length > 1 ? `-and-${names.length - 1}-more` : ''),
    notes:
      names.length > 1
        ? [
            `Hubble associated several names with the address (${names.join(', ')}); keep only the ones the workload really resolves`,
          ]
        : [],
  };
}

/** A peer only its addresses identify: the sampled addresses, or world when there were too many. */
function addressPeer(group: ReplayGroup, direction: Direction): PeerSuggestion {
  const end = direction === 'egress' ? group.destination : group.source;
  const ips =
    direction === 'egress'
      ? end.ip
        ? [end.ip]
        : group.moreDestinationIps
          ? []
          : group.destinationIps
      : group.moreSourceIps
        ? []
        : group.sourceIps;
  if (ips.length) {
    const cidrs = ips.map((ip) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`));
    return {
      peer: { kind: 'cidr', cidrs },
      name: ips.length === 1 ? ips[0].replace(/[.:]/g, '-') : 'cidrs',
      notes: [
        'no DNS name or identity is known for this peer, so it is allowed by address; prefer toFQDNs if it has a stable name',
      ],
    };
  }
  return {
    peer: { kind: 'entity', entity: 'world' },
    name: 'world',
    notes: [
      'too many distinct addresses were seen to list them; this allows the whole internet on these ports, narrow it down',
    ],
  };
}

/** The DNS server each subject was seen querying (port 53 to a pod), so the DNS rule names the real one. */
export function observedDnsServers(groups: readonly ReplayGroup[]): Map<string, DnsServer> {
  const out = new Map<string, DnsServer>();
  for (const g of groups) {
    if (g.port !== 53 || namespaceOf(g.destination.labels) === undefined) continue;
    const subject = subjectOf(g.source.labels);
    if (!subject || out.has(subjectKey(subject))) continue;
    const labels = Object.fromEntries(
      Object.entries(workloadLabels(g.destination.labels)).map(([k, v]) => [`k8s:${k}`, v]),
    );
    out.set(subjectKey(subject), {
      matchLabels: { [K8S_NAMESPACE_KEY]: namespaceOf(g.destination.labels)!, ...labels },
      port: 53,
    });
  }
  return out;
}
