/**
 * The part of Hubble's `Flow` message (api/v1/flow/flow.proto) that replay reads, as
 * `hubble observe -o json` prints it: protojson with proto field names, enums as strings,
 * uint64 as strings, `is_reply` as a BoolValue. `normalizeFlow` also accepts the legacy
 * bare-Flow JSON (Go `encoding/json` of the generated structs: numeric enums, the `l4`
 * oneof under `Protocol`, Timestamp as `{seconds, nanos}`, `is_reply` as `{value}`).
 */

export interface HubbleEndpoint {
  readonly ID?: number;
  readonly identity?: number;
  readonly cluster_name?: string;
  readonly namespace?: string;
  readonly labels?: readonly string[];
  readonly pod_name?: string;
  readonly workloads?: ReadonlyArray<{ readonly name?: string; readonly kind?: string }>;
}

export interface HubblePorts {
  readonly source_port?: number;
  readonly destination_port?: number;
}

export interface HubbleL4 {
  readonly TCP?: HubblePorts & { readonly flags?: Readonly<Record<string, boolean>> };
  readonly UDP?: HubblePorts;
  readonly SCTP?: HubblePorts & { readonly chunk_type?: string };
  readonly ICMPv4?: { readonly type?: number; readonly code?: number };
  readonly ICMPv6?: { readonly type?: number; readonly code?: number };
  readonly VRRP?: { readonly type?: number };
  readonly IGMP?: { readonly type?: number };
}

export interface HubbleFlow {
  readonly time?: string;
  readonly verdict?: string;
  readonly drop_reason?: number;
  readonly drop_reason_desc?: string;
  readonly IP?: { readonly source?: string; readonly destination?: string; readonly ipVersion?: string };
  readonly l4?: HubbleL4;
  readonly source?: HubbleEndpoint;
  readonly destination?: HubbleEndpoint;
  readonly Type?: string;
  readonly node_name?: string;
  readonly source_names?: readonly string[];
  readonly destination_names?: readonly string[];
  readonly l7?: unknown;
  readonly reply?: boolean;
  readonly is_reply?: boolean;
  readonly event_type?: { readonly type?: number; readonly sub_type?: number };
  readonly traffic_direction?: string;
  readonly policy_match_type?: number;
  readonly trace_observation_point?: string;
  readonly trace_reason?: string;
  readonly egress_denied_by?: readonly HubblePolicy[];
  readonly ingress_denied_by?: readonly HubblePolicy[];
}

/** A policy Hubble names on a flow (`egress_denied_by`, `ingress_denied_by` ...). */
export interface HubblePolicy {
  readonly name?: string;
  readonly namespace?: string;
  readonly kind?: string;
}

const VERDICTS = [
  'VERDICT_UNKNOWN',
  'FORWARDED',
  'DROPPED',
  'ERROR',
  'AUDIT',
  'REDIRECTED',
  'TRACED',
  'TRANSLATED',
];
const FLOW_TYPES = ['UNKNOWN_TYPE', 'L3_L4', 'L7', 'SOCK'];
const DIRECTIONS = ['TRAFFIC_DIRECTION_UNKNOWN', 'INGRESS', 'EGRESS'];
const TRACE_REASONS = [
  'TRACE_REASON_UNKNOWN',
  'NEW',
  'ESTABLISHED',
  'REPLY',
  'RELATED',
  'REOPENED',
  'SRV6_ENCAP',
  'SRV6_DECAP',
  'ENCRYPT_OVERLAY',
];
const OBSERVATION_POINTS: Record<number, string> = {
  0: 'UNKNOWN_POINT',
  1: 'TO_PROXY',
  2: 'TO_HOST',
  3: 'TO_STACK',
  4: 'TO_OVERLAY',
  101: 'TO_ENDPOINT',
  5: 'FROM_ENDPOINT',
  6: 'FROM_PROXY',
  7: 'FROM_HOST',
  8: 'FROM_STACK',
  9: 'FROM_OVERLAY',
  10: 'FROM_NETWORK',
  11: 'TO_NETWORK',
  12: 'FROM_CRYPTO',
  13: 'TO_CRYPTO',
};

/** DropReason values replay needs by name (flow.proto). */
export const DROP_REASON_NAMES: Readonly<Record<number, string>> = {
  132: 'INVALID_SOURCE_IP',
  133: 'POLICY_DENIED',
  134: 'INVALID_PACKET_DROPPED',
  135: 'CT_TRUNCATED_OR_INVALID_HEADER',
  136: 'CT_MISSING_TCP_ACK_FLAG',
  137: 'CT_UNKNOWN_L4_PROTOCOL',
  139: 'UNSUPPORTED_L3_PROTOCOL',
  151: 'STALE_OR_UNROUTABLE_IP',
  158: 'SERVICE_BACKEND_NOT_FOUND',
  163: 'UNKNOWN_CONNECTION_TRACKING_STATE',
  171: 'INVALID_IDENTITY',
  181: 'POLICY_DENY',
  189: 'AUTH_REQUIRED',
  196: 'TTL_EXCEEDED',
  198: 'DROP_RATE_LIMITED',
  202: 'DROP_HOST_NOT_READY',
  203: 'DROP_EP_NOT_READY',
};

function enumName(value: unknown, names: readonly string[] | Record<number, string>): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return (names as Readonly<Record<number, string>>)[value] ?? String(value);
  return undefined;
}

function boolValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value && typeof value === 'object') return (value as { value?: unknown }).value === true;
  return undefined;
}

function timestamp(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const { seconds, nanos } = value as { seconds?: number | string; nanos?: number };
    const ms = Number(seconds ?? 0) * 1000;
    if (!Number.isFinite(ms)) return undefined;
    const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');
    return `${iso}.${String(nanos ?? 0).padStart(9, '0')}Z`;
  }
  return undefined;
}

/** Puts a protojson or legacy-JSON Flow into the protojson shape; returns the same object when nothing differs. */
export function normalizeFlow(raw: Record<string, unknown>): HubbleFlow {
  const legacy =
    typeof raw.verdict === 'number' ||
    typeof raw.Type === 'number' ||
    typeof raw.traffic_direction === 'number' ||
    (raw.time !== undefined && typeof raw.time !== 'string') ||
    (raw.is_reply !== undefined && typeof raw.is_reply !== 'boolean') ||
    isProtocolWrapper(raw.l4) ||
    typeof raw.drop_reason_desc === 'number' ||
    typeof raw.trace_observation_point === 'number' ||
    typeof raw.trace_reason === 'number';
  if (!legacy) return raw as HubbleFlow;
  return {
    ...raw,
    time: timestamp(raw.time),
    verdict: enumName(raw.verdict, VERDICTS),
    Type: enumName(raw.Type, FLOW_TYPES),
    traffic_direction: enumName(raw.traffic_direction, DIRECTIONS),
    drop_reason_desc: enumName(raw.drop_reason_desc, DROP_REASON_NAMES),
    trace_observation_point: enumName(raw.trace_observation_point, OBSERVATION_POINTS),
    trace_reason: enumName(raw.trace_reason, TRACE_REASONS),
    is_reply: boolValue(raw.is_reply),
    l4: isProtocolWrapper(raw.l4) ? raw.l4.Protocol : raw.l4,
  } as HubbleFlow;
}

/** Legacy JSON puts the `l4` oneof under `Protocol`. */
function isProtocolWrapper(l4: unknown): l4 is { Protocol: unknown } {
  return !!l4 && typeof l4 === 'object' && 'Protocol' in l4;
}
