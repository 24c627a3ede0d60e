import { parseFlowPort, PeerSyntaxError } from '../engine/peer-syntax';
import { FlowProtocol } from '../engine/types';
import { MatrixPort } from './model';

/** `80/TCP`, `ICMPv4:8`, `VRRP`: the `--ports` syntax, which `parsePortList` reads back. */
export function formatPort(protocol: FlowProtocol, port?: number, icmpType?: number): string {
  if (protocol === 'ICMPv4' || protocol === 'ICMPv6')
    return icmpType === undefined ? protocol : `${protocol}:${icmpType}`;
  return port === undefined ? protocol : `${port}/${protocol}`;
}

export function matrixPort(protocol: FlowProtocol, port?: number, icmpType?: number): MatrixPort {
  return {
    protocol,
    text: formatPort(protocol, port, icmpType),
    ...(port !== undefined ? { port } : {}),
    ...(icmpType !== undefined ? { icmpType } : {}),
  };
}

/**
 * Parses `80/TCP,5432/TCP,53/UDP,icmp`. Throws PeerSyntaxError naming the bad item.
 * A port without protocol is TCP.
 */
export function parsePortList(text: string): MatrixPort[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new PeerSyntaxError(`bad port list "${text}": empty item; expected e.g. 80/TCP,5432/TCP,53/UDP`);
  return items.map((item) => {
    const p = parseFlowPort(item);
    return matrixPort(p.protocol, p.port, p.icmpType);
  });
}
