/**
 * What the Cilium 1.20 agent rejects when it imports a policy rule (`Rule.Sanitize` and the
 * `sanitize` of each level below it), on plain manifest data. Each level checks itself and hands
 * its children their own path; the first problem is returned, as the agent stops at the first
 * error. The CRD's structural schema (types, enums, required fields) is checked separately by
 * `validateAgainstCrd` (lib/manifest/crd-schema.ts): this layer assumes nothing about types and
 * reports only what the agent refuses.
 */
import { parsePrefix, parsePrefixOrAddress, prefixContainsPrefix } from './cidr';
import { AGENT_ENTITY_NAMES } from './entities';
import { MATCH_NAME_RE, MATCH_PATTERN_RE, MAX_FQDN_LENGTH } from './fqdn';
import { invalidSelectorKeyReason, isLabelValue, isSelectorOperator } from './label-keys';
import { EXTENDED_PROTOCOLS, parsePolicyProtocol, parsePort } from './ports';
import { asArray, isObject, PlainObject } from '../util/shape';

/** Most `ports` in one `toPorts` entry (allow and deny rules alike). */
export const MAX_PORTS = 40;
/** Most `fields` in one `icmps` entry. */
export const MAX_ICMP_FIELDS = 40;

/** Agent flags that change what Sanitize accepts, with Cilium 1.20's defaults. */
export interface SanitizeFlags {
  /** `enable-node-selector-labels` (fromNodes/toNodes). @default false */
  readonly enableNodeSelectorLabels?: boolean;
  /** The L7 proxy. @default true */
  readonly enableL7Proxy?: boolean;
  /** `enable-icmp-rules`. @default true */
  readonly enableIcmpRules?: boolean;
  /** `enable-extended-ip-protocols` (an empty port). @default false */
  readonly enableExtendedIpProtocols?: boolean;
}

/** Why the agent rejects a rule: the field path (lint notation) and the reason. */
export interface SanitizeProblem {
  readonly path: string;
  readonly message: string;
}

type Result = SanitizeProblem | undefined;

const DEFAULT_FLAGS: Required<SanitizeFlags> = {
  enableNodeSelectorLabels: false,
  enableL7Proxy: true,
  enableIcmpRules: true,
  enableExtendedIpProtocols: false,
};

/** The object at `v`, or one shared empty object (sanitize only reads). */
function fieldsOf(v: unknown): PlainObject {
  return isObject(v) ? v : NO_FIELDS;
}

const NO_FIELDS: PlainObject = Object.freeze({});

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The first problem among the items, in order; checks after it do not run. */
function firstOf<T>(items: readonly T[], check: (item: T, i: number) => Result): Result {
  for (let i = 0; i < items.length; i++) {
    const r = check(items[i], i);
    if (r) return r;
  }
  return undefined;
}

const problem = (path: string, message: string): SanitizeProblem => ({ path, message });

/** Results of {@link sanitizeRule} by rule object and path, for rules that do not change meanwhile. */
export type SharedSanitizeResults = WeakMap<object, Map<string, Result>>;

let shared: SharedSanitizeResults | undefined;

/**
 * Runs `fn` with each rule's result (default flags) computed once in `results` and reused by every
 * check that sanitizes the same rule object at the same path (the lint and the evaluator of one
 * synth). The rules must not change while `results` is in use.
 */
export function withSharedSanitize<T>(results: SharedSanitizeResults, fn: () => T): T {
  const outer = shared;
  shared = results;
  try {
    return fn();
  } finally {
    shared = outer;
  }
}

/** `Rule.Sanitize`: sections, exactly one subject selector, then every element. */
export function sanitizeRule(rule: unknown, path: string, flags?: SanitizeFlags): Result {
  if (!shared || flags !== undefined || typeof rule !== 'object' || rule === null)
    return sanitizeRuleNow(rule, path, flags);
  let byPath = shared.get(rule);
  if (!byPath) shared.set(rule, (byPath = new Map()));
  if (byPath.has(path)) return byPath.get(path);
  const result = sanitizeRuleNow(rule, path, flags);
  byPath.set(path, result);
  return result;
}

function sanitizeRuleNow(rule: unknown, path: string, flags?: SanitizeFlags): Result {
  const f = flags === undefined ? DEFAULT_FLAGS : Object.assign({}, DEFAULT_FLAGS, flags);
  const r = fieldsOf(rule);
  if (!SECTIONS.some((s) => asArray(r[s]).length > 0))
    return problem(path, 'rule must have at least one of ingress, ingressDeny, egress, egressDeny');
  const hasEp = isSet(r.endpointSelector);
  const hasNode = isSet(r.nodeSelector);
  if (!hasEp && !hasNode) return problem(path, 'rule must have one of endpointSelector or nodeSelector');
  if (hasEp && hasNode) return problem(path, 'rule cannot have both endpointSelector and nodeSelector');
  return (
    sanitizeSelector(
      hasEp ? r.endpointSelector : r.nodeSelector,
      `${path}.${hasEp ? 'endpointSelector' : 'nodeSelector'}`,
    ) ||
    firstOf(asArray(r.ingress), (el, i) => sanitizeIngressRule(el, `${path}.ingress[${i}]`, hasNode, f)) ||
    firstOf(asArray(r.ingressDeny), (el, i) => sanitizeIngressDenyRule(el, `${path}.ingressDeny[${i}]`, f)) ||
    firstOf(asArray(r.egress), (el, i) => sanitizeEgressRule(el, `${path}.egress[${i}]`, hasNode, f)) ||
    firstOf(asArray(r.egressDeny), (el, i) => sanitizeEgressDenyRule(el, `${path}.egressDeny[${i}]`, f))
  );
}

const SECTIONS = ['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const;

/** `EndpointSelector.Sanitize`: a valid Kubernetes label selector (keys may carry a `source:`). */
export function sanitizeSelector(selector: unknown, path: string): Result {
  if (!isSet(selector)) return undefined;
  if (typeof selector !== 'object' || Array.isArray(selector))
    return problem(path, 'invalid label selector: not an object');
  const s = selector as PlainObject;
  const matchLabels = fieldsOf(s.matchLabels);
  for (const key of Object.keys(matchLabels)) {
    const at = (): string => `${path}.matchLabels[${JSON.stringify(key)}]`;
    const why = invalidSelectorKeyReason(key);
    if (why) return problem(at(), `invalid label selector: key ${JSON.stringify(key)}: ${why}`);
    const value = matchLabels[key];
    if (!isLabelValue(value))
      return problem(at(), `invalid label selector: ${JSON.stringify(value)} is not a label value`);
  }
  for (const [i, e] of asArray(s.matchExpressions).entries()) {
    const at = `${path}.matchExpressions[${i}]`;
    const x = fieldsOf(e);
    if (typeof x.key !== 'string') return problem(at, 'invalid label selector: the expression has no key');
    const why = invalidSelectorKeyReason(x.key);
    if (why) return problem(`${at}.key`, `invalid label selector: key ${JSON.stringify(x.key)}: ${why}`);
    if (!isSelectorOperator(x.operator))
      return problem(
        `${at}.operator`,
        `invalid label selector: ${JSON.stringify(x.operator)} is not a valid selector operator`,
      );
    const values = asArray(x.values);
    const needsValues = x.operator === 'In' || x.operator === 'NotIn';
    if (needsValues && values.length === 0)
      return problem(`${at}.values`, `invalid label selector: values must be non-empty for ${x.operator}`);
    if (!needsValues && values.length > 0)
      return problem(`${at}.values`, `invalid label selector: values must be empty for ${x.operator}`);
    const bad = values.findIndex((v) => !isLabelValue(v));
    if (bad >= 0)
      return problem(
        `${at}.values[${bad}]`,
        `invalid label selector: ${JSON.stringify(values[bad])} is not a label value`,
      );
  }
  return undefined;
}

function l7Counts(el: PlainObject): { dns: number; http: number } {
  let dns = 0;
  let http = 0;
  for (const pr of asArray(el.toPorts)) {
    const rules = fieldsOf(fieldsOf(pr).rules);
    dns += asArray(rules.dns).length;
    http += asArray(rules.http).length;
  }
  return { dns, http };
}

const INGRESS_PEERS = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups'];
const EGRESS_PEERS = [
  'toCIDR',
  'toCIDRSet',
  'toEndpoints',
  'toEntities',
  'toServices',
  'toGroups',
  'toNodes',
];
const EGRESS_AND_FQDN_PEERS = [...EGRESS_PEERS, 'toFQDNs'];

/** `IngressRule.sanitize`. */
export function sanitizeIngressRule(
  element: unknown,
  path: string,
  hostPolicy: boolean,
  flags: Required<SanitizeFlags>,
): Result {
  const el = fieldsOf(element);
  const l7 = l7Counts(el);
  const hasL7 = asArray(el.toPorts).some((pr) =>
    Object.keys(fieldsOf(fieldsOf(pr).rules)).some(
      (k) => asArray(fieldsOf(fieldsOf(pr).rules)[k]).length > 0,
    ),
  );
  return (
    sanitizeCommon(el, path, INGRESS_PEERS, 'from', flags) ||
    (hostPolicy && hasL7
      ? problem(`${path}.toPorts`, 'L7 policy is not supported on host ingress yet')
      : undefined) ||
    (hasL7 && !flags.enableL7Proxy
      ? problem(`${path}.toPorts`, 'L7 policy is not supported since L7 proxy is not enabled')
      : undefined) ||
    (l7.dns > 0
      ? problem(`${path}.toPorts`, 'L7 protocol DNS is not supported on ingress yet')
      : undefined) ||
    sanitizeIcmpAndPorts(el, path, true, false, flags)
  );
}

/** `IngressDenyRule.sanitize`. */
export function sanitizeIngressDenyRule(
  element: unknown,
  path: string,
  flags: Required<SanitizeFlags>,
): Result {
  const el = fieldsOf(element);
  return (
    sanitizeCommon(el, path, INGRESS_PEERS, 'from', flags) ||
    sanitizeIcmpAndPorts(el, path, true, true, flags)
  );
}

/** `EgressRule.sanitize`: toFQDNs counts as a peer kind. */
export function sanitizeEgressRule(
  element: unknown,
  path: string,
  hostPolicy: boolean,
  flags: Required<SanitizeFlags>,
): Result {
  const el = fieldsOf(element);
  const l7 = l7Counts(el);
  const hasL7 = l7.dns + l7.http > 0;
  return (
    sanitizeCommon(el, path, EGRESS_AND_FQDN_PEERS, 'to', flags) ||
    (hasL7 && !flags.enableL7Proxy
      ? problem(`${path}.toPorts`, 'L7 policy is not supported since L7 proxy is not enabled')
      : undefined) ||
    (hostPolicy && l7.http > 0
      ? problem(`${path}.toPorts`, 'L7 protocol HTTP is not supported on host egress yet')
      : undefined) ||
    sanitizeIcmpAndPorts(el, path, false, false, flags) ||
    firstOf(asArray(el.toFQDNs), (fq, i) => sanitizeFqdnSelector(fq, `${path}.toFQDNs[${i}]`))
  );
}

/** `EgressDenyRule.sanitize`. */
export function sanitizeEgressDenyRule(
  element: unknown,
  path: string,
  flags: Required<SanitizeFlags>,
): Result {
  const el = fieldsOf(element);
  return (
    sanitizeCommon(el, path, EGRESS_PEERS, 'to', flags) || sanitizeIcmpAndPorts(el, path, false, true, flags)
  );
}

/** `IngressCommonRule.sanitize` / `EgressCommonRule.sanitize`: one peer kind, then each peer. */
function sanitizeCommon(
  el: PlainObject,
  path: string,
  peers: readonly string[],
  dir: 'from' | 'to',
  flags: Required<SanitizeFlags>,
): Result {
  const used = peers.filter((k) => asArray(el[k]).length > 0);
  if (used.length > 1) return problem(path, `combining ${used[0]} and ${used[1]} is not supported yet`);
  const f = PEER_FIELDS[dir];
  if (asArray(el[f.nodes]).length > 0 && !flags.enableNodeSelectorLabels) {
    return problem(
      `${path}.${f.nodes}`,
      `${dir === 'from' ? 'FromNodes' : 'ToNodes'} rules can only be applied when the "enable-node-selector-labels" flag is set`,
    );
  }
  return (
    firstOf(asArray(el[f.endpoints]), (s, i) => sanitizeSelector(s, `${path}.${f.endpoints}[${i}]`)) ||
    firstOf(asArray(el[f.nodes]), (s, i) => sanitizeSelector(s, `${path}.${f.nodes}[${i}]`)) ||
    firstOf(asArray(el[f.cidr]), (c, i) => sanitizeCidr(c, `${path}.${f.cidr}[${i}]`)) ||
    firstOf(asArray(el[f.cidrSet]), (c, i) => sanitizeCidrRule(c, `${path}.${f.cidrSet}[${i}]`)) ||
    firstOf(asArray(el[f.entities]), (e, i) =>
      AGENT_ENTITY_NAMES.includes(e as string)
        ? undefined
        : problem(`${path}.${f.entities}[${i}]`, `unsupported entity: ${String(e)}`),
    )
  );
}

/** The peer field names of each direction, written out (a key built per element is slow to look up). */
const PEER_FIELDS = {
  from: {
    endpoints: 'fromEndpoints',
    nodes: 'fromNodes',
    cidr: 'fromCIDR',
    cidrSet: 'fromCIDRSet',
    entities: 'fromEntities',
  },
  to: {
    endpoints: 'toEndpoints',
    nodes: 'toNodes',
    cidr: 'toCIDR',
    cidrSet: 'toCIDRSet',
    entities: 'toEntities',
  },
} as const;

function sanitizeIcmpAndPorts(
  el: PlainObject,
  path: string,
  ingress: boolean,
  deny: boolean,
  flags: Required<SanitizeFlags>,
): Result {
  const icmps = asArray(el.icmps);
  if (icmps.length > 0 && !flags.enableIcmpRules)
    return problem(
      `${path}.icmps`,
      'ICMP rules can only be applied when the "enable-icmp-rules" flag is set',
    );
  if (icmps.length > 0 && asArray(el.toPorts).length > 0)
    return problem(
      path,
      'the ICMPs block may only be present without ToPorts. Define a separate rule to use ToPorts',
    );
  return (
    firstOf(asArray(el.toPorts), (pr, i) =>
      deny
        ? sanitizePortDenyRule(pr, `${path}.toPorts[${i}]`, flags)
        : sanitizePortRule(pr, `${path}.toPorts[${i}]`, ingress, flags),
    ) || firstOf(icmps, (ir, i) => verifyIcmpRule(ir, `${path}.icmps[${i}]`))
  );
}

/** `PortRule.sanitize`: L7 rules, server names, listener, then each port. */
export function sanitizePortRule(
  portRule: unknown,
  path: string,
  ingress: boolean,
  flags: Required<SanitizeFlags> = DEFAULT_FLAGS,
): Result {
  const pr = fieldsOf(portRule);
  const rules = fieldsOf(pr.rules);
  const rulesEmpty = !Object.keys(rules).some((k) => asArray(rules[k]).length > 0);
  const hasDns = asArray(rules.dns).length > 0;
  if (ingress && hasDns) return problem(`${path}.rules.dns`, 'DNS rules are not allowed on ingress');
  const serverNames = asArray(pr.serverNames);
  if (serverNames.length > 0 && !rulesEmpty && !isSet(pr.terminatingTLS))
    return problem(
      `${path}.serverNames`,
      'ServerNames are not allowed with L7 rules without TLS termination',
    );
  if (serverNames.includes('')) return problem(`${path}.serverNames`, 'empty server name is not allowed');
  const ports = asArray(pr.ports);
  if (ports.length > MAX_PORTS) return problem(`${path}.ports`, `too many ports, the max is ${MAX_PORTS}`);
  let haveZero = false;
  for (let i = 0; i < ports.length; i++) {
    const pp = ports[i];
    const at = `${path}.ports[${i}]`;
    const r = sanitizePortProtocol(pp, at, hasDns, flags);
    if ('path' in r) return r;
    haveZero ||= r.isZero;
    if (!rulesEmpty && !hasDns && parsePolicyProtocol(fieldsOf(pp).protocol)?.name !== 'TCP') {
      return problem(
        `${at}.protocol`,
        `L7 rules can only apply to TCP (not ${parsePolicyProtocol(fieldsOf(pp).protocol)?.name ?? String(fieldsOf(pp).protocol)}) except for DNS rules`,
      );
    }
  }
  if (isSet(pr.listener)) {
    const name = String(fieldsOf(pr.listener).name ?? '');
    if (ingress) return problem(`${path}.listener`, `Listener is not allowed on ingress (${name})`);
    if (!rulesEmpty) return problem(`${path}.listener`, `Listener is not allowed with L7 rules (${name})`);
  }
  if (!rulesEmpty) {
    if (haveZero) return problem(`${path}.rules`, 'L7 rules can not be used when a port is 0');
    return sanitizeL7Rules(rules, ports, `${path}.rules`);
  }
  return undefined;
}

/** `PortDenyRule.sanitize`. */
export function sanitizePortDenyRule(
  portRule: unknown,
  path: string,
  flags: Required<SanitizeFlags> = DEFAULT_FLAGS,
): Result {
  const ports = asArray(fieldsOf(portRule).ports);
  if (ports.length > MAX_PORTS) return problem(`${path}.ports`, `too many ports, the max is ${MAX_PORTS}`);
  for (const [i, pp] of ports.entries()) {
    const r = sanitizePortProtocol(pp, `${path}.ports[${i}]`, false, flags);
    if ('path' in r) return r;
  }
  return undefined;
}

/** `PortProtocol.sanitize`: the port parses (base-detected, 16 bits) or is a service name; the protocol is known. */
export function sanitizePortProtocol(
  portProtocol: unknown,
  path: string,
  hasDnsRules: boolean,
  flags: Required<SanitizeFlags> = DEFAULT_FLAGS,
): SanitizeProblem | { readonly isZero: boolean } {
  const pp = fieldsOf(portProtocol);
  const raw = isSet(pp.port) ? String(pp.port) : '';
  if (raw === '' && !flags.enableExtendedIpProtocols)
    return problem(`${path}.port`, 'port must be specified');
  const proto = parsePolicyProtocol(pp.protocol);
  const parsed = parsePort(raw);
  let isZero = false;
  if (parsed.kind === 'invalid') {
    return problem(
      `${path}.port`,
      raw !== '0' && (EXTENDED_PROTOCOLS as readonly string[]).includes(String(pp.protocol))
        ? 'port must be empty or 0'
        : `unable to parse port: ${parsed.reason}`,
    );
  }
  if (parsed.kind === 'number') {
    if (raw !== '0' && (EXTENDED_PROTOCOLS as readonly string[]).includes(String(pp.protocol)))
      return problem(`${path}.port`, 'port must be empty or 0');
    isZero = parsed.value === 0;
    const end = typeof pp.endPort === 'number' ? pp.endPort : 0;
    if (hasDnsRules && end > parsed.value)
      return problem(`${path}.endPort`, 'DNS rules do not support port ranges');
  }
  if (!proto) return problem(`${path}.protocol`, `unknown protocol ${JSON.stringify(pp.protocol)}`);
  return { isZero };
}

/** `L7Rules.sanitize`: one L7 type; DNS needs the port listed. */
function sanitizeL7Rules(rules: PlainObject, ports: readonly unknown[], path: string): Result {
  const types = ['http', 'dns'].filter((k) => isSet(rules[k]));
  if (isSet(rules.dns) && ports.length === 0)
    return problem(`${path}.dns`, 'port 53 must be specified for DNS rules');
  if (types.length > 1) return problem(path, 'multiple L7 protocol rule types specified in single rule');
  return (
    firstOf(asArray(rules.http), (h, i) => sanitizeHttpRule(h, `${path}.http[${i}]`)) ||
    firstOf(asArray(rules.dns), (d, i) => sanitizeFqdnSelector(d, `${path}.dns[${i}]`, true))
  );
}

/** `PortRuleHTTP.Sanitize`: path and method are regular expressions, header matches name a header. */
function sanitizeHttpRule(rule: unknown, path: string): Result {
  const h = fieldsOf(rule);
  for (const field of ['path', 'method']) {
    const v = h[field];
    if (typeof v === 'string' && v !== '') {
      try {
        new RegExp(v);
      } catch (e) {
        return problem(`${path}.${field}`, `error parsing regexp: ${(e as Error).message}`);
      }
    }
  }
  for (const [i, m] of asArray(h.headerMatches).entries()) {
    const x = fieldsOf(m);
    if (!x.name) return problem(`${path}.headerMatches[${i}]`, 'Header name missing');
    if (
      isSet(x.mismatch) &&
      x.mismatch !== '' &&
      !['LOG', 'ADD', 'DELETE', 'REPLACE'].includes(String(x.mismatch))
    )
      return problem(`${path}.headerMatches[${i}].mismatch`, `Invalid header action: ${String(x.mismatch)}`);
  }
  return undefined;
}

/** `FQDNSelector.sanitize` (and `PortRuleDNS.Sanitize` for DNS rules, which allow both fields to be empty-checked by the CRD). */
export function sanitizeFqdnSelector(selector: unknown, path: string, dnsRule = false): Result {
  const s = fieldsOf(selector);
  const name = typeof s.matchName === 'string' ? s.matchName : '';
  const pattern = typeof s.matchPattern === 'string' ? s.matchPattern : '';
  if (!dnsRule && name !== '' && pattern !== '')
    return problem(path, 'only one of MatchName or MatchPattern is allowed in an FQDNSelector');
  if (name !== '' && !MATCH_NAME_CHARS.test(name))
    return problem(
      `${path}.matchName`,
      `Invalid characters in MatchName: ${JSON.stringify(name)}. Only 0-9, a-z, A-Z and ., -, _ characters are allowed`,
    );
  if (pattern.trim().length > MAX_FQDN_LENGTH)
    return problem(
      `${path}.matchPattern`,
      `Invalid MatchPattern: ${JSON.stringify(pattern)}. Must be <= ${MAX_FQDN_LENGTH} characters long.`,
    );
  if (pattern !== '' && !MATCH_PATTERN_CHARS.test(pattern))
    return problem(
      `${path}.matchPattern`,
      `Invalid characters in MatchPattern: ${JSON.stringify(pattern)}. Only 0-9, a-z, A-Z and ., -, _ and * characters are allowed`,
    );
  return undefined;
}

/** The agent's character checks (the CRD's stricter label structure is `MATCH_NAME_RE` / `MATCH_PATTERN_RE`). */
const MATCH_NAME_CHARS = /^[-a-zA-Z0-9_.]+$/;
const MATCH_PATTERN_CHARS = /^[-a-zA-Z0-9_.*]+$/;
export const CRD_FQDN_PATTERNS = { matchName: MATCH_NAME_RE, matchPattern: MATCH_PATTERN_RE } as const;

/** `ICMPRule.verify`. */
export function verifyIcmpRule(rule: unknown, path: string): Result {
  const fields = asArray(fieldsOf(rule).fields);
  if (fields.length > MAX_ICMP_FIELDS)
    return problem(`${path}.fields`, `too many types, the max is ${MAX_ICMP_FIELDS}`);
  for (const [i, f] of fields.entries()) {
    const family = fieldsOf(f).family;
    if (isSet(family) && family !== '' && family !== 'IPv4' && family !== 'IPv6')
      return problem(`${path}.fields[${i}].family`, `wrong family: ${String(family)}`);
  }
  return undefined;
}

/** `CIDR.sanitize`: a prefix or a single address. */
export function sanitizeCidr(cidr: unknown, path: string): Result {
  if (!isSet(cidr) || cidr === '') return problem(path, 'IP must be specified');
  return parsePrefixOrAddress(cidr)
    ? undefined
    : problem(path, `unable to parse CIDR: ${JSON.stringify(cidr)}`);
}

/** `CIDRRule.sanitize`: exactly one of cidr, cidrGroupRef, cidrGroupSelector; a prefix; excepts inside it. */
export function sanitizeCidrRule(rule: unknown, path: string): Result {
  const c = fieldsOf(rule);
  const set = [
    typeof c.cidrGroupRef === 'string' && c.cidrGroupRef !== '',
    typeof c.cidr === 'string' && c.cidr !== '',
    isSet(c.cidrGroupSelector),
  ].filter(Boolean).length;
  if (isSet(c.cidrGroupSelector)) {
    const bad = sanitizeSelector(c.cidrGroupSelector, `${path}.cidrGroupSelector`);
    if (bad) return bad;
  }
  if (set === 0) return problem(path, 'one of cidr, cidrGroupRef, or cidrGroupSelector is required');
  if (set > 1)
    return problem(path, 'more than one of cidr, cidrGroupRef, or cidrGroupSelector may not be set');
  if (typeof c.cidr !== 'string' || c.cidr === '') return undefined;
  const prefix = parsePrefix(c.cidr);
  if (!prefix) return problem(`${path}.cidr`, `unable to parse CIDRRule ${JSON.stringify(c.cidr)}`);
  for (const [i, e] of asArray(c.except).entries()) {
    const except = parsePrefix(e);
    if (!except) return problem(`${path}.except[${i}]`, `unable to parse except ${JSON.stringify(e)}`);
    if (!prefixContainsPrefix(prefix, except))
      return problem(
        `${path}.except[${i}]`,
        `allow CIDR prefix ${c.cidr} does not contain exclude CIDR prefix ${String(e)}`,
      );
  }
  return undefined;
}
