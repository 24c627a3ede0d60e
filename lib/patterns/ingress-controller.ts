import * as plus from 'cdk8s-plus-28';
import { Entity } from '../policy/entity';
import { Peer } from '../policy/peer';
import { invalidProp } from '../policy/errors';
import { EndpointSelector } from '../policy/selector';

export interface TraefikOptions {
  /** Namespace Traefik runs in. @default 'traefik' */
  readonly namespace?: string;
  /** The chart's `app.kubernetes.io/instance` label, `<release>-<namespace>`. @default `traefik-<namespace>` */
  readonly instance?: string;
}

export interface IngressNginxOptions {
  /** Namespace ingress-nginx runs in. @default 'ingress-nginx' */
  readonly namespace?: string;
  /** The controller's `app.kubernetes.io/instance` label. @default 'ingress-nginx' */
  readonly instance?: string;
}

/** Where ingress traffic comes from: the cluster's ingress controller. */
export class IngressController {
  /** Traefik installed by its Helm chart (namespace + instance label). */
  static traefik(options: TraefikOptions = {}): IngressController {
    const namespace = options.namespace ?? 'traefik';
    return new IngressController('traefik', Peer.endpoints(EndpointSelector.labels(
      { 'app.kubernetes.io/instance': options.instance ?? `traefik-${namespace}` }, { namespace })));
  }

  /** The ingress-nginx controller pods. */
  static ingressNginx(options: IngressNginxOptions = {}): IngressController {
    return new IngressController('ingress-nginx', Peer.endpoints(EndpointSelector.labels({
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/instance': options.instance ?? 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
    }, { namespace: options.namespace ?? 'ingress-nginx' })));
  }

  /** Cilium's own Ingress / Gateway API Envoy (the `ingress` entity). */
  static cilium(): IngressController {
    return new IngressController('cilium-ingress', Peer.entities(Entity.INGRESS));
  }

  /** Any other controller, by selector or cdk8s-plus workload (give it a namespace). */
  static fromSelector(selector: EndpointSelector | plus.IPodSelector): IngressController {
    return new IngressController('custom', Peer.endpoints(selector));
  }

  private constructor(readonly name: string, readonly peer: Peer) {}

  /** @internal A controller lives in its own namespace: a selector without one would silently mean the app's. */
  _validate(field: string): void {
    if (!this.peer.namesNamespaces) {
      invalidProp(field, this.name, 'the ingress controller selector names no namespace, so it would only match pods in the app\'s own namespace',
        'give the selector a namespace, e.g. EndpointSelector.labels({...}, { namespace: "edge" })');
    }
  }
}
