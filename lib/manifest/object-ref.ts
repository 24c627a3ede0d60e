/** The kind, namespace and name that identify an object (no namespace: a cluster-scoped one). */
export interface ObjectRef {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name: string;
}

/** `CiliumNetworkPolicy blog/allow-web`, `CiliumClusterwideNetworkPolicy default-deny`. */
export function describeObject(o: ObjectRef): string {
  return o.namespace ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;
}
