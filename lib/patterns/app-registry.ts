import { IConstruct } from 'constructs';
import { Port } from '../policy/port';
import { EndpointSelector } from '../policy/selector';
import { ConnectionEnd } from './connection-end';

/** A connection a construct means to allow; verified against the app's policies at synth. */
export interface DeclaredConnection {
  readonly from: ConnectionEnd;
  readonly to: ConnectionEnd;
  readonly ports: Port[];
  /** The construct that declared it (its path leads the synth error). */
  readonly declaredBy: IConstruct;
  /** The fix to propose, as TypeScript, when a side drops it. @default - a `Connection` that writes that side */
  readonly fix?: { readonly egress?: () => string | undefined; readonly ingress?: () => string | undefined };
}

/** Pods an ingress controller forwards to, registered by the patterns that name the controller. */
export interface IngressBackend {
  readonly pods: EndpointSelector;
  readonly ports: Port[];
  readonly registeredBy: IConstruct;
}

/** An egress default deny written in this app, and the namespaces it leaves alone. */
export interface EgressDefaultDeny {
  readonly exemptNamespaces: ReadonlySet<string>;
  readonly declaredBy: IConstruct;
}

/** What the constructs of one app tell each other, kept on the app's root construct. */
export class AppRegistry {
  /** The registry of the app `scope` belongs to. */
  static of(scope: IConstruct): AppRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) REGISTRIES.set(root, (registry = new AppRegistry(root)));
    return registry;
  }

  readonly connections: DeclaredConnection[] = [];
  readonly egressDefaultDenies: EgressDefaultDeny[] = [];
  private readonly backends = new Map<string, IngressBackend[]>();
  private readonly controllerPolicies = new Map<string, IConstruct>();
  /** Set once the synth-time verification is attached to the root. */
  verifierInstalled = false;

  private constructor(readonly root: IConstruct) {}

  declare(connection: DeclaredConnection): void {
    this.connections.push(connection);
  }

  registerBackend(controllerKey: string, backend: IngressBackend): void {
    const list = this.backends.get(controllerKey);
    if (list) list.push(backend);
    else this.backends.set(controllerKey, [backend]);
  }

  backendsOf(controllerKey: string): IngressBackend[] {
    return this.backends.get(controllerKey) ?? [];
  }

  registerControllerPolicy(controllerKey: string, policy: IConstruct): IConstruct | undefined {
    const existing = this.controllerPolicies.get(controllerKey);
    if (!existing) this.controllerPolicies.set(controllerKey, policy);
    return existing;
  }

  controllerPolicyOf(controllerKey: string): IConstruct | undefined {
    return this.controllerPolicies.get(controllerKey);
  }

  /** True when an egress default deny of this app covers pods of `namespace`. */
  egressDefaultDenied(namespace: string | undefined): boolean {
    return (
      namespace !== undefined && this.egressDefaultDenies.some((d) => !d.exemptNamespaces.has(namespace))
    );
  }
}

const REGISTRIES = new WeakMap<IConstruct, AppRegistry>();
