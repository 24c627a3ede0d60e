import * as path from 'path';
import { ApiObject, App, Chart, Include } from 'cdk8s';

/** A CNP written by hand with ApiObject, making blog mistake 2: kube-dns egress without `rules: dns`. */
const app = new App();
const chart = new Chart(app, 'argocd', { namespace: 'argocd' });
new ApiObject(chart, 'repo-server-egress', {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'repo-server-egress' },
  spec: {
    endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
    egress: [
      {
        toEndpoints: [
          { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } },
        ],
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }],
      },
      { toFQDNs: [{ matchName: 'github.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
    ],
  },
});
// A CCNP pulled in from YAML: cluster-wide egress default-deny without DNS (blog mistake 4).
new Include(chart, 'cluster-default-deny', {
  url: path.join(__dirname, 'manifests', 'default-deny-without-dns.yaml'),
});
app.synth();
