import { IConstruct } from 'constructs';
import { Entity } from '../policy/entity';
import { endpointSelectorsOf, IPeer, Peer } from '../policy/peer';
import { invalidProp } from '../policy/errors';
import { Port } from '../policy/port';
import { EndpointSelector } from '../policy/selector';
import { tsSelector } from './typescript';

/** Options of `IngressController.traefik`. */
export interface TraefikOptions {
  /** Namespace Traefik runs in. @default 'traefik' */
  readonly namespace?: string;
  /** The chart's `app.kubernetes.io/instance` label, `<release>-<namespace>`. @default `traefik-<namespace>` */
  readonly instance?: string;
  /** The entrypoints' container ports. @default the chart's `web` (8000/TCP) and `websecure` (8443/TCP) */
  readonly entrypoints?: Port[];
}

/** Options of `IngressController.ingressNginx`. */
export interface IngressNginxOptions {
  /** Namespace ingress-nginx runs in. @default 'ingress-nginx' */
  readonly namespace?: string;
  /** The controller's `app.kubernetes.io/instance` label. @default 'ingress-nginx' */
  readonly instance?: string;
  /** The controller's container ports for clients. @default 80/TCP and 443/TCP */
  readonly entrypoints?: Port[];
}

/** Options of `IngressController.fromSelector`. */
export interface CustomIngressControllerOptions {
  /** The controller's container ports for clients. @default - none: IngressControllerPolicy then needs `entrypoints` */
  readonly entrypoints?: Port[];
  /** Its metrics port. @default - none */
  readonly metricsPorts?: Port[];
}

/** Where ingress traffic comes from: the cluster's ingress controller. */
export class IngressController {
  /**
   * Traefik installed by its Helm chart: pods labelled `app.kubernetes.io/name: traefik` and
   * `app.kubernetes.io/instance: <release>-<namespace>`; entrypoints `web` 8000 and `websecure` 8443,
   * metrics on 9100 (the chart's container ports).
   */
  static traefik(options: TraefikOptions = {}): IngressController {
    const namespace = options.namespace ?? 'traefik';
    return new IngressController(
      'traefik',
      Peer.endpoints(
        EndpointSelector.labels(
          { 'app.kubernetes.io/instance': options.instance ?? `traefik-${namespace}` },
          { namespace },
        ),
      ),
      {
        entrypoints: options.entrypoints ?? [Port.tcp(8000), Port.tcp(8443)],
        metricsPorts: [Port.tcp(9100)],
        preset: `IngressController.traefik(${presetOptions({ namespace: options.namespace, instance: options.instance })})`,
      },
    );
  }

  /**
   * The ingress-nginx controller pods (its chart's labels): clients on 80 and 443, metrics on
   * 10254, and the admission webhook on 8443, which the API server calls.
   */
  static ingressNginx(options: IngressNginxOptions = {}): IngressController {
    return new IngressController(
      'ingress-nginx',
      Peer.endpoints(
        EndpointSelector.labels(
          {
            'app.kubernetes.io/name': 'ingress-nginx',
            'app.kubernetes.io/instance': options.instance ?? 'ingress-nginx',
            'app.kubernetes.io/component': 'controller',
          },
          { namespace: options.namespace ?? 'ingress-nginx' },
        ),
      ),
      {
        entrypoints: options.entrypoints ?? [Port.tcp(80), Port.tcp(443)],
        metricsPorts: [Port.tcp(10254)],
        webhookPorts: [Port.tcp(8443)],
        preset: `IngressController.ingressNginx(${presetOptions({ namespace: options.namespace, instance: options.instance })})`,
      },
    );
  }

  /** Cilium's own Ingress / Gateway API Envoy (the `ingress` entity). */
  static cilium(): IngressController {
    return new IngressController('cilium-ingress', Peer.entities(Entity.INGRESS), {
      entrypoints: [],
      metricsPorts: [],
      preset: 'IngressController.cilium()',
    });
  }

  /** Any other controller, by selector or workload construct (give it a namespace). */
  static fromSelector(
    selector: EndpointSelector | IConstruct,
    options: CustomIngressControllerOptions = {},
  ): IngressController {
    const s = EndpointSelector.of(selector);
    return new IngressController('custom', Peer.endpoints(s), {
      entrypoints: options.entrypoints ?? [],
      metricsPorts: options.metricsPorts ?? [],
      preset: `IngressController.fromSelector(${tsSelector(s)})`,
    });
  }

  /** The container ports clients reach the controller on. */
  readonly entrypoints: Port[];
  /** Its metrics ports (for Prometheus). */
  readonly metricsPorts: Port[];
  /** Ports of its admission webhook, which the API server calls. */
  readonly webhookPorts: Port[];
  /** @internal How to write this controller in TypeScript. */
  readonly _preset: string;

  private constructor(
    /** A name for messages and descriptions, e.g. `traefik`. */
    readonly name: string,
    /** The controller's pods as a policy peer. */
    readonly peer: IPeer,
    options: {
      entrypoints: Port[];
      metricsPorts: Port[];
      webhookPorts?: Port[];
      preset: string;
    },
  ) {
    this.entrypoints = options.entrypoints;
    this.metricsPorts = options.metricsPorts;
    this.webhookPorts = options.webhookPorts ?? [];
    this._preset = options.preset;
  }

  /** The controller's pods, when it runs as pods (every controller but Cilium's own). */
  get pods(): EndpointSelector | undefined {
    return endpointSelectorsOf(this.peer)[0];
  }

  /** @internal Identifies the controller across constructs of one app (same pods, same controller). */
  get _key(): string {
    // A controller never changes: every app routed to it reads the same key.
    if (this.key === undefined) {
      const pods = this.pods;
      this.key = pods ? JSON.stringify(pods._render('ingressController')) : this.name;
    }
    return this.key;
  }
  private key?: string;

  /** @internal A controller lives in its own namespace: a selector without one would silently mean the app's. */
  _validate(field: string): void {
    if (!(this instanceof IngressController)) {
      invalidProp(
        field,
        this,
        'not an IngressController',
        'use IngressController.traefik(), .ingressNginx(), .cilium() or .fromSelector(...)',
      );
    }
    if (!this.peer.namesNamespaces) {
      invalidProp(
        field,
        this.name,
        "the ingress controller selector names no namespace, so it would only match pods in the app's own namespace",
        'give the selector a namespace, e.g. EndpointSelector.labels({...}, { namespace: "edge" })',
      );
    }
  }
}

function presetOptions(options: Record<string, string | undefined>): string {
  const set = Object.entries(options).filter(([, v]) => v !== undefined);
  return set.length ? `{ ${set.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} }` : '';
}
