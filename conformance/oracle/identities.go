package main

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/cilium/cilium/pkg/identity"
	k8sConst "github.com/cilium/cilium/pkg/k8s/apis/cilium.io"
	"github.com/cilium/cilium/pkg/labels"
	"github.com/cilium/cilium/pkg/labelsfilter"
)

// identityAllocator hands out numeric identities the way the agent's allocator scopes them:
// reserved label sets get their reserved number (identity.LookupReservedIdentityByLabels),
// endpoint label sets a global identity (256+), CIDR/FQDN sets a local one (2^24|n).
// Numbers are assigned in order of first use, so results are deterministic.
type identityAllocator struct {
	byKey map[string]*identity.Identity
	next  map[identity.NumericIdentity]identity.NumericIdentity // scope -> next number
	all   identity.IdentityMap

	conflictErr error
}

func newIdentityAllocator() *identityAllocator {
	return &identityAllocator{
		byKey: map[string]*identity.Identity{},
		next: map[identity.NumericIdentity]identity.NumericIdentity{
			identity.IdentityScopeGlobal:     identity.GetMinimalAllocationIdentity(0),
			identity.IdentityScopeLocal:      identity.IdentityScopeLocal | 1,
			identity.IdentityScopeRemoteNode: identity.IdentityScopeRemoteNode | 1,
		},
		all: identity.IdentityMap{},
	}
}

func (a *identityAllocator) allocate(lbls labels.Labels) *identity.Identity {
	key := lbls.LabelArray().String()
	if id, ok := a.byKey[key]; ok {
		return id
	}
	var id *identity.Identity
	if reserved := identity.LookupReservedIdentityByLabels(lbls); reserved != nil {
		id = identity.NewIdentity(reserved.ID, lbls)
		if other, taken := a.all[id.ID]; taken && a.conflictErr == nil {
			a.conflictErr = fmt.Errorf("reserved identity %d appears with two label sets, %s and %s: use one per vector", id.ID, other, id.LabelArray)
		}
	} else {
		scope := identity.ScopeForLabels(lbls)
		id = identity.NewIdentity(a.next[scope], lbls)
		a.next[scope]++
	}
	a.byKey[key] = id
	a.all[id.ID] = id.LabelArray
	return id
}

// conflict reports a reserved number that two different label sets claimed.
func (a *identityAllocator) conflict() error { return a.conflictErr }

// peer is a flow end resolved to a Cilium identity.
type peer struct {
	id         *identity.Identity
	managed    bool
	audit      bool
	namedPorts map[string]NamedPort
}

// resolvePeer turns a FlowPeer into the identity the agent would give it:
//   - pods (a k8s:io.kubernetes.pod.namespace label): labels pass the default identity label
//     filter, and k8s:io.cilium.k8s.policy.cluster=<cluster> is set (k8s SanitizePodLabels);
//   - an end with an ip that is not a pod or a health/ingress/init/unmanaged endpoint: the
//     ipcache lookup of that ip (CIDR and FQDN identities, world, nodes);
//   - anything else: its labels as given.
func resolvePeer(p FlowPeer, cfg agentConfig, prefixes *prefixLabels, alloc *identityAllocator) (peer, error) {
	lbls := labels.Labels{}
	for _, s := range p.Labels {
		l := labels.ParseLabel(s)
		if l.Key == "" {
			return peer{}, fmt.Errorf("label %q has no key", s)
		}
		lbls[l.Key] = l
	}

	isPod := hasLabel(lbls, labels.LabelSourceK8s, k8sConst.PodNamespaceLabel)
	isEndpoint := isPod || lbls.HasHealthLabel() || lbls.HasIngressLabel() || hasLabel(lbls, labels.LabelSourceReserved, labels.IDNameInit) ||
		hasLabel(lbls, labels.LabelSourceReserved, labels.IDNameUnmanaged)

	switch {
	case isPod:
		identityLbls, _ := labelsfilter.Filter(lbls)
		lbls = identityLbls
		cluster := labels.NewLabel(k8sConst.PolicyLabelCluster, cfg.clusterName, labels.LabelSourceK8s)
		lbls[cluster.Key] = cluster
	case p.IP != "" && !isEndpoint:
		addr, err := netip.ParseAddr(p.IP)
		if err != nil {
			return peer{}, fmt.Errorf("ip %q: %w", p.IP, err)
		}
		onAddr := labels.Labels{}
		for k, l := range lbls {
			if l.Source == labels.LabelSourceReserved && !strings.HasPrefix(l.Key, labels.IDNameWorld) {
				onAddr[k] = l // host, remote-node, kube-apiserver: what the agent attaches to the IP
			}
		}
		onAddr.MergeLabels(prefixes.fqdnLabels(p.DNSNames))
		lbls = prefixes.identityLabels(addr, onAddr)
		if len(lbls) == 0 {
			lbls = labels.NewFrom(labels.LabelWorld)
		}
	}
	if len(lbls) == 0 {
		return peer{}, fmt.Errorf("no identity labels")
	}

	// Unmanaged endpoints have an identity of their own but enforce nothing.
	managed := isEndpoint && !hasLabel(lbls, labels.LabelSourceReserved, labels.IDNameUnmanaged)
	if p.Managed != nil {
		managed = *p.Managed
	}
	audit := cfg.auditMode
	if p.AuditMode != nil {
		audit = *p.AuditMode
	}
	ports := map[string]NamedPort{}
	for _, np := range p.NamedPorts {
		ports[strings.ToLower(np.Name)+"/"+strings.ToUpper(np.Protocol)] = np
	}
	return peer{id: alloc.allocate(lbls), managed: managed, audit: audit, namedPorts: ports}, nil
}

func hasLabel(lbls labels.Labels, source, key string) bool {
	l, ok := lbls[key]
	return ok && l.Source == source
}
