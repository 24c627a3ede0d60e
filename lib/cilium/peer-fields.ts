/**
 * The L3 peer fields of an ingress/egress element (semantics note 1.4). An element may use one
 * kind only; `fromRequires`/`toRequires` were removed in 1.19 and are not peers.
 */
export const INGRESS_PEER_FIELDS = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups'] as const;
export const EGRESS_PEER_FIELDS = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toServices', 'toGroups', 'toNodes', 'toFQDNs'] as const;
