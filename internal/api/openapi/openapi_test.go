// Package openapi_test checks the OpenAPI document the API serves. It is a
// package of its own so that the independent validator it uses (a large
// dependency) is compiled only for this test, not into the API's other
// tests and fuzz targets.
package openapi_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"atip/internal/api"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

var update = flag.Bool("update", false, "rewrite testdata/operations.golden from the served document")

func get(t *testing.T, h http.Handler, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, nil))
	return w
}

// TestOpenAPIDocument checks that the served document is valid OpenAPI 3.1
// (against the specification's schema, by an independent validator), is the
// same in JSON and YAML, and lists exactly the operations in
// testdata/operations.golden — so that any change to the API's surface,
// its scopes or its policy actions shows in review. The document needs no
// database: it is served to anyone, and describes the code, not the data.
func TestOpenAPIDocument(t *testing.T) {
	h := api.New(api.Config{Version: "test"})
	w := get(t, h, http.MethodGet, api.Prefix+"/openapi.json")
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "json") {
		t.Fatalf("GET openapi.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	raw := w.Body.Bytes()
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("OpenAPI version %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s: %s", e.Message, e.Reason)
			for _, s := range e.SchemaValidationErrors {
				t.Errorf("  %s", s.Reason)
			}
		}
	}

	yw := get(t, h, http.MethodGet, api.Prefix+"/openapi.yaml")
	ydoc, err := libopenapi.NewDocument(yw.Body.Bytes())
	if yw.Code != http.StatusOK || err != nil {
		t.Fatalf("GET openapi.yaml: %d %v", yw.Code, err)
	}
	m, _ := doc.BuildV3Model()
	ym, _ := ydoc.BuildV3Model()
	if m == nil || ym == nil || m.Model.Paths.PathItems.Len() != ym.Model.Paths.PathItems.Len() {
		t.Error("the YAML document does not list the same paths as the JSON one")
	}

	var parsed struct {
		Servers []struct{ URL string } `json:"servers"`
		Paths   map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Security    []map[string][]string `json:"security"`
			Action      *string               `json:"x-atip-action"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &parsed); err != nil {
		t.Fatal(err)
	}
	if len(parsed.Servers) != 1 || parsed.Servers[0].URL != api.Prefix {
		t.Errorf("servers %+v, want the one base path %s", parsed.Servers, api.Prefix)
	}
	type line struct{ id, text string }
	var lines []line
	for path, methods := range parsed.Paths {
		for method, o := range methods {
			action := "<missing>"
			if o.Action != nil {
				action = *o.Action
			}
			scope := "<missing>"
			for _, req := range o.Security {
				if s, ok := req["bearer"]; ok && len(s) == 1 {
					scope = s[0]
				}
			}
			lines = append(lines, line{o.OperationID, fmt.Sprintf("%-6s %-22s %-20s scope=%-5s action=%s", strings.ToUpper(method), path, o.OperationID, scope, action)})

			// Every listed operation is really served: the anonymous get a
			// 401 from it, not a 404 or 405 from the router.
			if w := get(t, h, strings.ToUpper(method), api.Prefix+strings.ReplaceAll(path, "{id}", "x")); w.Code != http.StatusUnauthorized {
				t.Errorf("%s %s: %d, want 401 from a served operation", method, path, w.Code)
			}
		}
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].id < lines[j].id })
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text + "\n")
	}
	got := b.String()
	golden := filepath.Join("testdata", "operations.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestOpenAPIDocument -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("operations changed; review and run go test ./internal/api/openapi -update\ngot:\n%s\nwant:\n%s", got, want)
	}

	// No documentation page that would load a viewer from a CDN, and no
	// per-type schema files.
	for _, p := range []string{"/docs", "/schemas/Org.json"} {
		if w := get(t, h, "GET", api.Prefix+p); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, w.Code)
		}
	}
}
