package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func chartWith(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestChartKeysFollowsTheTemplateLanguage(t *testing.T) {
	dir := chartWith(t, map[string]string{
		"templates/_helpers.tpl": `{{- define "image" -}}{{ .repository }}:{{ .tag }}{{- end }}
{{- define "pdb" -}}{{- $c := .component -}}{{ if hasKey $c "maxUnavailable" }}{{ $c.maxUnavailable }}{{ end }}{{- end }}
{{- define "unused" -}}{{ .Values.neverRendered }}{{- end }}`,
		"templates/a.yaml": `{{- if .Values.a.enabled }}
image: {{ include "image" .Values.a.image }}
{{- with .Values.a.podLabels }}{{ toYaml . }}{{ end }}
{{- range $k, $v := .Values.a.extra }}{{ $k }}={{ $v.value }}{{ end }}
{{- $x := .Values.b }}{{ $x.c.d | quote }}
{{- index .Values "e" "f" }}
{{- dig "g" "h" "" .Values.AsMap }}
{{- include "pdb" (dict "component" .Values.a.pdb "root" $) }}
{{- $list := list .Values.one .Values.two }}{{ (index $list 1).x }}
{{- tpl (.Files.Get "files/script.sh") . }}
{{- get .Values.i "j" }}
{{- end }}`,
		"files/script.sh": `echo {{ .Values.fromFile }}`,
	})
	got, err := deriveChartKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantRead := []string{"a", "a.enabled", "a.extra", "a.extra.*", "a.extra.*.value", "a.image", "a.image.repository", "a.image.tag",
		"a.pdb", "a.pdb.maxUnavailable", "a.podLabels", "b", "b.c", "b.c.d", "e", "e.f", "fromFile", "g", "g.h", "i", "i.j", "one", "two", "two.x"}
	if !reflect.DeepEqual(got.Read, wantRead) {
		t.Errorf("read:\n got %v\nwant %v", got.Read, wantRead)
	}
	wantWhole := []string{"a.extra.*.value", "a.image.repository", "a.image.tag", "a.pdb.maxUnavailable", "a.podLabels", "e.f", "fromFile", "g.h", "i.j", "two.x"}
	if !reflect.DeepEqual(got.Whole, wantWhole) {
		t.Errorf("whole:\n got %v\nwant %v", got.Whole, wantWhole)
	}
}

func TestChartKeysFailsOnWhatItCannotFollow(t *testing.T) {
	for name, text := range map[string]string{
		"unclassified function": `{{ frobnicate .Values.x }}`,
		"computed key":          `{{ index .Values (printf "%s" "x") }}`,
		"undefined template":    `{{ include "missing" . }}`,
	} {
		_, err := deriveChartKeys(chartWith(t, map[string]string{"templates/a.yaml": text}))
		if err == nil || !strings.Contains(err.Error(), "cannot follow") {
			t.Errorf("%s: want an error, got %v", name, err)
		}
	}
}
