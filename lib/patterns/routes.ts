import { IConstruct } from 'constructs';
import { Entity } from '../policy/entity';
import { Port } from '../policy/port';
import { EndpointSelector } from '../policy/selector';
import { AppRegistry } from './app-registry';
import { ConnectionEnd } from './connection-end';
import { IngressController } from './ingress-controller';
import { declareConnection } from './verify-connections';

/**
 * A pattern routes an ingress controller to `pods`: the controller's policy (if the app has one)
 * gets egress to them, and the connection is declared so synth proves both sides allow it.
 */
export function routeFromController(
  scope: IConstruct,
  controller: IngressController,
  pods: EndpointSelector,
  ports: Port[],
  destination?: ConnectionEnd,
): void {
  const registry = AppRegistry.of(scope);
  const key = controller._key;
  registry.registerBackend(key, { pods, ports, registeredBy: scope });
  declareConnection(scope, {
    from: controllerEnd(controller),
    to: destination ?? ConnectionEnd.pods(pods),
    ports,
    fix: {
      egress: () =>
        registry.controllerPolicyOf(key) || !controller.pods
          ? undefined
          : `give the controller its own policy, which allows egress to every backend the app routes to it: ` +
            `new IngressControllerPolicy(this, '${controller.name}', { controller: ${controller._preset} })`,
    },
  });
}

const CONTROLLER_ENDS = new WeakMap<IngressController, ConnectionEnd>();

/** The controller as a connection end: one object however many apps route to it, so synth reads it once. */
function controllerEnd(controller: IngressController): ConnectionEnd {
  let end = CONTROLLER_ENDS.get(controller);
  if (!end) {
    end = controller.pods ? ConnectionEnd.pods(controller.pods) : ConnectionEnd.entity(Entity.INGRESS);
    CONTROLLER_ENDS.set(controller, end);
  }
  return end;
}
