import { ApiObject } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { isServiceName, L4_PROTOCOLS } from '../cilium/ports';
import { invalidProp } from './errors';

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
   * The port a Service forwards to: its `targetPort`, not the Service `port`.
   * Named target ports are resolved against the containers of `workload` when given,
   * else kept as named ports.
   *
   * @param service a cdk8s-plus Service (or any construct whose default child is a Service ApiObject)
   * @param servicePort which Service port (its number or name) @default the only port of the Service
   */
  static fromService(
    service: plus.Service | ApiObject,
    servicePort?: number | string,
    workload?: plus.AbstractPod,
  ): Port {
    return Port.fromServiceManifest(serviceManifest(service), servicePort, workload);
  }

  /** Like {@link fromService} for a Service given as a plain manifest. */
  static fromServiceManifest(
    manifest: any,
    servicePort?: number | string,
    workload?: plus.AbstractPod,
  ): Port {
    const name = manifest?.metadata?.name ?? '<service>';
    const ports: any[] = manifest?.spec?.ports ?? [];
    if (ports.length === 0)
      invalidProp('service', name, 'the Service has no ports', 'add a port to the Service');
    const chosen =
      servicePort === undefined
        ? ports.length === 1
          ? ports[0]
          : invalidProp(
              'servicePort',
              undefined,
              `Service ${name} has ${ports.length} ports`,
              `name one of ${ports.map((p) => p.name ?? p.port).join(', ')}`,
            )
        : ports.find((p) => p.port === servicePort || p.name === servicePort);
    if (!chosen) {
      invalidProp(
        'servicePort',
        servicePort,
        `Service ${name} has no such port`,
        `use one of ${ports.map((p) => p.name ?? p.port).join(', ')}`,
      );
    }
    const protocol = (chosen.protocol ?? 'TCP') as L4Protocol;
    const target = chosen.targetPort ?? chosen.port;
    if (typeof target === 'number') return new Port(target, protocol);
    if (/^\d+$/.test(String(target))) return new Port(Number(target), protocol);
    if (workload) {
      const resolved = containerPortNamed(workload, String(target));
      if (resolved === undefined) {
        invalidProp(
          'targetPort',
          target,
          `no container of ${workload.node.path} declares a port named ${target}`,
          'name the container port in the workload or use a numeric targetPort',
        );
      }
      return new Port(resolved, protocol);
    }
    return new Port(String(target), protocol);
  }

  private constructor(
    /** The port number, or the name of a container port. */
    readonly port: number | string,
    /** The protocol. */
    readonly protocol: L4Protocol,
    /** The last port of a range. */
    readonly endPort?: number,
    private readonly wildcard = false,
  ) {}

  /** @internal */
  _render(field: string): RenderedPort {
    if (!(L4_PROTOCOLS as readonly string[]).includes(this.protocol)) {
      invalidProp(
        `${field}.protocol`,
        this.protocol,
        'not a protocol of a Cilium port rule',
        'use L4Protocol.TCP, L4Protocol.UDP, L4Protocol.SCTP or L4Protocol.ANY',
      );
    }
    if (typeof this.port === 'number') {
      const min = this.wildcard ? 0 : 1;
      if (!Number.isInteger(this.port) || this.port < min || this.port > 65535) {
        invalidProp(
          `${field}.port`,
          this.port,
          'a port must be an integer from 1 to 65535',
          'give the container port (use Port.allPorts(protocol) for every port)',
        );
      }
      if (this.endPort !== undefined) {
        if (!Number.isInteger(this.endPort) || this.endPort <= this.port || this.endPort > 65535) {
          invalidProp(
            `${field}.endPort`,
            this.endPort,
            `a range must end above its start (${this.port}) and at most at 65535`,
            'give an endPort greater than port, or use a single port',
          );
        }
        return { port: String(this.port), endPort: this.endPort, protocol: this.protocol };
      }
      return { port: String(this.port), protocol: this.protocol };
    }
    const name = this.port.toLowerCase();
    if (!isServiceName(name)) {
      invalidProp(
        `${field}.port`,
        this.port,
        'not a valid port name (1-15 characters of a-z, 0-9 and inner single hyphens, with a letter)',
        'use the container port name, e.g. `http`, or a number',
      );
    }
    return { port: name, protocol: this.protocol };
  }
}

function serviceManifest(service: plus.Service | ApiObject): any {
  const apiObject = service instanceof ApiObject ? service : ApiObject.of(service);
  return apiObject.toJson();
}

function containerPortNamed(workload: plus.AbstractPod, name: string): number | undefined {
  for (const container of workload.containers) {
    const match = (container.ports ?? []).find((p) => p.name === name);
    if (match) return match.number;
  }
  return undefined;
}
