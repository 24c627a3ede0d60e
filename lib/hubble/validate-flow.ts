/**
 * Type checks of the Flow fields replay reads (docs: the project's Hubble flow format note).
 * A line whose fields have the wrong type is malformed as a whole: evaluating half of it
 * (labels as a string, a port as an object) would predict something Cilium never saw.
 * Both the protojson shape and the legacy bare-Flow JSON (numeric enums, `l4.Protocol`,
 * Timestamp and BoolValue objects) are accepted.
 */

type Obj = Record<string, unknown>;

const MAX_PORT = 65535;
const MAX_UINT8 = 255;
const MAX_UINT32 = 4294967295;

/**
 * A wrong field: its path below the object checked (`labels[2]`), what was expected and what
 * came. Paths are built only for a problem (checking a good line builds no string).
 */
interface Problem {
  path: string;
  readonly expected: string;
  readonly value: unknown;
}

function bad(path: string, expected: string, value: unknown): Problem {
  return { path, expected, value };
}

/** The problem of a field below `parent` (`source` + `ID` -> `source.ID`). */
function under(parent: string, p: Problem | undefined): Problem | undefined {
  if (p) p.path = p.path.startsWith('[') ? `${parent}${p.path}` : `${parent}.${p.path}`;
  return p;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function integer(path: string, v: unknown, max: number): Problem | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    return bad(path, `an integer from 0 to ${max}`, v);
  return undefined;
}

function string(path: string, v: unknown): Problem | undefined {
  return v === undefined || typeof v === 'string' ? undefined : bad(path, 'a string', v);
}

/** An enum: its name (protojson) or its number (legacy JSON). */
function enumValue(path: string, v: unknown): Problem | undefined {
  if (v === undefined || typeof v === 'string') return undefined;
  return integer(path, v, MAX_UINT32) && bad(path, 'an enum name or number', v);
}

function object(path: string, v: unknown): Problem | undefined {
  return v === undefined || isObj(v) ? undefined : bad(path, 'an object', v);
}

function strings(path: string, v: unknown): Problem | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return bad(path, 'a list of strings', v);
  for (let i = 0; i < v.length; i++)
    if (typeof v[i] !== 'string') return bad(`${path}[${i}]`, 'a string', v[i]);
  return undefined;
}

function bool(path: string, v: unknown): Problem | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  // google.protobuf.BoolValue in legacy JSON: {"value": true}
  if (isObj(v) && (v.value === undefined || typeof v.value === 'boolean')) return undefined;
  return bad(path, 'true or false', v);
}

function time(path: string, v: unknown): Problem | undefined {
  if (v === undefined || typeof v === 'string') return undefined;
  if (isObj(v)) {
    const s = v.seconds;
    if (
      s !== undefined &&
      !(typeof s === 'number' && Number.isInteger(s)) &&
      !(typeof s === 'string' && /^-?\d+$/.test(s))
    ) {
      return bad(`${path}.seconds`, 'an integer', s);
    }
    return integer(`${path}.nanos`, v.nanos, 999_999_999);
  }
  return bad(path, 'an RFC 3339 time', v);
}

function endpoint(path: string, v: unknown): Problem | undefined {
  if (!isObj(v)) return bad(path, 'an endpoint object', v);
  return under(
    path,
    integer('ID', v.ID, MAX_UINT32) ??
      integer('identity', v.identity, MAX_UINT32) ??
      string('cluster_name', v.cluster_name) ??
      string('namespace', v.namespace) ??
      strings('labels', v.labels) ??
      string('pod_name', v.pod_name) ??
      workloads('workloads', v.workloads),
  );
}

function workloads(path: string, v: unknown): Problem | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return bad(path, 'a list of workloads', v);
  for (let i = 0; i < v.length; i++) {
    const w = v[i];
    if (!isObj(w)) return bad(`${path}[${i}]`, 'an object', w);
    const e = string('name', w.name) ?? string('kind', w.kind);
    if (e) return under(`${path}[${i}]`, e);
  }
  return undefined;
}

function ports(path: string, v: unknown): Problem | undefined {
  if (!isObj(v)) return bad(path, 'an object', v);
  return under(
    path,
    integer('source_port', v.source_port, MAX_PORT) ??
      integer('destination_port', v.destination_port, MAX_PORT),
  );
}

function icmp(path: string, v: unknown): Problem | undefined {
  if (!isObj(v)) return bad(path, 'an object', v);
  return under(path, integer('type', v.type, MAX_UINT8) ?? integer('code', v.code, MAX_UINT8));
}

function tcpFlags(v: unknown): Problem | undefined {
  const flags = (v as Obj).flags;
  if (flags === undefined) return undefined;
  if (!isObj(flags)) return bad('TCP.flags', 'an object', flags);
  for (const k in flags) {
    const f = flags[k];
    if (typeof f !== 'boolean') return bad(`TCP.flags.${k}`, 'true or false', f);
  }
  return undefined;
}

/** The L4 oneof (`Protocol` wraps it in legacy JSON), paths below it. */
function l4Protocol(v: Obj): Problem | undefined {
  return (
    (v.TCP !== undefined ? (ports('TCP', v.TCP) ?? tcpFlags(v.TCP)) : undefined) ??
    (v.UDP !== undefined ? ports('UDP', v.UDP) : undefined) ??
    (v.SCTP !== undefined ? ports('SCTP', v.SCTP) : undefined) ??
    (v.ICMPv4 !== undefined ? icmp('ICMPv4', v.ICMPv4) : undefined) ??
    (v.ICMPv6 !== undefined ? icmp('ICMPv6', v.ICMPv6) : undefined) ??
    (v.VRRP !== undefined && !isObj(v.VRRP) ? bad('VRRP', 'an object', v.VRRP) : undefined) ??
    (v.IGMP !== undefined && !isObj(v.IGMP) ? bad('IGMP', 'an object', v.IGMP) : undefined)
  );
}

function l4(path: string, raw: unknown): Problem | undefined {
  if (raw === undefined) return undefined;
  if (!isObj(raw)) return bad(path, 'an object', raw);
  if (!('Protocol' in raw)) return under(path, l4Protocol(raw));
  if (!isObj(raw.Protocol)) return bad(`${path}.Protocol`, 'an object', raw.Protocol);
  return under(`${path}.Protocol`, l4Protocol(raw.Protocol));
}

function policies(path: string, v: unknown): Problem | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return bad(path, 'a list of policies', v);
  for (let i = 0; i < v.length; i++) {
    const p = v[i];
    if (!isObj(p)) return bad(`${path}[${i}]`, 'an object', p);
    const e = string('name', p.name) ?? string('namespace', p.namespace) ?? string('kind', p.kind);
    if (e) return under(`${path}[${i}]`, e);
  }
  return undefined;
}

function flowProblem(flow: Obj): Problem | undefined {
  const ip = flow.IP;
  const eventType = flow.event_type;
  return (
    endpoint('source', flow.source) ??
    endpoint('destination', flow.destination) ??
    time('time', flow.time) ??
    enumValue('verdict', flow.verdict) ??
    integer('drop_reason', flow.drop_reason, MAX_UINT32) ??
    enumValue('drop_reason_desc', flow.drop_reason_desc) ??
    object('IP', ip) ??
    (isObj(ip)
      ? under('IP', string('source', ip.source) ?? string('destination', ip.destination))
      : undefined) ??
    l4('l4', flow.l4) ??
    enumValue('Type', flow.Type) ??
    string('node_name', flow.node_name) ??
    strings('source_names', flow.source_names) ??
    strings('destination_names', flow.destination_names) ??
    bool('reply', flow.reply) ??
    bool('is_reply', flow.is_reply) ??
    object('event_type', eventType) ??
    (isObj(eventType)
      ? under(
          'event_type',
          integer('type', eventType.type, MAX_UINT32) ?? integer('sub_type', eventType.sub_type, MAX_UINT32),
        )
      : undefined) ??
    enumValue('traffic_direction', flow.traffic_direction) ??
    integer('policy_match_type', flow.policy_match_type, MAX_UINT32) ??
    enumValue('trace_observation_point', flow.trace_observation_point) ??
    enumValue('trace_reason', flow.trace_reason) ??
    policies('egress_denied_by', flow.egress_denied_by) ??
    policies('ingress_denied_by', flow.ingress_denied_by)
  );
}

/**
 * Checks the fields of a Flow object (`at` names it in messages: `flow` or the bare line);
 * returns the first problem as `` `flow.l4.TCP.destination_port`: expected ..., got ... ``.
 */
export function flowFieldProblem(flow: Obj, at: string): string | undefined {
  const p = under(at, flowProblem(flow));
  return p && `\`${p.path}\`: expected ${p.expected}, got ${describeValue(p.value)}`;
}
