/**
 * The L3 peer fields of an ingress/egress element (docs/cilium-semantics.md, "How L3 and L4 combine"). An element may use one
 * kind only; `fromRequires`/`toRequires` were removed in 1.19 and are not peers.
 */
export const INGRESS_PEER_FIELDS = [
  'fromEndpoints',
  'fromCIDR',
  'fromCIDRSet',
  'fromEntities',
  'fromNodes',
  'fromGroups',
] as const;
export const EGRESS_PEER_FIELDS = [
  'toEndpoints',
  'toCIDR',
  'toCIDRSet',
  'toEntities',
  'toServices',
  'toGroups',
  'toNodes',
  'toFQDNs',
] as const;
