import { Port } from '../policy/port';
import { EndpointSelector } from '../policy/selector';

/** This library's vocabulary as TypeScript source, for the fixes synth errors propose. */

export function tsSelector(selector: EndpointSelector): string {
  const labels = Object.keys(selector.matchLabels)
    .sort()
    .map((k) => `${tsKey(k)}: ${JSON.stringify(selector.matchLabels[k])}`);
  const options = [
    ...(selector.namespace ? [`namespace: ${JSON.stringify(selector.namespace)}`] : []),
    ...(selector.matchExpressions.length
      ? [
          `expressions: [${selector.matchExpressions
            .map((e) => {
              const op = { In: 'in', NotIn: 'notIn', Exists: 'exists', DoesNotExist: 'doesNotExist' }[
                e.operator
              ];
              return `LabelExpression.${op}(${JSON.stringify(e.key)}${e.values ? `, ${JSON.stringify([...e.values].sort())}` : ''})`;
            })
            .join(', ')}]`,
        ]
      : []),
  ];
  if (labels.length === 0 && selector.matchExpressions.length === 0 && selector.namespace) {
    return `EndpointSelector.allInNamespace(${JSON.stringify(selector.namespace)})`;
  }
  return `EndpointSelector.labels({ ${labels.join(', ')} }${options.length ? `, { ${options.join(', ')} }` : ''})`;
}

export function tsEntity(name: string): string {
  return `Entity.${name.toUpperCase().replace(/-/g, '_')}`;
}

export function tsPort(port: Port): string {
  if (typeof port.port === 'string')
    return `Port.named(${JSON.stringify(port.port)}${port.protocol === 'TCP' ? '' : `, '${port.protocol}'`})`;
  if (port.port === 0) return `Port.allPorts('${port.protocol}')`;
  if (port.endPort !== undefined)
    return `Port.${port.protocol.toLowerCase()}Range(${port.port}, ${port.endPort})`;
  return `Port.${port.protocol === 'ANY' ? 'any' : port.protocol.toLowerCase()}(${port.port})`;
}

export function tsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function tsKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : `'${key}'`;
}
