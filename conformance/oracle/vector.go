package main

import "encoding/json"

// The shared vector format (conformance/README.md). Field names follow lib/engine/types.ts.

// Vector is one conformance case: agent options, policy manifests and flows with expectations.
type Vector struct {
	Name        string            `json:"name"`
	Section     string            `json:"section,omitempty"`
	Description string            `json:"description,omitempty"`
	Options     EngineOptions     `json:"options"`
	Policies    []json.RawMessage `json:"policies"`
	Flows       []FlowCase        `json:"flows"`
	// ExpectRejected names the policies Cilium must reject: a name, or {"name", "error"} where
	// error is a substring of Cilium's error text. The oracle passes it through untouched.
	ExpectRejected json.RawMessage `json:"expectRejected,omitempty"`
}

// EngineOptions mirrors lib/engine/types.ts EngineOptions.
type EngineOptions struct {
	PolicyEnforcementMode        string `json:"policyEnforcementMode,omitempty"`
	AllowLocalhost               string `json:"allowLocalhost,omitempty"`
	PolicyAuditMode              bool   `json:"policyAuditMode,omitempty"`
	EnableNonDefaultDenyPolicies *bool  `json:"enableNonDefaultDenyPolicies,omitempty"`
	ClusterName                  string `json:"clusterName,omitempty"`
	CIDRMatchNodes               bool   `json:"cidrMatchNodes,omitempty"`
}

// FlowCase is a named flow with the expected outcome (ignored by the oracle, checked by the runner).
type FlowCase struct {
	Name   string          `json:"name"`
	Flow   Flow            `json:"flow"`
	Expect json.RawMessage `json:"expect,omitempty"`
}

// Flow mirrors lib/engine/types.ts Flow.
type Flow struct {
	Source      FlowPeer `json:"source"`
	Destination FlowPeer `json:"destination"`
	Protocol    string   `json:"protocol"`
	Port        *int     `json:"port,omitempty"`
	ICMPType    *int     `json:"icmpType,omitempty"`
}

// FlowPeer mirrors lib/engine/types.ts FlowPeer.
type FlowPeer struct {
	Labels     []string    `json:"labels"`
	IP         string      `json:"ip,omitempty"`
	DNSNames   []string    `json:"dnsNames,omitempty"`
	Managed    *bool       `json:"managed,omitempty"`
	NamedPorts []NamedPort `json:"namedPorts,omitempty"`
	AuditMode  *bool       `json:"auditMode,omitempty"`
}

type NamedPort struct {
	Name     string `json:"name"`
	Port     int    `json:"port"`
	Protocol string `json:"protocol"`
}

// VectorResult is the oracle's answer for one vector.
type VectorResult struct {
	Name     string         `json:"name"`
	File     string         `json:"file,omitempty"`
	Error    string         `json:"error,omitempty"`
	Policies []PolicyResult `json:"policies"`
	Flows    []FlowResult   `json:"flows"`
}

type PolicyResult struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	Accepted  bool   `json:"accepted"`
	Error     string `json:"error,omitempty"`
}

// FlowResult carries one decision per direction (NOT_ENFORCED, ALLOWED, DENIED, DEFAULT_DENY)
// and the verdict (FORWARDED, DROPPED, AUDIT). Unsupported is set instead when the oracle
// cannot answer the flow with Cilium's code; the decisions are then UNDECIDED.
type FlowResult struct {
	Name        string   `json:"name"`
	Verdict     string   `json:"verdict"`
	Egress      string   `json:"egress"`
	Ingress     string   `json:"ingress"`
	L7          []string `json:"l7,omitempty"`
	Unsupported string   `json:"unsupported,omitempty"`
}
