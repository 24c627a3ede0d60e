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

/** `flow.source.labels[2]`: expected a string, got number 5. */
function bad(path: string, expected: string, value: unknown): string {
  return `\`${path}\`: expected ${expected}, got ${describeValue(value)}`;
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

function integer(path: string, v: unknown, max: number): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    return bad(path, `an integer from 0 to ${max}`, v);
  return undefined;
}

function string(path: string, v: unknown): string | undefined {
  return v === undefined || typeof v === 'string' ? undefined : bad(path, 'a string', v);
}

/** An enum: its name (protojson) or its number (legacy JSON). */
function enumValue(path: string, v: unknown): string | undefined {
  if (v === undefined || typeof v === 'string') return undefined;
  return integer(path, v, MAX_UINT32) && bad(path, 'an enum name or number', v);
}

function object(path: string, v: unknown): string | undefined {
  return v === undefined || isObj(v) ? undefined : bad(path, 'an object', v);
}

function strings(path: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return bad(path, 'a list of strings', v);
  for (let i = 0; i < v.length; i++)
    if (typeof v[i] !== 'string') return bad(`${path}[${i}]`, 'a string', v[i]);
  return undefined;
}

function bool(path: string, v: unknown): string | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  // google.protobuf.BoolValue in legacy JSON: {"value": true}
  if (isObj(v) && (v.value === undefined || typeof v.value === 'boolean')) return undefined;
  return bad(path, 'true or false', v);
}

function time(path: string, v: unknown): string | undefined {
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

function endpoint(path: string, v: unknown): string | undefined {
  if (!isObj(v)) return bad(path, 'an endpoint object', v);
  return (
    integer(`${path}.ID`, v.ID, MAX_UINT32) ??
    integer(`${path}.identity`, v.identity, MAX_UINT32) ??
    string(`${path}.cluster_name`, v.cluster_name) ??
    string(`${path}.namespace`, v.namespace) ??
    strings(`${path}.labels`, v.labels) ??
    string(`${path}.pod_name`, v.pod_name) ??
    workloads(`${path}.workloads`, v.workloads)
  );
}

function workloads(path: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return bad(path, 'a list of workloads', v);
  for (let i = 0; i < v.length; i++) {
    const w = v[i];
    if (!isObj(w)) return bad(`${path}[${i}]`, 'an object', w);
    const e = string(`${path}[${i}].name`, w.name) ?? string(`${path}[${i}].kind`, w.kind);
    if (e) return e;
  }
  return undefined;
}

function ports(path: string, v: unknown): string | undefined {
  if (!isObj(v)) return bad(path, 'an object', v);
  return (
    integer(`${path}.source_port`, v.source_port, MAX_PORT) ??
    integer(`${path}.destination_port`, v.destination_port, MAX_PORT)
  );
}

function icmp(path: string, v: unknown): string | undefined {
  if (!isObj(v)) return bad(path, 'an object', v);
  return integer(`${path}.type`, v.type, MAX_UINT8) ?? integer(`${path}.code`, v.code, MAX_UINT8);
}

function l4(path: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (!isObj(raw)) return bad(path, 'an object', raw);
  let v: Obj = raw;
  let at = path;
  if ('Protocol' in raw) {
    if (!isObj(raw.Protocol)) return bad(`${path}.Protocol`, 'an object', raw.Protocol);
    v = raw.Protocol;
    at = `${path}.Protocol`;
  }
  if (v.TCP !== undefined) {
    const e = ports(`${at}.TCP`, v.TCP);
    if (e) return e;
    const flags = (v.TCP as Obj).flags;
    if (flags !== undefined) {
      if (!isObj(flags)) return bad(`${at}.TCP.flags`, 'an object', flags);
      for (const [k, f] of Object.entries(flags))
        if (typeof f !== 'boolean') return bad(`${at}.TCP.flags.${k}`, 'true or false', f);
    }
  }
  if (v.UDP !== undefined) {
    const e = ports(`${at}.UDP`, v.UDP);
    if (e) return e;
  }
  if (v.SCTP !== undefined) {
    const e = ports(`${at}.SCTP`, v.SCTP);
    if (e) return e;
  }
  for (const k of ['ICMPv4', 'ICMPv6'] as const) {
    if (v[k] !== undefined) {
      const e = icmp(`${at}.${k}`, v[k]);
      if (e) return e;
    }
  }
  for (const k of ['VRRP', 'IGMP'] as const) {
    if (v[k] !== undefined && !isObj(v[k])) return bad(`${at}.${k}`, 'an object', v[k]);
  }
  return undefined;
}

function policies(path: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return bad(path, 'a list of policies', v);
  for (let i = 0; i < v.length; i++) {
    const p = v[i];
    if (!isObj(p)) return bad(`${path}[${i}]`, 'an object', p);
    const e =
      string(`${path}[${i}].name`, p.name) ??
      string(`${path}[${i}].namespace`, p.namespace) ??
      string(`${path}[${i}].kind`, p.kind);
    if (e) return e;
  }
  return undefined;
}

/**
 * Checks the fields of a Flow object (`at` names it in messages: `flow` or the bare line);
 * returns the first problem as `` `flow.l4.TCP.destination_port`: expected ..., got ... ``.
 */
export function flowFieldProblem(flow: Obj, at: string): string | undefined {
  const ip = flow.IP;
  const eventType = flow.event_type;
  return (
    endpoint(`${at}.source`, flow.source) ??
    endpoint(`${at}.destination`, flow.destination) ??
    time(`${at}.time`, flow.time) ??
    enumValue(`${at}.verdict`, flow.verdict) ??
    integer(`${at}.drop_reason`, flow.drop_reason, MAX_UINT32) ??
    enumValue(`${at}.drop_reason_desc`, flow.drop_reason_desc) ??
    object(`${at}.IP`, ip) ??
    (isObj(ip)
      ? (string(`${at}.IP.source`, ip.source) ?? string(`${at}.IP.destination`, ip.destination))
      : undefined) ??
    l4(`${at}.l4`, flow.l4) ??
    enumValue(`${at}.Type`, flow.Type) ??
    string(`${at}.node_name`, flow.node_name) ??
    strings(`${at}.source_names`, flow.source_names) ??
    strings(`${at}.destination_names`, flow.destination_names) ??
    bool(`${at}.reply`, flow.reply) ??
    bool(`${at}.is_reply`, flow.is_reply) ??
    object(`${at}.event_type`, eventType) ??
    (isObj(eventType)
      ? (integer(`${at}.event_type.type`, eventType.type, MAX_UINT32) ??
        integer(`${at}.event_type.sub_type`, eventType.sub_type, MAX_UINT32))
      : undefined) ??
    enumValue(`${at}.traffic_direction`, flow.traffic_direction) ??
    integer(`${at}.policy_match_type`, flow.policy_match_type, MAX_UINT32) ??
    enumValue(`${at}.trace_observation_point`, flow.trace_observation_point) ??
    enumValue(`${at}.trace_reason`, flow.trace_reason) ??
    policies(`${at}.egress_denied_by`, flow.egress_denied_by) ??
    policies(`${at}.ingress_denied_by`, flow.ingress_denied_by)
  );
}
