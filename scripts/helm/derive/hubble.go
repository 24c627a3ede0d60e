package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// HubbleMetrics is what Cilium's pkg/hubble/metrics registers and parses.
type HubbleMetrics struct {
	Source string `json:"source"`
	// Metrics are the handlers registered in the default registry, by name.
	Metrics []HubbleMetric `json:"metrics"`
	// ContextOptions are the option names ParseContextOptions reads (compared in lower case).
	ContextOptions []string `json:"contextOptions"`
	// ContextIdentifiers are the values parseContextIdentifier accepts (compared in lower case).
	ContextIdentifiers []string `json:"contextIdentifiers"`
	// ContextLabels are the labelsContext values, in Cilium's label order (compared exactly).
	ContextLabels []string `json:"contextLabels"`
}

type HubbleMetric struct {
	Name string `json:"name"`
	// Options are the handler's own options, read by its Init besides the context options.
	Options []HubbleMetricOption `json:"options"`
	// Conflicts are the metrics this one refuses to be enabled with.
	Conflicts []string `json:"conflicts"`
	// ContextOptions tells whether Init parses the context options.
	ContextOptions bool `json:"contextOptions"`
}

type HubbleMetricOption struct {
	// Name in lower case, as Init compares it.
	Name string `json:"name"`
	// Spelling in the handler's help text, when it lists the option.
	Spelling string `json:"spelling"`
	// Value the option must have to take effect; "" when any value (or none) turns it on.
	Value string `json:"value"`
}

func deriveHubbleMetrics(ciliumDir string) (*HubbleMetrics, error) {
	root := filepath.Join(ciliumDir, "pkg", "hubble", "metrics")
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	out := &HubbleMetrics{Source: "pkg/hubble/metrics of " + filepath.Base(ciliumDir)}
	for _, entry := range entries {
		if !entry.IsDir() || entry.Name() == "api" || entry.Name() == "cell" || entry.Name() == "testdata" {
			continue
		}
		metrics, err := pluginMetrics(filepath.Join(root, entry.Name()))
		if err != nil {
			return nil, err
		}
		out.Metrics = append(out.Metrics, metrics...)
	}
	sort.Slice(out.Metrics, func(i, j int) bool { return out.Metrics[i].Name < out.Metrics[j].Name })
	if len(out.Metrics) == 0 {
		return nil, fmt.Errorf("no Register(...) call found below %s", root)
	}
	api, err := parseDir(filepath.Join(root, "api"))
	if err != nil {
		return nil, err
	}
	if out.ContextIdentifiers = switchCases(funcNamed(api, "", "parseContextIdentifier")); len(out.ContextIdentifiers) == 0 {
		return nil, fmt.Errorf("parseContextIdentifier not found in %s/api", root)
	}
	if out.ContextOptions = switchCases(funcNamed(api, "", "ParseContextOptions")); len(out.ContextOptions) == 0 {
		return nil, fmt.Errorf("ParseContextOptions not found in %s/api", root)
	}
	if out.ContextLabels = stringSliceVar(api, "contextLabelsList"); len(out.ContextLabels) == 0 {
		return nil, fmt.Errorf("contextLabelsList not found in %s/api", root)
	}
	return out, nil
}

type goFile struct {
	fset *token.FileSet
	file *ast.File
}

func parseDir(dir string) ([]goFile, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var files []goFile
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, goFile{fset, f})
	}
	return files, nil
}

func pluginMetrics(dir string) ([]HubbleMetric, error) {
	files, err := parseDir(dir)
	if err != nil {
		return nil, err
	}
	var metrics []HubbleMetric
	for _, f := range files {
		var walkErr error
		ast.Inspect(f.file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isRegisterCall(call) {
				return true
			}
			name, ok := stringLit(call.Args[0])
			plugin := compositeTypeName(call.Args[1])
			if !ok || plugin == "" {
				walkErr = fmt.Errorf("%s: Register call with a non-literal name or plugin", f.fset.Position(call.Pos()))
				return false
			}
			m, err := describePlugin(files, name, plugin)
			if err != nil {
				walkErr = err
				return false
			}
			metrics = append(metrics, m)
			return true
		})
		if walkErr != nil {
			return nil, walkErr
		}
	}
	return metrics, nil
}

// isRegisterCall matches api.DefaultRegistry().Register(name, plugin).
func isRegisterCall(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Register" || len(call.Args) != 2 {
		return false
	}
	inner, ok := sel.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	innerSel, ok := inner.Fun.(*ast.SelectorExpr)
	return ok && innerSel.Sel.Name == "DefaultRegistry"
}

func describePlugin(files []goFile, name, plugin string) (HubbleMetric, error) {
	m := HubbleMetric{Name: name, Options: []HubbleMetricOption{}, Conflicts: []string{}}
	newHandler := funcNamed(files, plugin, "NewHandler")
	if newHandler == nil {
		return m, fmt.Errorf("metric %s: %s.NewHandler not found", name, plugin)
	}
	handler := ""
	ast.Inspect(newHandler, func(n ast.Node) bool {
		if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
			handler = compositeTypeName(ret.Results[0])
		}
		return handler == ""
	})
	init := funcNamed(files, handler, "Init")
	if init == nil {
		return m, fmt.Errorf("metric %s: Init of handler %q not found", name, handler)
	}
	help := helpText(funcNamed(files, plugin, "HelpText"))
	for _, opt := range handlerOptions(init) {
		opt.Spelling = spellingIn(help, opt.Name)
		m.Options = append(m.Options, opt)
	}
	sort.Slice(m.Options, func(i, j int) bool { return m.Options[i].Name < m.Options[j].Name })
	ast.Inspect(init, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "ParseContextOptions" {
			m.ContextOptions = true
		}
		return true
	})
	if conflicts := funcNamed(files, plugin, "ConflictingPlugins"); conflicts != nil {
		ast.Inspect(conflicts, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok {
				if s, ok := stringLit(lit); ok {
					m.Conflicts = append(m.Conflicts, s)
				}
			}
			return true
		})
		sort.Strings(m.Conflicts)
	}
	return m, nil
}

// handlerOptions finds the option names Init compares against strings.ToLower(opt.Name), in a switch
// or an if, and the value an option must have when its branch compares opt.Values[i] to a literal.
func handlerOptions(init *ast.FuncDecl) []HubbleMetricOption {
	var out []HubbleMetricOption
	ast.Inspect(init.Body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.SwitchStmt:
			if !isLowerOfName(s.Tag) {
				return true
			}
			for _, stmt := range s.Body.List {
				clause := stmt.(*ast.CaseClause)
				for _, e := range clause.List {
					if name, ok := stringLit(e); ok {
						out = append(out, HubbleMetricOption{Name: name, Value: requiredValue(clause.Body)})
					}
				}
			}
		case *ast.IfStmt:
			if bin, ok := s.Cond.(*ast.BinaryExpr); ok && bin.Op == token.EQL && isLowerOfName(bin.X) {
				if name, ok := stringLit(bin.Y); ok {
					out = append(out, HubbleMetricOption{Name: name, Value: requiredValue(s.Body.List)})
				}
			}
		}
		return true
	})
	return out
}

func isLowerOfName(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	fn, ok := call.Fun.(*ast.SelectorExpr)
	arg, ok2 := call.Args[0].(*ast.SelectorExpr)
	return ok && ok2 && fn.Sel.Name == "ToLower" && arg.Sel.Name == "Name"
}

func requiredValue(body []ast.Stmt) string {
	value := ""
	for _, stmt := range body {
		ast.Inspect(stmt, func(n ast.Node) bool {
			bin, ok := n.(*ast.BinaryExpr)
			if !ok || bin.Op != token.EQL {
				return true
			}
			if idx, ok := bin.X.(*ast.IndexExpr); ok {
				if sel, ok := idx.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Values" {
					if s, ok := stringLit(bin.Y); ok {
						value = s
					}
				}
			}
			return true
		})
	}
	return value
}

func helpText(fn *ast.FuncDecl) string {
	if fn == nil {
		return ""
	}
	var b strings.Builder
	ast.Inspect(fn, func(n ast.Node) bool {
		if s, ok := stringLit(n); ok {
			b.WriteString(s)
		}
		return true
	})
	return b.String()
}

// spellingIn finds how the help text's "Options:" list spells an option compared in lower case.
func spellingIn(help, lower string) string {
	_, options, found := strings.Cut(help, "Options:")
	if found {
		for _, line := range strings.Split(options, "\n") {
			m := optionLine.FindStringSubmatch(line)
			if m != nil && strings.ToLower(m[1]) == lower {
				return m[1]
			}
		}
	}
	return lower
}

var optionLine = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z0-9_-]*)\s+-\s`)

func funcNamed(files []goFile, recv, name string) *ast.FuncDecl {
	for _, f := range files {
		for _, decl := range f.file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Name.Name != name {
				continue
			}
			if recv == "" && fn.Recv == nil {
				return fn
			}
			if recv != "" && fn.Recv != nil && receiverType(fn.Recv.List[0].Type) == recv {
				return fn
			}
		}
	}
	return nil
}

func receiverType(e ast.Expr) string {
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func switchCases(fn *ast.FuncDecl) []string {
	if fn == nil {
		return nil
	}
	var out []string
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if clause, ok := n.(*ast.CaseClause); ok {
			for _, e := range clause.List {
				if s, ok := stringLit(e); ok {
					out = append(out, s)
				}
			}
		}
		return true
	})
	return out
}

func stringSliceVar(files []goFile, name string) []string {
	var out []string
	for _, f := range files {
		ast.Inspect(f.file, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok || len(spec.Names) != 1 || spec.Names[0].Name != name || len(spec.Values) != 1 {
				return true
			}
			if lit, ok := spec.Values[0].(*ast.CompositeLit); ok {
				for _, e := range lit.Elts {
					if s, ok := stringLit(e); ok {
						out = append(out, s)
					}
				}
			}
			return false
		})
	}
	return out
}

func compositeTypeName(e ast.Expr) string {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	if lit, ok := e.(*ast.CompositeLit); ok {
		if id, ok := lit.Type.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}

func stringLit(n ast.Node) (string, bool) {
	lit, ok := n.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
