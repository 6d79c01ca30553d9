package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // show local times on machines without a zoneinfo database

	"atip"
	"atip/internal/i18n"
	"atip/internal/policy"
)

// Pages are templates/*.html, each parsed with the layout and the shared
// pieces in templates/partials/ (one definition used by several pages).
//
//go:embed templates/*.html templates/partials/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds every page template, parsed once per language so that the
// templates call {{t "key"}} without passing the language around.
type pages struct {
	byLang map[string]map[string]*template.Template // lang → page → template
}

func loadPages(cat *i18n.Catalog) (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byLang: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Languages {
		p.byLang[lang] = map[string]*template.Template{}
		for _, name := range names {
			base := path.Base(name)
			if base == "layout.html" {
				continue
			}
			page := strings.TrimSuffix(base, ".html")
			t, err := template.New(page).Funcs(funcs(cat, lang)).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", name)
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", name, err)
			}
			p.byLang[lang][page] = t
		}
	}
	return p, nil
}

// zones shows times in the zone of the country an organisation works in;
// the audit trail and the database keep UTC.
var zones = map[string]string{"IN": "Asia/Kolkata", "NP": "Asia/Kathmandu", "BD": "Asia/Dhaka", "LK": "Asia/Colombo"}

var zoneCache sync.Map

func zoneFor(a *atip.Actor) *time.Location {
	if a == nil || a.Org == nil || len(a.Org.Jurisdiction) < 2 {
		return time.UTC
	}
	name, ok := zones[strings.ToUpper(a.Org.Jurisdiction[:2])]
	if !ok {
		return time.UTC
	}
	if loc, ok := zoneCache.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	zoneCache.Store(name, loc)
	return loc
}

func funcs(cat *i18n.Catalog, lang string) template.FuncMap {
	return template.FuncMap{
		"t":        func(key string, args ...any) string { return cat.T(lang, key, args...) },
		"tn":       func(key string, n int, args ...any) string { return cat.N(lang, key, n, args...) },
		"langName": i18n.Name,
		"asset":    assetPath,
		"has": func(roles []atip.Role, r atip.Role) bool {
			for _, x := range roles {
				if x == r {
					return true
				}
			}
			return false
		},
		"hasStr": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
	}
}

// view is what every page template gets: the page's own data in Data, and
// around it what the layout needs.
type view struct {
	Lang   string
	Langs  []string
	Path   string // the current path and query, where the language picker returns to
	Actor  *atip.Actor
	Nav    []navItem
	Status int
	Data   any
}

type navItem struct {
	Href, Key string
	Current   bool
	Count     int // unread items, shown beside the label when not 0
}

// nav lists the built modules the actor may use. Modules still to come are
// not linked: the home page names them in plain words instead.
func nav(a *atip.Actor, path string) []navItem {
	if a == nil {
		return nil
	}
	items := []navItem{{Href: "/", Key: "nav.home"}}
	if policy.CanSome(a, policy.OrgView) {
		items = append(items, navItem{Href: "/orgs", Key: "nav.orgs"})
	}
	if policy.CanSome(a, policy.UserView) {
		items = append(items, navItem{Href: "/users", Key: "nav.users"})
	}
	if policy.CanSome(a, policy.GroupView) {
		items = append(items, navItem{Href: "/groups", Key: "nav.groups"})
	}
	if policy.CanSome(a, policy.TipView) {
		items = append(items, navItem{Href: "/tips", Key: "nav.tips"})
	}
	if policy.CanSome(a, policy.RecordBrowse) {
		items = append(items, navItem{Href: "/cases", Key: "cases.nav"},
			navItem{Href: "/interceptions", Key: "nav.interceptions"},
			navItem{Href: "/signals", Key: "nav.signals"},
			navItem{Href: "/missing", Key: "nav.missing"})
	}
	if policy.CanSome(a, policy.AuditView) {
		items = append(items, navItem{Href: "/audit", Key: "nav.audit"})
	}
	if policy.CanSome(a, policy.RecordBrowse) && a.User != nil {
		items = append(items,
			navItem{Href: "/dashboard/overdue", Key: "care.nav.overdue"},
			navItem{Href: "/handovers", Key: "care.nav.handovers"},
			navItem{Href: "/sharing/inbox", Key: "sharing.nav.inbox"})
		items = append(items, navItem{Href: "/review", Key: "review.nav"})
	}
	items = append(items, navItem{Href: "/account", Key: "nav.account"})
	for i := range items {
		h := items[i].Href
		items[i].Current = path == h || (h != "/" && strings.HasPrefix(path, h+"/"))
	}
	return items
}

// render writes a full page, or with block set only that named block (an
// htmx partial update).
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page string, data any) {
	s.renderBlock(w, r, code, page, "layout", data)
}

func (s *Server) renderBlock(w http.ResponseWriter, r *http.Request, code int, page, block string, data any) {
	st := stateOf(r)
	t := s.pages.byLang[st.lang][page]
	if t == nil {
		s.log.Error("no such page template", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := view{
		Lang: st.lang, Langs: i18n.Languages, Path: r.URL.RequestURI(),
		Actor: st.actor, Nav: nav(st.actor, r.URL.Path), Status: code, Data: data,
	}
	s.countUnread(r, v.Nav)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, v); err != nil {
		s.log.Error("rendering page", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, HX-Request")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// Static assets are served under a path that holds a hash of their
// content, so they can be cached for a year and still change on upgrade.
var (
	assetOnce   sync.Once
	assetHashes map[string]string // "style.css" → "style.css?v=abcd1234"
)

func assetPath(name string) string {
	assetOnce.Do(func() {
		assetHashes = map[string]string{}
		fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := staticFS.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			rel := strings.TrimPrefix(p, "static/")
			assetHashes[rel] = "/static/" + rel + "?v=" + hex.EncodeToString(sum[:6])
			return nil
		})
	})
	if p, ok := assetHashes[name]; ok {
		return p
	}
	return "/static/" + name
}

func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		if serveGzipped(w, r, sub) {
			return
		}
		files.ServeHTTP(w, r)
	})
}

// gzipped holds text assets compressed once, on first request: htmx goes
// from 52 KB to about 16 KB on the wire, which matters on a rural 2G link.
var gzipped sync.Map // path → []byte

var compressible = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

func serveGzipped(w http.ResponseWriter, r *http.Request, files fs.FS) bool {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	ctype, ok := compressible[path.Ext(name)]
	if !ok || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		return false
	}
	v, ok := gzipped.Load(name)
	if !ok {
		raw, err := fs.ReadFile(files, name)
		if err != nil {
			return false
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(raw)
		zw.Close()
		v, _ = gzipped.LoadOrStore(name, buf.Bytes())
	}
	b := v.([]byte)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Encoding", "gzip")
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if r.Method != http.MethodHead {
		w.Write(b)
	}
	return true
}
