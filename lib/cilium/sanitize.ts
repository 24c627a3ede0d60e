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

/**
 * A problem at `path` below the object checked ('' for the object itself). Each level checks its
 * object without knowing where it sits; a problem is given its full path on the way back up (see
 * `within`), so an accepted rule (the common case) builds no path at all.
 */
const problem = (path: string, message: string): SanitizeProblem => ({ path, message });

/** A child's problem as its parent sees it: below `field` (a field name, or `field[i]`). */
function within(field: string, r: Result): Result {
  return r && problem(r.path === '' ? field : `${field}.${r.path}`, r.message);
}

/** The first problem among the items of the list `field`, in order; checks after it do not run. */
function firstOf<A = undefined, B = undefined>(
  items: readonly unknown[],
  field: string,
  check: (item: unknown, a: A, b: B) => Result,
  a?: A,
  b?: B,
): Result {
  for (let i = 0; i < items.length; i++) {
    const r = check(items[i], a as A, b as B);
    if (r) return within(`${field}[${i}]`, r);
  }
  return undefined;
}

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

/** `Rule.Sanitize` of the rule at `path` (e.g. `spec`, `specs[1]`): the first problem, or undefined. */
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
  return within(path, ruleProblem(fieldsOf(rule), f));
}

/** `Rule.Sanitize`: sections, exactly one subject selector, then every element. */
function ruleProblem(r: PlainObject, f: Required<SanitizeFlags>): Result {
  if (!hasSection(r))
    return problem('', 'rule must have at least one of ingress, ingressDeny, egress, egressDeny');
  const hasEp = isSet(r.endpointSelector);
  const hasNode = isSet(r.nodeSelector);
  if (!hasEp && !hasNode) return problem('', 'rule must have one of endpointSelector or nodeSelector');
  if (hasEp && hasNode) return problem('', 'rule cannot have both endpointSelector and nodeSelector');
  return (
    (hasEp
      ? within('endpointSelector', selectorProblem(r.endpointSelector))
      : within('nodeSelector', selectorProblem(r.nodeSelector))) ||
    firstOf(asArray(r.ingress), 'ingress', ingressProblem, hasNode, f) ||
    firstOf(asArray(r.ingressDeny), 'ingressDeny', ingressDenyProblem, f) ||
    firstOf(asArray(r.egress), 'egress', egressProblem, hasNode, f) ||
    firstOf(asArray(r.egressDeny), 'egressDeny', egressDenyProblem, f)
  );
}

function hasSection(r: PlainObject): boolean {
  for (const s of SECTIONS) if (asArray(r[s]).length > 0) return true;
  return false;
}

const SECTIONS = ['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const;

/** `EndpointSelector.Sanitize`: a valid Kubernetes label selector (keys may carry a `source:`). */
function selectorProblem(selector: unknown): Result {
  if (!isSet(selector)) return undefined;
  if (typeof selector !== 'object' || Array.isArray(selector))
    return problem('', 'invalid label selector: not an object');
  const s = selector as PlainObject;
  const matchLabels = fieldsOf(s.matchLabels);
  for (const key of Object.keys(matchLabels)) {
    const why = invalidSelectorKeyReason(key);
    if (why)
      return problem(
        `matchLabels[${JSON.stringify(key)}]`,
        `invalid label selector: key ${JSON.stringify(key)}: ${why}`,
      );
    const value = matchLabels[key];
    if (!isLabelValue(value))
      return problem(
        `matchLabels[${JSON.stringify(key)}]`,
        `invalid label selector: ${JSON.stringify(value)} is not a label value`,
      );
  }
  return firstOf(asArray(s.matchExpressions), 'matchExpressions', expressionProblem);
}

/** One `matchExpressions` item of a selector. */
function expressionProblem(e: unknown): Result {
  const x = fieldsOf(e);
  if (typeof x.key !== 'string') return problem('', 'invalid label selector: the expression has no key');
  const why = invalidSelectorKeyReason(x.key);
  if (why) return problem('key', `invalid label selector: key ${JSON.stringify(x.key)}: ${why}`);
  if (!isSelectorOperator(x.operator))
    return problem(
      'operator',
      `invalid label selector: ${JSON.stringify(x.operator)} is not a valid selector operator`,
    );
  const values = asArray(x.values);
  const needsValues = x.operator === 'In' || x.operator === 'NotIn';
  if (needsValues && values.length === 0)
    return problem('values', `invalid label selector: values must be non-empty for ${x.operator}`);
  if (!needsValues && values.length > 0)
    return problem('values', `invalid label selector: values must be empty for ${x.operator}`);
  const bad = values.findIndex((v) => !isLabelValue(v));
  if (bad >= 0)
    return problem(
      `values[${bad}]`,
      `invalid label selector: ${JSON.stringify(values[bad])} is not a label value`,
    );
  return undefined;
}

/** How many DNS and HTTP rules the element's toPorts hold. */
function l7Counts(el: PlainObject): { dns: number; http: number } {
  const toPorts = asArray(el.toPorts);
  if (toPorts.length === 0) return NO_L7;
  let dns = 0;
  let http = 0;
  for (const pr of toPorts) {
    const rules = fieldsOf(fieldsOf(pr).rules);
    dns += asArray(rules.dns).length;
    http += asArray(rules.http).length;
  }
  return { dns, http };
}

const NO_L7 = Object.freeze({ dns: 0, http: 0 });

/** Whether some toPorts entry of the element holds a non-empty list of L7 rules (of any type). */
function hasL7Rules(el: PlainObject): boolean {
  for (const pr of asArray(el.toPorts)) if (holdsRules(fieldsOf(fieldsOf(pr).rules))) return true;
  return false;
}

/** Whether a `rules` object holds a non-empty list of some type. */
function holdsRules(rules: PlainObject): boolean {
  for (const k of Object.keys(rules)) if (asArray(rules[k]).length > 0) return true;
  return false;
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
function ingressProblem(element: unknown, hostPolicy: boolean, flags: Required<SanitizeFlags>): Result {
  const el = fieldsOf(element);
  const l7 = l7Counts(el);
  const hasL7 = hasL7Rules(el);
  return (
    commonProblem(el, INGRESS_PEERS, 'from', flags) ||
    (hostPolicy && hasL7
      ? problem('toPorts', 'L7 policy is not supported on host ingress yet')
      : undefined) ||
    (hasL7 && !flags.enableL7Proxy
      ? problem('toPorts', 'L7 policy is not supported since L7 proxy is not enabled')
      : undefined) ||
    (l7.dns > 0 ? problem('toPorts', 'L7 protocol DNS is not supported on ingress yet') : undefined) ||
    icmpAndPortsProblem(el, true, false, flags)
  );
}

/** `IngressDenyRule.sanitize`. */
function ingressDenyProblem(element: unknown, flags: Required<SanitizeFlags>): Result {
  const el = fieldsOf(element);
  return commonProblem(el, INGRESS_PEERS, 'from', flags) || icmpAndPortsProblem(el, true, true, flags);
}

/** `EgressRule.sanitize`: toFQDNs counts as a peer kind. */
function egressProblem(element: unknown, hostPolicy: boolean, flags: Required<SanitizeFlags>): Result {
  const el = fieldsOf(element);
  const l7 = l7Counts(el);
  const hasL7 = l7.dns + l7.http > 0;
  return (
    commonProblem(el, EGRESS_AND_FQDN_PEERS, 'to', flags) ||
    (hasL7 && !flags.enableL7Proxy
      ? problem('toPorts', 'L7 policy is not supported since L7 proxy is not enabled')
      : undefined) ||
    (hostPolicy && l7.http > 0
      ? problem('toPorts', 'L7 protocol HTTP is not supported on host egress yet')
      : undefined) ||
    icmpAndPortsProblem(el, false, false, flags) ||
    firstOf(asArray(el.toFQDNs), 'toFQDNs', fqdnSelectorProblem)
  );
}

/** `EgressDenyRule.sanitize`. */
function egressDenyProblem(element: unknown, flags: Required<SanitizeFlags>): Result {
  const el = fieldsOf(element);
  return commonProblem(el, EGRESS_PEERS, 'to', flags) || icmpAndPortsProblem(el, false, true, flags);
}

/** `IngressCommonRule.sanitize` / `EgressCommonRule.sanitize`: one peer kind, then each peer. */
function commonProblem(
  el: PlainObject,
  peers: readonly string[],
  dir: 'from' | 'to',
  flags: Required<SanitizeFlags>,
): Result {
  let used: string | undefined;
  for (const k of peers) {
    if (asArray(el[k]).length === 0) continue;
    if (used !== undefined) return problem('', `combining ${used} and ${k} is not supported yet`);
    used = k;
  }
  const f = PEER_FIELDS[dir];
  if (asArray(el[f.nodes]).length > 0 && !flags.enableNodeSelectorLabels) {
    return problem(
      f.nodes,
      `${dir === 'from' ? 'FromNodes' : 'ToNodes'} rules can only be applied when the "enable-node-selector-labels" flag is set`,
    );
  }
  return (
    firstOf(asArray(el[f.endpoints]), f.endpoints, selectorProblem) ||
    firstOf(asArray(el[f.nodes]), f.nodes, selectorProblem) ||
    firstOf(asArray(el[f.cidr]), f.cidr, cidrProblem) ||
    firstOf(asArray(el[f.cidrSet]), f.cidrSet, cidrRuleProblem) ||
    firstOf(asArray(el[f.entities]), f.entities, entityProblem)
  );
}

function entityProblem(e: unknown): Result {
  return AGENT_ENTITY_NAMES.includes(e as string)
    ? undefined
    : problem('', `unsupported entity: ${String(e)}`);
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

function icmpAndPortsProblem(
  el: PlainObject,
  ingress: boolean,
  deny: boolean,
  flags: Required<SanitizeFlags>,
): Result {
  const icmps = asArray(el.icmps);
  const toPorts = asArray(el.toPorts);
  if (icmps.length > 0 && !flags.enableIcmpRules)
    return problem('icmps', 'ICMP rules can only be applied when the "enable-icmp-rules" flag is set');
  if (icmps.length > 0 && toPorts.length > 0)
    return problem(
      '',
      'the ICMPs block may only be present without ToPorts. Define a separate rule to use ToPorts',
    );
  return (
    (deny
      ? firstOf(toPorts, 'toPorts', portDenyRuleProblem, flags)
      : firstOf(toPorts, 'toPorts', portRuleProblem, ingress, flags)) ||
    firstOf(icmps, 'icmps', icmpRuleProblem)
  );
}

/** `PortRule.sanitize`: L7 rules, server names, listener, then each port. */
function portRuleProblem(portRule: unknown, ingress: boolean, flags: Required<SanitizeFlags>): Result {
  const pr = fieldsOf(portRule);
  const rules = fieldsOf(pr.rules);
  const rulesEmpty = !holdsRules(rules);
  const hasDns = asArray(rules.dns).length > 0;
  if (ingress && hasDns) return problem('rules.dns', 'DNS rules are not allowed on ingress');
  const serverNames = asArray(pr.serverNames);
  if (serverNames.length > 0 && !rulesEmpty && !isSet(pr.terminatingTLS))
    return problem('serverNames', 'ServerNames are not allowed with L7 rules without TLS termination');
  if (serverNames.includes('')) return problem('serverNames', 'empty server name is not allowed');
  const ports = asArray(pr.ports);
  if (ports.length > MAX_PORTS) return problem('ports', `too many ports, the max is ${MAX_PORTS}`);
  let haveZero = false;
  for (let i = 0; i < ports.length; i++) {
    const r = portProtocolProblem(ports[i], hasDns, flags);
    if (r !== ZERO && r !== NOT_ZERO) return within(`ports[${i}]`, r);
    haveZero ||= r === ZERO;
    if (!rulesEmpty && !hasDns) {
      const protocol = fieldsOf(ports[i]).protocol;
      const name = parsePolicyProtocol(protocol)?.name;
      if (name !== 'TCP')
        return problem(
          `ports[${i}].protocol`,
          `L7 rules can only apply to TCP (not ${name ?? String(protocol)}) except for DNS rules`,
        );
    }
  }
  if (isSet(pr.listener)) {
    const name = String(fieldsOf(pr.listener).name ?? '');
    if (ingress) return problem('listener', `Listener is not allowed on ingress (${name})`);
    if (!rulesEmpty) return problem('listener', `Listener is not allowed with L7 rules (${name})`);
  }
  if (!rulesEmpty) {
    if (haveZero) return problem('rules', 'L7 rules can not be used when a port is 0');
    return within('rules', l7RulesProblem(rules, ports));
  }
  return undefined;
}

/** `PortDenyRule.sanitize`. */
function portDenyRuleProblem(portRule: unknown, flags: Required<SanitizeFlags>): Result {
  const ports = asArray(fieldsOf(portRule).ports);
  if (ports.length > MAX_PORTS) return problem('ports', `too many ports, the max is ${MAX_PORTS}`);
  for (let i = 0; i < ports.length; i++) {
    const r = portProtocolProblem(ports[i], false, flags);
    if (r !== ZERO && r !== NOT_ZERO) return within(`ports[${i}]`, r);
  }
  return undefined;
}

/** What {@link portProtocolProblem} says of a port it accepts: whether it is 0. */
const ZERO = Object.freeze({ path: '', message: 'port 0 (accepted)' });
const NOT_ZERO = Object.freeze({ path: '', message: 'port not 0 (accepted)' });

/**
 * `PortProtocol.sanitize`: the port parses (base-detected, 16 bits) or is a service name; the
 * protocol is known. An accepted port gives ZERO or NOT_ZERO.
 */
function portProtocolProblem(
  portProtocol: unknown,
  hasDnsRules: boolean,
  flags: Required<SanitizeFlags>,
): SanitizeProblem {
  const pp = fieldsOf(portProtocol);
  const raw = isSet(pp.port) ? String(pp.port) : '';
  if (raw === '' && !flags.enableExtendedIpProtocols) return problem('port', 'port must be specified');
  const proto = parsePolicyProtocol(pp.protocol);
  const parsed = parsePort(raw);
  let isZero = false;
  if (parsed.kind === 'invalid') {
    return problem(
      'port',
      raw !== '0' && (EXTENDED_PROTOCOLS as readonly string[]).includes(String(pp.protocol))
        ? 'port must be empty or 0'
        : `unable to parse port: ${parsed.reason}`,
    );
  }
  if (parsed.kind === 'number') {
    if (raw !== '0' && (EXTENDED_PROTOCOLS as readonly string[]).includes(String(pp.protocol)))
      return problem('port', 'port must be empty or 0');
    isZero = parsed.value === 0;
    const end = typeof pp.endPort === 'number' ? pp.endPort : 0;
    if (hasDnsRules && end > parsed.value) return problem('endPort', 'DNS rules do not support port ranges');
  }
  if (!proto) return problem('protocol', `unknown protocol ${JSON.stringify(pp.protocol)}`);
  return isZero ? ZERO : NOT_ZERO;
}

/** `L7Rules.sanitize`: one L7 type; DNS needs the port listed. */
function l7RulesProblem(rules: PlainObject, ports: readonly unknown[]): Result {
  if (isSet(rules.dns) && ports.length === 0)
    return problem('dns', 'port 53 must be specified for DNS rules');
  if (isSet(rules.http) && isSet(rules.dns))
    return problem('', 'multiple L7 protocol rule types specified in single rule');
  return (
    firstOf(asArray(rules.http), 'http', httpRuleProblem) ||
    firstOf(asArray(rules.dns), 'dns', fqdnSelectorProblem, true)
  );
}

/** `PortRuleHTTP.Sanitize`: path and method are regular expressions, header matches name a header. */
function httpRuleProblem(rule: unknown): Result {
  const h = fieldsOf(rule);
  for (const field of ['path', 'method']) {
    const v = h[field];
    if (typeof v === 'string' && v !== '') {
      try {
        new RegExp(v);
      } catch (e) {
        return problem(field, `error parsing regexp: ${(e as Error).message}`);
      }
    }
  }
  return firstOf(asArray(h.headerMatches), 'headerMatches', headerMatchProblem);
}

function headerMatchProblem(m: unknown): Result {
  const x = fieldsOf(m);
  if (!x.name) return problem('', 'Header name missing');
  if (
    isSet(x.mismatch) &&
    x.mismatch !== '' &&
    !['LOG', 'ADD', 'DELETE', 'REPLACE'].includes(String(x.mismatch))
  )
    return problem('mismatch', `Invalid header action: ${String(x.mismatch)}`);
  return undefined;
}

/** `FQDNSelector.sanitize` (and `PortRuleDNS.Sanitize` for DNS rules, which allow both fields to be empty-checked by the CRD). */
function fqdnSelectorProblem(selector: unknown, dnsRule = false): Result {
  const s = fieldsOf(selector);
  const name = typeof s.matchName === 'string' ? s.matchName : '';
  const pattern = typeof s.matchPattern === 'string' ? s.matchPattern : '';
  if (!dnsRule && name !== '' && pattern !== '')
    return problem('', 'only one of MatchName or MatchPattern is allowed in an FQDNSelector');
  if (name !== '' && !MATCH_NAME_CHARS.test(name))
    return problem(
      'matchName',
      `Invalid characters in MatchName: ${JSON.stringify(name)}. Only 0-9, a-z, A-Z and ., -, _ characters are allowed`,
    );
  if (pattern.trim().length > MAX_FQDN_LENGTH)
    return problem(
      'matchPattern',
      `Invalid MatchPattern: ${JSON.stringify(pattern)}. Must be <= ${MAX_FQDN_LENGTH} characters long.`,
    );
  if (pattern !== '' && !MATCH_PATTERN_CHARS.test(pattern))
    return problem(
      'matchPattern',
      `Invalid characters in MatchPattern: ${JSON.stringify(pattern)}. Only 0-9, a-z, A-Z and ., -, _ and * characters are allowed`,
    );
  return undefined;
}

/** The agent's character checks (the CRD's stricter label structure is `MATCH_NAME_RE` / `MATCH_PATTERN_RE`). */
const MATCH_NAME_CHARS = /^[-a-zA-Z0-9_.]+$/;
const MATCH_PATTERN_CHARS = /^[-a-zA-Z0-9_.*]+$/;
export const CRD_FQDN_PATTERNS = { matchName: MATCH_NAME_RE, matchPattern: MATCH_PATTERN_RE } as const;

/** `ICMPRule.verify`. */
function icmpRuleProblem(rule: unknown): Result {
  const fields = asArray(fieldsOf(rule).fields);
  if (fields.length > MAX_ICMP_FIELDS)
    return problem('fields', `too many types, the max is ${MAX_ICMP_FIELDS}`);
  for (let i = 0; i < fields.length; i++) {
    const family = fieldsOf(fields[i]).family;
    if (isSet(family) && family !== '' && family !== 'IPv4' && family !== 'IPv6')
      return problem(`fields[${i}].family`, `wrong family: ${String(family)}`);
  }
  return undefined;
}

/** `CIDR.sanitize`: a prefix or a single address. */
function cidrProblem(cidr: unknown): Result {
  if (!isSet(cidr) || cidr === '') return problem('', 'IP must be specified');
  return parsePrefixOrAddress(cidr)
    ? undefined
    : problem('', `unable to parse CIDR: ${JSON.stringify(cidr)}`);
}

/** `CIDRRule.sanitize`: exactly one of cidr, cidrGroupRef, cidrGroupSelector; a prefix; excepts inside it. */
function cidrRuleProblem(rule: unknown): Result {
  const c = fieldsOf(rule);
  const set = [
    typeof c.cidrGroupRef === 'string' && c.cidrGroupRef !== '',
    typeof c.cidr === 'string' && c.cidr !== '',
    isSet(c.cidrGroupSelector),
  ].filter(Boolean).length;
  if (isSet(c.cidrGroupSelector)) {
    const bad = within('cidrGroupSelector', selectorProblem(c.cidrGroupSelector));
    if (bad) return bad;
  }
  if (set === 0) return problem('', 'one of cidr, cidrGroupRef, or cidrGroupSelector is required');
  if (set > 1) return problem('', 'more than one of cidr, cidrGroupRef, or cidrGroupSelector may not be set');
  if (typeof c.cidr !== 'string' || c.cidr === '') return undefined;
  const prefix = parsePrefix(c.cidr);
  if (!prefix) return problem('cidr', `unable to parse CIDRRule ${JSON.stringify(c.cidr)}`);
  const except = asArray(c.except);
  for (let i = 0; i < except.length; i++) {
    const e = except[i];
    const parsed = parsePrefix(e);
    if (!parsed) return problem(`except[${i}]`, `unable to parse except ${JSON.stringify(e)}`);
    if (!prefixContainsPrefix(prefix, parsed))
      return problem(
        `except[${i}]`,
        `allow CIDR prefix ${c.cidr} does not contain exclude CIDR prefix ${String(e)}`,
      );
  }
  return undefined;
}
