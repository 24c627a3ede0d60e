import { HubbleFlow, normalizeFlow } from './flow-json';
import { describeValue, flowFieldProblem } from './validate-flow';

/** What one line of a flow export holds. */
export type LineRecord =
  | { readonly kind: 'flow'; readonly flow: HubbleFlow; readonly nodeName?: string; readonly time?: string }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Keys of the Flow message; an object with any of them and no envelope key is a bare (legacy) Flow. */
const FLOW_KEYS = [
  'source',
  'destination',
  'verdict',
  'IP',
  'l4',
  'Type',
  'event_type',
  'uuid',
  'traffic_direction',
];

export const SKIP_NODE_STATUS = 'node_status event';
export const SKIP_LOST_EVENTS = 'lost_events event (Hubble dropped events: the export is incomplete)';

/**
 * Parses one line: a `GetFlowsResponse` envelope (`hubble observe -o json|jsonpb`, the Hubble
 * exporter) or a bare Flow (legacy JSON output). Never throws.
 */
export function parseLine(text: string, terminated = true): LineRecord | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return {
      kind: 'malformed',
      reason: terminated
        ? `invalid JSON (${(e as Error).message})`
        : 'truncated last line (no line break, invalid JSON)',
    };
  }
  return lineRecord(value);
}

/** What `JSON.parse` of a line could not read (see `parseJson`). */
export const INVALID_JSON: unique symbol = Symbol('invalid JSON');

/**
 * `JSON.parse` of a line, or `INVALID_JSON`: a chunk's lines are parsed a few at a time,
 * then judged (`lineRecord`; `parseLine` says why a line is not JSON).
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

/** What a line holds, from its parsed JSON value. */
export function lineRecord(value: unknown): LineRecord {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'malformed', reason: 'not a JSON object' };
  }
  const obj = value as Record<string, unknown>;
  if ('flow' in obj) {
    if (!isObject(obj.flow)) return { kind: 'malformed', reason: '`flow` is not an object' };
    if (obj.node_name !== undefined && typeof obj.node_name !== 'string')
      return {
        kind: 'malformed',
        reason: `\`node_name\`: expected a string, got ${describeValue(obj.node_name)}`,
      };
    if (obj.time !== undefined && typeof obj.time !== 'string')
      return {
        kind: 'malformed',
        reason: `\`time\`: expected an RFC 3339 time, got ${describeValue(obj.time)}`,
      };
    return flowRecord(obj.flow, 'flow', str(obj.node_name), str(obj.time));
  }
  if ('node_status' in obj) return { kind: 'skip', reason: SKIP_NODE_STATUS };
  if ('lost_events' in obj) return { kind: 'skip', reason: SKIP_LOST_EVENTS };
  if (FLOW_KEYS.some((k) => k in obj)) return flowRecord(obj, 'flow', undefined, undefined);
  return {
    kind: 'malformed',
    reason: 'neither a GetFlowsResponse (`flow`, `node_status`, `lost_events`) nor a Flow',
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function flowRecord(
  raw: Record<string, unknown>,
  at: string,
  envelopeNode: string | undefined,
  envelopeTime: string | undefined,
): LineRecord {
  if (raw.source === undefined || raw.destination === undefined) {
    return { kind: 'malformed', reason: 'flow has no `source` or `destination` endpoint' };
  }
  const problem = flowFieldProblem(raw, at);
  if (problem) return { kind: 'malformed', reason: problem };
  const flow = normalizeFlow(raw);
  return { kind: 'flow', flow, nodeName: flow.node_name ?? envelopeNode, time: flow.time ?? envelopeTime };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
