package main

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/cilium/cilium/pkg/labels"
	"github.com/cilium/cilium/pkg/option"
	"github.com/cilium/cilium/pkg/policy"
	"github.com/cilium/cilium/pkg/policy/api"
	policytypes "github.com/cilium/cilium/pkg/policy/types"
)

// prefixLabels stands in for the agent's ipcache metadata layer, for the two sources that
// label IPs outside the cluster:
//   - the policy importer upserts labels.GetCIDRLabels(prefix) for every prefix that a policy
//     names (policy.GetCIDRPrefixes, `except` prefixes included);
//   - the FQDN name manager upserts `fqdn:<matchName|matchPattern>` on each IP learned from a
//     DNS answer, for every toFQDNs selector whose regex matches the (lowercased, dotted) name.
//
// An IP's identity is that of its longest prefix with metadata; its labels are computed like
// ipcache.resolveIdentity: merge the labels of all shorter prefixes (one cidr: label at most,
// the longest), then resolveLabels' invariants (nodes and in-cluster entities lose world and,
// unless policy-cidr-match-mode has `nodes`, cidr/fqdn labels; others gain the world label).
type prefixLabels struct {
	byPrefix  map[netip.Prefix]labels.Labels
	selectors map[api.FQDNSelector]*regexp.Regexp
}

func newPrefixLabels(entries policytypes.PolicyEntries) (*prefixLabels, error) {
	p := &prefixLabels{byPrefix: map[netip.Prefix]labels.Labels{}, selectors: map[api.FQDNSelector]*regexp.Regexp{}}
	for _, prefix := range policy.GetCIDRPrefixes(entries) {
		p.byPrefix[prefix.Masked()] = labels.GetCIDRLabels(prefix)
	}
	for _, e := range entries {
		for _, sel := range e.L3 {
			fqdn, ok := sel.GetFQDNSelector()
			if !ok {
				continue
			}
			re, err := fqdn.ToRegex()
			if err != nil {
				return nil, err
			}
			p.selectors[*fqdn] = re
		}
	}
	return p, nil
}

// fqdnLabels is deriveLabelsForName of pkg/fqdn/namemanager: the fqdn: labels of the selectors
// matching any of the names, as the DNS proxy reports them (lowercased, fully qualified).
func (p *prefixLabels) fqdnLabels(names []string) labels.Labels {
	out := labels.Labels{}
	for _, name := range names {
		qname := strings.ToLower(name)
		if !strings.HasSuffix(qname, ".") {
			qname += "."
		}
		for sel, re := range p.selectors {
			if re.MatchString(qname) {
				l := sel.IdentityLabel()
				out[l.Key] = l
			}
		}
	}
	return out
}

// identityLabels returns the labels of the identity the datapath finds for addr. hostLabels
// are the labels the agent itself puts on that exact address (reserved:host, remote-node,
// kube-apiserver, fqdn: ...).
func (p *prefixLabels) identityLabels(addr netip.Addr, hostLabels labels.Labels) labels.Labels {
	addr = addr.Unmap()
	self := netip.PrefixFrom(addr, addr.BitLen())
	meta := map[netip.Prefix]labels.Labels{}
	for k, v := range p.byPrefix {
		meta[k] = v
	}
	if len(hostLabels) > 0 {
		merged := labels.Labels{}
		merged.MergeLabels(meta[self])
		merged.MergeLabels(hostLabels)
		meta[self] = merged
	}

	// Longest prefix with metadata: the ipcache entry the datapath's LPM lookup hits.
	var hit netip.Prefix
	found := false
	for bits := addr.BitLen(); bits >= 0 && !found; bits-- {
		candidate, _ := addr.Prefix(bits)
		if _, ok := meta[candidate]; ok {
			hit, found = candidate, true
		}
	}
	if !found {
		return labels.Labels{} // no entry: the caller falls back to the world identity
	}

	lbls := labels.Labels{}
	hasCIDR := false
	for bits := hit.Bits(); bits >= 0; bits-- {
		parent, _ := addr.Prefix(bits)
		for k, v := range meta[parent] {
			if v.Source == labels.LabelSourceCIDR && hasCIDR {
				continue
			}
			if _, ok := lbls[k]; !ok {
				lbls[k] = v
				if v.Source == labels.LabelSourceCIDR {
					hasCIDR = true
				}
			}
		}
	}
	resolveLabels(lbls, hit)
	return lbls
}

// resolveLabels mirrors pkg/ipcache's unexported function of the same name (v1.20.0).
func resolveLabels(lbls labels.Labels, prefix netip.Prefix) {
	isNode := lbls.HasRemoteNodeLabel() || lbls.HasHostLabel()
	isInCluster := isNode || lbls.HasHealthLabel() || lbls.HasIngressLabel()
	if isInCluster {
		lbls.Remove(labels.LabelWorld)
		lbls.Remove(labels.LabelWorldIPv4)
		lbls.Remove(labels.LabelWorldIPv6)
	}
	if isInCluster && !(isNode && option.Config.PolicyCIDRMatchesNodes()) {
		lbls.RemoveFromSource(labels.LabelSourceCIDR)
		lbls.RemoveFromSource(labels.LabelSourceFQDN)
		lbls.RemoveFromSource(labels.LabelSourceCIDRGroup)
	}
	if !(isNode && option.Config.PerNodeLabelsEnabled()) {
		lbls.RemoveFromSource(labels.LabelSourceNode)
	}
	if len(lbls) == 0 {
		lbls.MergeLabels(labels.GetCIDRLabels(prefix))
	}
	if !isInCluster {
		lbls.AddWorldLabel(prefix.Addr())
	}
}
