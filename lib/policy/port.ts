import { IConstruct } from 'constructs';
import { isServiceName, L4_PROTOCOLS } from '../cilium/ports';
import { readService, ServicePortRead, ServiceRead } from '../manifest/service';
import { containerPortNamed, PodTemplateWorkload } from '../manifest/workload';
import { invalidProp } from './errors';
import { isConstruct, synthesizedService, synthesizedWorkload } from './synthesized';

/** Protocols of a `toPorts` entry (Cilium's L4Proto). */
export enum L4Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
  /** TCP, UDP and SCTP (never ICMP). */
  ANY = 'ANY',
}

/** The protocol strings of a rendered port. */
export type PortProtocol = (typeof L4_PROTOCOLS)[number];

/** A rendered `toPorts[].ports[]` item. */
export interface RenderedPort {
  readonly port: string;
  readonly endPort?: number;
  readonly protocol: PortProtocol;
}

/**
 * A layer-4 port for a rule. Always the port the pod listens on (the container port / the
 * Service's `targetPort`): Cilium applies policy after service translation (docs/cilium-semantics.md, "Service port vs container port").
 */
export class Port {
  /** A TCP port. */
  static tcp(port: number): Port {
    return new Port(port, L4Protocol.TCP);
  }
  /** A UDP port. */
  static udp(port: number): Port {
    return new Port(port, L4Protocol.UDP);
  }
  /** An SCTP port. */
  static sctp(port: number): Port {
    return new Port(port, L4Protocol.SCTP);
  }
  /** The port on TCP, UDP and SCTP (`protocol: ANY`). */
  static any(port: number): Port {
    return new Port(port, L4Protocol.ANY);
  }
  /** A TCP range `port`..`endPort` (both inclusive). */
  static tcpRange(port: number, endPort: number): Port {
    return new Port(port, L4Protocol.TCP, endPort);
  }
  /** A UDP range `port`..`endPort` (both inclusive). */
  static udpRange(port: number, endPort: number): Port {
    return new Port(port, L4Protocol.UDP, endPort);
  }
  /** Every port of a protocol (`port: "0"`). No L7 rules can apply to it. */
  static allPorts(protocol: L4Protocol): Port {
    return new Port(0, protocol, undefined, true);
  }
  /**
   * A named container port (`http`). On ingress it resolves against the selected pods' own
   * container ports, on egress against the destination pods'.
   *
   * @param protocol @default L4Protocol.TCP
   */
  static named(name: string, protocol?: L4Protocol): Port {
    return new Port(name, protocol ?? L4Protocol.TCP);
  }

  /**
   * The port a Service forwards to: its `targetPort`, not the Service `port`, read from what the
   * Service construct synthesizes when the port is read (a cdk8s-plus Service of any version, an
   * `ApiObject` of kind Service, or an `Include` / `Helm` construct with exactly one Service).
   * Named target ports are resolved against the containers of `workload` when given, else kept
   * as named ports (Cilium resolves them against each selected pod's container ports).
   *
   * @param service the Service construct
   * @param servicePort which Service port (its number or name) @default the only port of the Service
   * @param workload the workload construct whose containers name the target port @default - none
   */
  static fromService(service: IConstruct, servicePort?: number | string, workload?: IConstruct): Port {
    if (!isConstruct(service))
      invalidProp(
        'service',
        typeof service,
        'not a construct',
        'pass the Service construct, e.g. Port.fromService(service)',
      );
    return Port.resolved(() =>
      targetPortOf(
        synthesizedService(service),
        servicePort,
        workload && { path: workload.node.path, read: synthesizedWorkload(workload) },
      ),
    );
  }

  /** Like {@link fromService} for a Service given as a plain manifest (resolved at once). */
  static fromServiceManifest(manifest: unknown, servicePort?: number | string, workload?: IConstruct): Port {
    const target = targetPortOf(
      readService(manifest),
      servicePort,
      workload && { path: workload.node.path, read: synthesizedWorkload(workload) },
    );
    return new Port(target.port, target.protocol);
  }

  private static resolved(source: () => TargetPort): Port {
    return new Port(0, L4Protocol.TCP, undefined, false, source);
  }

  private constructor(
    private readonly ownPort: number | string,
    private readonly ownProtocol: L4Protocol,
    readonly endPort?: number,
    private readonly wildcard = false,
    private readonly source?: () => TargetPort,
  ) {}

  /** The port number or name (for a Service's port, read from the Service when asked). */
  get port(): number | string {
    return this.source ? this.source().port : this.ownPort;
  }

  get protocol(): L4Protocol {
    return this.source ? this.source().protocol : this.ownProtocol;
  }

  /** @internal */
  _render(field: string): RenderedPort {
    const { port, protocol } = this;
    if (!(L4_PROTOCOLS as readonly string[]).includes(protocol)) {
      invalidProp(
        `${field}.protocol`,
        protocol,
        'not a protocol of a Cilium port rule',
        'use L4Protocol.TCP, L4Protocol.UDP, L4Protocol.SCTP or L4Protocol.ANY',
      );
    }
    if (typeof port === 'number') {
      const min = this.wildcard ? 0 : 1;
      if (!Number.isInteger(port) || port < min || port > 65535) {
        invalidProp(
          `${field}.port`,
          port,
          'a port must be an integer from 1 to 65535',
          'give the container port (use Port.allPorts(protocol) for every port)',
        );
      }
      if (this.endPort !== undefined) {
        if (!Number.isInteger(this.endPort) || this.endPort <= port || this.endPort > 65535) {
          invalidProp(
            `${field}.endPort`,
            this.endPort,
            `a range must end above its start (${port}) and at most at 65535`,
            'give an endPort greater than port, or use a single port',
          );
        }
        return { port: String(port), endPort: this.endPort, protocol };
      }
      return { port: String(port), protocol };
    }
    const name = port.toLowerCase();
    if (!isServiceName(name)) {
      invalidProp(
        `${field}.port`,
        port,
        'not a valid port name (1-15 characters of a-z, 0-9 and inner single hyphens, with a letter)',
        'use the container port name, e.g. `http`, or a number',
      );
    }
    return { port: name, protocol };
  }
}

interface TargetPort {
  readonly port: number | string;
  readonly protocol: L4Protocol;
}

function chosenServicePort(service: ServiceRead, servicePort: number | string | undefined): ServicePortRead {
  const ports = service.ports;
  const names = ports.map((p) => p.name ?? p.port).join(', ');
  if (ports.length === 0)
    invalidProp('service', service.name, 'the Service has no ports', 'add a port to the Service');
  if (servicePort === undefined) {
    if (ports.length === 1) return ports[0];
    invalidProp(
      'servicePort',
      undefined,
      `Service ${service.name} has ${ports.length} ports`,
      `name one of ${names}`,
    );
  }
  const chosen = ports.find((p) => p.port === servicePort || p.name === servicePort);
  if (!chosen)
    invalidProp(
      'servicePort',
      servicePort,
      `Service ${service.name} has no such port`,
      `use one of ${names}`,
    );
  return chosen;
}

/** The workload given to resolve a named targetPort must be one the Service forwards to. */
function requireSelected(
  service: ServiceRead,
  workload: { readonly path: string; readonly read: PodTemplateWorkload },
): void {
  const selector = service.selector ?? {};
  const missing = Object.entries(selector).filter(([k, v]) => workload.read.podLabels[k] !== v);
  if (missing.length === 0) return;
  invalidProp(
    'workload',
    workload.path,
    `Service ${service.name} selects ${Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}, which the pods of ${workload.path} do not carry`,
    'pass the workload the Service forwards to',
  );
}

/** The Service port's targetPort, a named one resolved against the workload's containers when given. */
function targetPortOf(
  service: ServiceRead,
  servicePort: number | string | undefined,
  workload: { readonly path: string; readonly read: PodTemplateWorkload } | undefined,
): TargetPort {
  const chosen = chosenServicePort(service, servicePort);
  const protocol = chosen.protocol as L4Protocol;
  const target = chosen.targetPort;
  if (typeof target === 'number') return { port: target, protocol };
  if (/^\d+$/.test(target)) return { port: Number(target), protocol };
  if (!workload) return { port: target, protocol };
  requireSelected(service, workload);
  const resolved = containerPortNamed(workload.read, target);
  if (resolved === undefined) {
    invalidProp(
      'targetPort',
      target,
      `no container of ${workload.path} declares a port named ${target}`,
      'name the container port in the workload or use a numeric targetPort',
    );
  }
  return { port: resolved.containerPort, protocol };
}
