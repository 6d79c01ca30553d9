package api_test

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atip/internal/api"
	"atip/internal/database"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

var update = flag.Bool("update", false, "rewrite testdata/operations.golden from the served document")

// TestOpenAPIDocument checks that the served document is valid OpenAPI 3.1
// (against the specification's schema, by an independent validator), is the
// same in JSON and YAML, and lists exactly the operations in
// testdata/operations.golden — so that any change to the API's surface,
// its scopes or its policy actions shows in review.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, database.SQLite)
	w := e.do(http.MethodGet, api.Prefix+"/openapi.json", "", "")
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

	yw := e.do(http.MethodGet, api.Prefix+"/openapi.yaml", "", "")
	ydoc, err := libopenapi.NewDocument(yw.Body.Bytes())
	if yw.Code != http.StatusOK || err != nil {
		t.Fatalf("GET openapi.yaml: %d %v", yw.Code, err)
	}
	m, _ := doc.BuildV3Model()
	ym, _ := ydoc.BuildV3Model()
	if m == nil || ym == nil || m.Model.Paths.PathItems.Len() != ym.Model.Paths.PathItems.Len() {
		t.Error("the YAML document does not list the same paths as the JSON one")
	}

	var lines []string
	for _, o := range operations(t, e) {
		lines = append(lines, fmt.Sprintf("%-6s %-22s %-20s scope=%-5s action=%s", o.Method, o.Path, o.ID, o.Scope, o.Action))
	}
	got := strings.Join(lines, "\n") + "\n"
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
		t.Errorf("operations changed; review and run go test -run TestOpenAPIDocument -update\ngot:\n%s\nwant:\n%s", got, want)
	}

	// Every listed operation is really served (a 401 for the anonymous,
	// not a 404 or 405 from the router).
	for _, o := range operations(t, e) {
		if w := e.do(o.Method, o.url("x"), "", ""); w.Code != http.StatusUnauthorized {
			t.Errorf("%s %s: %d, want 401 from a served operation", o.Method, o.Path, w.Code)
		}
	}
	// No documentation page that would load a viewer from a CDN.
	for _, p := range []string{"/docs", "/schemas/Org.json"} {
		if w := e.do("GET", api.Prefix+p, "", ""); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, w.Code)
		}
	}
}
