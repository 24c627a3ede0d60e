import { asArray } from '../../util/shape';
import { parsePort, protocolsCovered } from '../../cilium/ports';
import { ElementRef, hasL3, portRulesOf, portsOf } from './walk';

/** `{}`: no peer and no port field. It allows nothing; it only turns on default-deny (1.4). */
export function isEmptyElement(el: ElementRef): boolean {
  return !hasL3(el) && el.element.toPorts === undefined && el.element.icmps === undefined;
}

/** Whether an element's L4 part covers (protocol, port); no toPorts means every port. */
export function elementCoversPort(el: ElementRef, protocol: string, port: number): boolean {
  if (isEmptyElement(el)) return false;
  if (el.element.toPorts === undefined && el.element.icmps === undefined) return true;
  return portRulesOf(el).some((pr) =>
    portsOf(pr).some((p) => {
      if (!protocolsCovered(p.port.protocol).includes(protocol)) return false;
      const start = parsePort(p.port.port);
      if (start.kind !== 'number') return false;
      if (start.value === 0) return true;
      const end =
        typeof p.port.endPort === 'number' && p.port.endPort > start.value ? p.port.endPort : start.value;
      return port >= start.value && port <= end;
    }),
  );
}

/** Whether an element allows one of the given entities: listed, implied by `all`, or port-only (any peer). */
export function elementAllowsEntity(el: ElementRef, entities: readonly string[]): boolean {
  if (isEmptyElement(el)) return false;
  if (!hasL3(el)) return true;
  const field = el.direction === 'ingress' ? 'fromEntities' : 'toEntities';
  const listed = asArray(el.element[field]);
  return listed.includes('all') || entities.some((e) => listed.includes(e));
}
