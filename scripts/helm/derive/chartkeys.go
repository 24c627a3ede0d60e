package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template/parse"
)

// ChartKeys is what a Helm chart's templates read from .Values.
type ChartKeys struct {
	Source string `json:"source"`
	// Read are the values paths the templates read (dotted, a literal dot escaped as `\.`, `*` for
	// any key or list item, as in `range`). Their parents are read implicitly.
	Read []string `json:"read"`
	// Whole are the read paths whose whole content reaches the output (toYaml, merge, range over a
	// map, ...): any key below them is used.
	Whole []string `json:"whole"`
}

// Abstract values of the template interpreter.
type (
	rootVal  struct{}                // the top-level context: .Values, .Release, .Files, ...
	pathVal  struct{ path []string } // a node of .Values
	dictVal  struct{ m map[string]vals }
	listVal  struct{ items []vals } // list/tuple: items by position
	fileVal  struct{ name string }  // .Files.Get "name"
	otherVal struct{}               // anything else: strings, numbers, function results
	vals     []any
)

type keyUse struct{ whole bool }

type chartAnalyzer struct {
	chartDir string
	defines  map[string]*parse.Tree
	keys     map[string]*keyUse
	done     map[string]bool
	active   map[string]bool
	errs     []string
	cur      *parse.Tree
}

// scope is a block of variables; the chain ends at the template's own scope.
type scope struct {
	vars   map[string]vals
	parent *scope
}

func (s *scope) lookup(name string) (vals, bool) {
	for c := s; c != nil; c = c.parent {
		if v, ok := c.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func (s *scope) assign(name string, v vals) {
	for c := s; c != nil; c = c.parent {
		if old, ok := c.vars[name]; ok {
			c.vars[name] = append(append(vals{}, old...), v...)
			return
		}
	}
	s.vars[name] = v
}

func deriveChartKeys(chartDir string) (*ChartKeys, error) {
	a := &chartAnalyzer{chartDir: chartDir, defines: map[string]*parse.Tree{}, keys: map[string]*keyUse{}, done: map[string]bool{}, active: map[string]bool{}}
	var rendered []*parse.Tree
	templates := filepath.Join(chartDir, "templates")
	err := filepath.Walk(templates, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(chartDir, p)
		trees, err := a.parseFile(p, rel)
		if err != nil {
			return err
		}
		// Helm renders every file of templates/ except partials (_*), and NOTES.txt on install.
		if !strings.HasPrefix(filepath.Base(p), "_") {
			rendered = append(rendered, trees[rel])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(rendered, func(i, j int) bool { return rendered[i].Name < rendered[j].Name })
	for _, tree := range rendered {
		a.analyze(tree, vals{rootVal{}})
	}
	if len(a.errs) > 0 {
		sort.Strings(a.errs)
		return nil, fmt.Errorf("cannot follow the chart's templates:\n  %s", strings.Join(a.errs, "\n  "))
	}
	out := &ChartKeys{Source: "install/kubernetes/cilium of " + filepath.Base(filepath.Dir(filepath.Dir(filepath.Dir(chartDir)))), Read: []string{}, Whole: []string{}}
	for key, use := range a.keys {
		out.Read = append(out.Read, key)
		if use.whole {
			out.Whole = append(out.Whole, key)
		}
	}
	sort.Strings(out.Read)
	sort.Strings(out.Whole)
	return out, nil
}

func (a *chartAnalyzer) parseFile(path, name string) (map[string]*parse.Tree, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	tree := parse.New(name)
	tree.Mode = parse.SkipFuncCheck
	trees := map[string]*parse.Tree{}
	if _, err := tree.Parse(string(text), "{{", "}}", trees); err != nil {
		return nil, err
	}
	for n, t := range trees {
		if n != name {
			a.defines[n] = t
		}
	}
	return trees, nil
}

// analyze interprets a template (file or define) once per distinct argument.
func (a *chartAnalyzer) analyze(tree *parse.Tree, dot vals) {
	key := tree.Name + "\x00" + fingerprint(dot, 0)
	if a.done[key] || a.active[key] {
		return
	}
	a.active[key] = true
	outer := a.cur
	a.cur = tree
	sc := &scope{vars: map[string]vals{"$": dot}}
	a.walk(tree.Root, dot, sc)
	a.cur = outer
	delete(a.active, key)
	a.done[key] = true
}

func (a *chartAnalyzer) fail(n parse.Node, format string, args ...any) {
	where := fmt.Sprint(n.Position())
	if a.cur != nil {
		where, _ = a.cur.ErrorContext(n)
	}
	a.errs = append(a.errs, fmt.Sprintf("%s: %s", where, fmt.Sprintf(format, args...)))
}

func (a *chartAnalyzer) walk(n parse.Node, dot vals, sc *scope) {
	switch x := n.(type) {
	case nil:
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			a.walk(c, dot, sc)
		}
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	case *parse.ActionNode:
		v := a.pipe(x.Pipe, dot, sc)
		if len(x.Pipe.Decl) == 0 {
			a.consume(v) // printed
		}
	case *parse.IfNode:
		inner := &scope{vars: map[string]vals{}, parent: sc}
		a.pipe(x.Pipe, dot, inner)
		a.walk(x.List, dot, inner)
		a.walk(x.ElseList, dot, &scope{vars: map[string]vals{}, parent: sc})
	case *parse.WithNode:
		inner := &scope{vars: map[string]vals{}, parent: sc}
		v := a.pipe(x.Pipe, dot, inner)
		a.walk(x.List, v, inner)
		a.walk(x.ElseList, dot, &scope{vars: map[string]vals{}, parent: sc})
	case *parse.RangeNode:
		inner := &scope{vars: map[string]vals{}, parent: sc}
		decl := x.Pipe.Decl
		x.Pipe.Decl = nil
		v := a.pipe(x.Pipe, dot, inner)
		x.Pipe.Decl = decl
		elems := elements(v)
		switch len(decl) {
		case 1:
			inner.vars[decl[0].Ident[0]] = elems
		case 2:
			inner.vars[decl[0].Ident[0]] = vals{otherVal{}}
			inner.vars[decl[1].Ident[0]] = elems
		}
		// range uses every key (or item) of what it ranges over, even when the body reads nothing of it.
		for _, item := range v {
			if p, ok := item.(pathVal); ok {
				a.touch(append(append([]string{}, p.path...), "*"))
			}
		}
		a.walk(x.List, elems, inner)
		a.walk(x.ElseList, dot, &scope{vars: map[string]vals{}, parent: sc})
	case *parse.TemplateNode:
		var arg vals
		if x.Pipe != nil {
			arg = a.pipe(x.Pipe, dot, sc)
		}
		a.include(x, x.Name, arg)
	default:
		a.fail(n, "unsupported template node %T", n)
	}
}

func (a *chartAnalyzer) include(n parse.Node, name string, arg vals) {
	tree, ok := a.defines[name]
	if !ok {
		a.fail(n, "template %q is not defined", name)
		return
	}
	a.analyze(tree, arg)
}

// pipe evaluates a pipeline: each command gets the previous result as its last argument.
func (a *chartAnalyzer) pipe(p *parse.PipeNode, dot vals, sc *scope) vals {
	if p == nil {
		return nil
	}
	var prev vals
	for i, cmd := range p.Cmds {
		var extra []vals
		if i > 0 {
			extra = []vals{prev}
		}
		prev = a.command(cmd, dot, sc, extra)
	}
	for _, v := range p.Decl {
		if p.IsAssign {
			sc.assign(v.Ident[0], prev)
		} else {
			sc.vars[v.Ident[0]] = prev
		}
	}
	return prev
}

func (a *chartAnalyzer) command(cmd *parse.CommandNode, dot vals, sc *scope, extra []vals) vals {
	first := cmd.Args[0]
	if id, ok := first.(*parse.IdentifierNode); ok {
		var args []vals
		for _, arg := range cmd.Args[1:] {
			args = append(args, a.arg(arg, dot, sc))
		}
		return a.call(cmd, id.Ident, append(args, extra...), cmd.Args[1:])
	}
	// A field chain with arguments is a method call: only .Files.Get "name" matters here.
	if len(cmd.Args) > 1 {
		if f, ok := first.(*parse.FieldNode); ok && len(f.Ident) == 2 && f.Ident[0] == "Files" && f.Ident[1] == "Get" && hasRoot(dot) {
			if s, ok := cmd.Args[1].(*parse.StringNode); ok {
				return vals{fileVal{s.Text}}
			}
		}
		switch first.(type) {
		case *parse.FieldNode, *parse.VariableNode, *parse.ChainNode:
			for _, arg := range cmd.Args[1:] {
				a.consume(a.arg(arg, dot, sc))
			}
			return vals{otherVal{}}
		}
	}
	if len(cmd.Args) > 1 || len(extra) > 0 {
		a.fail(cmd, "a non-function command with arguments: %s", cmd)
	}
	return a.arg(first, dot, sc)
}

func (a *chartAnalyzer) arg(n parse.Node, dot vals, sc *scope) vals {
	switch x := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return a.fields(dot, x.Ident)
	case *parse.VariableNode:
		v, ok := sc.lookup(x.Ident[0])
		if !ok {
			a.fail(n, "variable %s is not declared", x.Ident[0])
			return vals{otherVal{}}
		}
		return a.fields(v, x.Ident[1:])
	case *parse.ChainNode:
		return a.fields(a.arg(x.Node, dot, sc), x.Field)
	case *parse.PipeNode:
		return a.pipe(x, dot, &scope{vars: map[string]vals{}, parent: sc})
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		return vals{otherVal{}}
	case *parse.IdentifierNode:
		return a.call(x, x.Ident, nil, nil)
	}
	a.fail(n, "unsupported argument %T", n)
	return vals{otherVal{}}
}

func (a *chartAnalyzer) fields(v vals, names []string) vals {
	for _, name := range names {
		v = a.field(v, name)
	}
	return v
}

func (a *chartAnalyzer) field(v vals, name string) vals {
	var out vals
	for _, item := range v {
		switch x := item.(type) {
		case rootVal:
			if name == "Values" {
				out = append(out, pathVal{nil})
			} else {
				out = append(out, otherVal{})
			}
		case pathVal:
			if len(x.path) == 0 && name == "AsMap" { // .Values.AsMap is .Values as a plain map
				out = append(out, x)
				continue
			}
			p := append(append([]string{}, x.path...), name)
			a.touch(p)
			out = append(out, pathVal{p})
		case dictVal:
			if m, ok := x.m[name]; ok {
				out = append(out, m...)
			}
		default:
			out = append(out, otherVal{})
		}
	}
	return out
}

func (a *chartAnalyzer) touch(p []string) *keyUse {
	key := formatPath(p)
	use, ok := a.keys[key]
	if !ok {
		use = &keyUse{}
		a.keys[key] = use
	}
	return use
}

// consume marks values whose whole content is used.
func (a *chartAnalyzer) consume(v vals) {
	a.consumeDepth(v, 0)
}

func (a *chartAnalyzer) consumeDepth(v vals, depth int) {
	if depth > 8 {
		return
	}
	for _, item := range v {
		switch x := item.(type) {
		case pathVal:
			if len(x.path) == 0 {
				a.errs = append(a.errs, "the whole .Values is consumed somewhere; every key would be used")
				continue
			}
			a.touch(x.path).whole = true
		case dictVal:
			for _, m := range x.m {
				a.consumeDepth(m, depth+1)
			}
		case listVal:
			for _, item := range x.items {
				a.consumeDepth(item, depth+1)
			}
		}
	}
}

// item is `index v n`: the n-th item of a chart-made list, any item of a values list.
func (a *chartAnalyzer) item(v vals, n int) vals {
	var out vals
	for _, it := range v {
		switch x := it.(type) {
		case listVal:
			if n < len(x.items) {
				out = append(out, x.items[n]...)
			}
		default:
			out = append(out, elements(vals{it})...)
		}
	}
	return out
}

// elements is what `range` over v, `first` or `index v N` yields.
func elements(v vals) vals {
	var out vals
	for _, item := range v {
		switch x := item.(type) {
		case pathVal:
			out = append(out, pathVal{append(append([]string{}, x.path...), "*")})
		case listVal:
			for _, item := range x.items {
				out = append(out, item...)
			}
		case dictVal:
			for _, m := range x.m {
				out = append(out, m...)
			}
		default:
			out = append(out, otherVal{})
		}
	}
	return out
}

// Functions that read their arguments only as scalars or test them: no key below is used.
var scalarFuncs = map[string]bool{
	"not": true, "empty": true, "eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
	"kindIs": true, "kindOf": true, "typeOf": true, "typeIs": true, "len": true, "has": true, "contains": true,
	"regexMatch": true, "semverCompare": true, "semver": true, "int": true, "int64": true, "float64": true,
	"mul": true, "add": true, "sub": true, "div": true, "mod": true, "trim": true, "trimPrefix": true,
	"trimSuffix": true, "trunc": true, "replace": true, "regexReplaceAll": true, "lower": true, "upper": true,
	"title": true, "split": true, "splitList": true, "b64enc": true, "base": true, "dir": true,
	"dateModify": true, "mustDateModify": true, "now": true, "quote": true, "squote": true, "toString": true,
	"printf": true, "print": true, "sha256sum": true, "fromJson": true, "fromYaml": true, "fromYamlArray": true,
	"lookup": true, "genCA": true, "indent": true, "nindent": true,
}

// Functions whose arguments reach the output whole.
var wholeFuncs = map[string]bool{
	"toYaml": true, "toJson": true, "toRawJson": true, "toPrettyJson": true, "join": true, "concat": true,
	"append": true, "prepend": true, "fail": true, "buildCustomCert": true, "genSignedCert": true,
}

func (a *chartAnalyzer) call(n parse.Node, name string, args []vals, nodes []parse.Node) vals {
	union := func(vs ...vals) vals {
		var out vals
		for _, v := range vs {
			out = append(out, v...)
		}
		return out
	}
	literal := func(i int) (string, bool) {
		if i < len(nodes) {
			if s, ok := nodes[i].(*parse.StringNode); ok {
				return s.Text, true
			}
		}
		return "", false
	}
	switch {
	case name == "include":
		if len(args) != 2 {
			a.fail(n, "include with %d arguments", len(args))
			return vals{otherVal{}}
		}
		if tmpl, ok := literal(0); ok {
			a.include(n, tmpl, args[1])
		} else if !onlyRoot(args[1]) {
			// include (print $.Template.BasePath "/x.yaml") . re-renders a template file with the
			// root context, which is analyzed anyway; anything else cannot be followed.
			a.fail(n, "include of a computed template name with a non-root argument")
		}
		return vals{otherVal{}}
	case name == "tpl":
		for _, item := range args[0] {
			if f, ok := item.(fileVal); ok {
				trees, err := a.parseFile(filepath.Join(a.chartDir, f.name), f.name)
				if err != nil {
					a.fail(n, "%v", err)
					continue
				}
				a.analyze(trees[f.name], args[1])
			}
		}
		a.consume(args[0])
		return vals{otherVal{}}
	case name == "default" || name == "coalesce" || name == "and" || name == "or" || name == "deepCopy" || name == "mustDeepCopy":
		return union(args...)
	case name == "ternary":
		if len(args) == 3 {
			return union(args[0], args[1])
		}
	case name == "required":
		return args[len(args)-1]
	case name == "list" || name == "tuple":
		return vals{listVal{args}}
	case name == "first" || name == "mustFirst" || name == "last" || name == "mustLast":
		return elements(args[0])
	case name == "dict":
		d := dictVal{map[string]vals{}}
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := literal(i); ok {
				d.m[k] = args[i+1]
			} else {
				a.consume(args[i+1])
			}
		}
		return vals{d}
	case name == "set":
		if len(args) != 3 {
			a.fail(n, "set with %d arguments", len(args))
			return vals{otherVal{}}
		}
		k, literalKey := literal(1)
		for _, item := range args[0] {
			switch x := item.(type) {
			case dictVal:
				if literalKey {
					x.m[k] = append(x.m[k], args[2]...)
				}
			case pathVal:
				if !literalKey {
					a.fail(n, "set of a computed key in .Values")
				} else {
					a.touch(append(append([]string{}, x.path...), k))
				}
			}
		}
		a.consume(args[2])
		return args[0]
	case name == "unset" || name == "hasKey":
		if k, ok := literal(1); ok && len(args) == 2 {
			a.field(args[0], k)
			return vals{otherVal{}}
		}
		a.fail(n, "%s with a computed key", name)
		return vals{otherVal{}}
	case name == "get":
		if k, ok := literal(1); ok && len(args) == 2 {
			return a.field(args[0], k)
		}
		a.fail(n, "get with a computed key")
		return vals{otherVal{}}
	case name == "index":
		v := args[0]
		for i := 1; i < len(args); i++ {
			if k, ok := literal(i); ok {
				v = a.field(v, k)
			} else if num, ok := nodes[i].(*parse.NumberNode); ok && num.IsInt {
				v = a.item(v, int(num.Int64))
			} else {
				a.fail(n, "index with a computed key")
			}
		}
		return v
	case name == "dig":
		v := args[len(args)-1]
		for i := 0; i < len(args)-2; i++ {
			k, ok := literal(i)
			if !ok {
				a.fail(n, "dig with a computed key")
				break
			}
			v = a.field(v, k)
		}
		return union(v, args[len(args)-2])
	case name == "merge" || name == "mergeOverwrite" || name == "mustMerge":
		for _, arg := range args {
			a.consume(arg)
		}
		return union(args...)
	case name == "omit" || name == "pick":
		a.consume(args[0])
		return vals{otherVal{}}
	case scalarFuncs[name]:
		return vals{otherVal{}}
	case wholeFuncs[name]:
		for _, arg := range args {
			a.consume(arg)
		}
		return vals{otherVal{}}
	}
	a.fail(n, "function %s is not classified (scalarFuncs or wholeFuncs in scripts/helm/derive/chartkeys.go)", name)
	return vals{otherVal{}}
}

func hasRoot(v vals) bool {
	for _, item := range v {
		if _, ok := item.(rootVal); ok {
			return true
		}
	}
	return false
}

func onlyRoot(v vals) bool {
	for _, item := range v {
		if _, ok := item.(rootVal); !ok {
			return false
		}
	}
	return len(v) > 0
}

// fingerprint identifies an abstract argument for memoizing template analysis.
func fingerprint(v vals, depth int) string {
	if depth > 4 {
		return "…"
	}
	parts := make([]string, 0, len(v))
	for _, item := range v {
		switch x := item.(type) {
		case rootVal:
			parts = append(parts, "$")
		case pathVal:
			parts = append(parts, ".Values."+formatPath(x.path))
		case dictVal:
			keys := make([]string, 0, len(x.m))
			for k := range x.m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var b strings.Builder
			b.WriteString("{")
			for _, k := range keys {
				b.WriteString(k + ":" + fingerprint(x.m[k], depth+1) + ",")
			}
			b.WriteString("}")
			parts = append(parts, b.String())
		case listVal:
			items := make([]string, len(x.items))
			for i, item := range x.items {
				items[i] = fingerprint(item, depth+1)
			}
			parts = append(parts, "["+strings.Join(items, ";")+"]")
		case fileVal:
			parts = append(parts, "file:"+x.name)
		default:
			parts = append(parts, "_")
		}
	}
	sort.Strings(parts)
	out := parts[:0]
	for i, p := range parts {
		if i == 0 || p != parts[i-1] {
			out = append(out, p)
		}
	}
	return strings.Join(out, "|")
}

func formatPath(p []string) string {
	escaped := make([]string, len(p))
	for i, s := range p {
		escaped[i] = strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), ".", `\.`)
	}
	return strings.Join(escaped, ".")
}
