import { ArgoCd, CiliumHelmValues, ClusterDefaultDeny, EndpointSelector, IngressController, IngressControllerPolicy,
  IngressOnlyApp, LockdownApp, Port, TieredApp } from 'cdk8s-cilium-lockdown';
import { Chart } from 'cdk8s';

const app = new LockdownApp();               // an App that also writes dist/cilium/values.yaml
const chart = new Chart(app, 'policies');
const traefik = IngressController.traefik(); // the Traefik Helm chart's labels and ports

new IngressControllerPolicy(chart, 'traefik', {  // clients -> Traefik:8000/8443, Traefik -> every backend below
  controller: traefik,
});

new IngressOnlyApp(chart, 'blog', {          // Traefik -> blog on the container port, + host/health
  namespace: 'blog',
  pods: EndpointSelector.labels({ app: 'blog' }),   // or a cdk8s-plus Deployment
  ports: [Port.tcp(80)],                           // or Port.fromService(service): resolves the targetPort
  ingressController: traefik,
});

new TieredApp(chart, 'webapp', {             // Traefik -> webapp -> postgres, both ends of each
  namespace: 'webapp',
  ingressController: traefik,
  front: { name: 'webapp', pods: EndpointSelector.labels({ app: 'webapp' }), ports: [Port.tcp(3000)] },
  backends: [{ name: 'postgres', pods: EndpointSelector.labels({ app: 'postgres' }), ports: [Port.tcp(5432)] }],
});

new ArgoCd(chart, 'argocd', { ingressController: traefik });  // its components' connections, GitHub, the UI

new ClusterDefaultDeny(chart, 'default-deny', { egress: true });  // DNS allowed in the same object

new CiliumHelmValues(app, 'cilium', { policyAuditMode: true, hubble: { enabled: true, relay: { enabled: true } } });
app.synth();  // fails, naming the construct and the fix, if a declared connection would be dropped once enforced
