// Package networks groups records — posts, tips, persons, cases — into
// networks: two records are in one network when they share a selector
// (the same phone, handle, payment id …) or, for records with text, when
// their texts are near-duplicates (one advertisement template reused for
// several victims). Grouping is transitive (union–find).
//
// Two things keep unrelated records apart: an exclusion list of helpline,
// police and NGO numbers and generic selectors (exclusions.json, embedded),
// and a cap on how many records one selector may join — a selector shared
// by thousands of records is a portal or a public number, not a network.
//
// The package is pure: plain structs in, plain slices out.
package networks

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
)

// Item is one record to group.
type Item struct {
	ID   string
	Text string   // may be empty (a person or a case has selectors only)
	Keys []string // selector keys, as selectors.Selector.Key gives them ("phone:+91…")
}

// Options tune Cluster. The zero value gives the defaults.
type Options struct {
	// Exclude is the exclusion list; nil uses the embedded one.
	Exclude *Exclusions
	// MaxShare: a key held by more records than this is generic and links
	// nothing (default 1000; negative means no cap).
	MaxShare int
	// NoNearDup turns off near-duplicate text grouping.
	NoNearDup bool
	// Similarity is the estimated Jaccard similarity of word 3-shingles
	// at and above which two texts are near-duplicates (default 0.5).
	Similarity float64
	// Edges asks for the links that made each network, for display.
	Edges bool
}

// Edge is one reason two records are in the same network.
type Edge struct {
	A, B   int    // item indexes
	Reason string // the shared key, or "near-duplicate"
}

// Result gives each item its network.
type Result struct {
	// Network[i] is the network of item i: networks are numbered 0, 1, …
	// in the order of their first item, so the numbering is deterministic.
	Network []int
	Count   int    // number of networks
	Edges   []Edge // only with Options.Edges; a spanning set, not every pair
	Ignored []string
}

// Cluster groups items into networks.
func Cluster(items []Item, opt Options) (Result, error) {
	ex := opt.Exclude
	if ex == nil {
		var err error
		if ex, err = DefaultExclusions(); err != nil {
			return Result{}, err
		}
	}
	maxShare := opt.MaxShare
	if maxShare == 0 {
		maxShare = 1000
	}
	sim := opt.Similarity
	if sim == 0 {
		sim = 0.5
	}
	uf := newUnionFind(len(items))
	var edges []Edge

	// Selector keys, hashed: two different keys colliding in 64 bits is
	// far less likely than a typing error in the data.
	type keyInfo struct {
		first int32
		count int32
	}
	keys := make(map[uint64]*keyInfo, len(items))
	hashes := make([][]uint64, len(items))
	excluded := map[string]bool{}
	for i, it := range items {
		hs := make([]uint64, 0, len(it.Keys))
		for _, k := range it.Keys {
			if ex.Excludes(k) {
				excluded[k] = true
				continue
			}
			h := hashKey(k)
			dup := false
			for _, o := range hs {
				if o == h {
					dup = true
				}
			}
			if dup {
				continue
			}
			hs = append(hs, h)
			if ki := keys[h]; ki != nil {
				ki.count++
			} else {
				keys[h] = &keyInfo{first: int32(i), count: 1}
			}
		}
		hashes[i] = hs
	}
	var ignored []string
	for i, hs := range hashes {
		for j, h := range hs {
			ki := keys[h]
			if maxShare > 0 && int(ki.count) > maxShare {
				if int(ki.first) == i {
					ignored = append(ignored, keyOf(items[i], h))
				}
				continue
			}
			if int(ki.first) != i && uf.union(int(ki.first), i) && opt.Edges {
				edges = append(edges, Edge{A: int(ki.first), B: i, Reason: keyOf(items[i], hs[j])})
			}
		}
	}
	for k := range excluded {
		ignored = append(ignored, k)
	}
	if !opt.NoNearDup {
		for _, p := range nearDuplicates(items, sim) {
			if uf.union(p[0], p[1]) && opt.Edges {
				edges = append(edges, Edge{A: p[0], B: p[1], Reason: "near-duplicate"})
			}
		}
	}
	res := Result{Network: make([]int, len(items)), Edges: edges, Ignored: ignored}
	number := make(map[int]int)
	for i := range items {
		r := uf.find(i)
		n, ok := number[r]
		if !ok {
			n = len(number)
			number[r] = n
		}
		res.Network[i] = n
	}
	res.Count = len(number)
	return res, nil
}

func keyOf(it Item, h uint64) string {
	for _, k := range it.Keys {
		if hashKey(k) == h {
			return k
		}
	}
	return ""
}

func hashKey(k string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(k))
	return h.Sum64()
}

type unionFind struct {
	parent []int32
	size   []int32
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
	}
	return u
}

func (u *unionFind) find(i int) int {
	for int(u.parent[i]) != i {
		u.parent[i] = u.parent[u.parent[i]] // path halving
		i = int(u.parent[i])
	}
	return i
}

// union joins the sets of a and b and reports whether they were apart.
func (u *unionFind) union(a, b int) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return false
	}
	if u.size[ra] < u.size[rb] {
		ra, rb = rb, ra
	}
	u.parent[rb] = int32(ra)
	u.size[ra] += u.size[rb]
	return true
}

//go:embed exclusions.json
var exclusionsJSON []byte

// Exclusions are selectors that must never link records: emergency,
// helpline, police and NGO numbers that honest posts quote, and generic
// addresses.
type Exclusions struct {
	Version string `json:"version"`
	// Numbers are dialled numbers (short codes and full numbers), digits
	// only; a phone or WhatsApp key whose national number or E.164 digits
	// equal one of them is excluded.
	Numbers []Number `json:"numbers"`
	// Keys are exact selector keys ("url:facebook.com", "email:info@…").
	Keys []string `json:"keys"`
	// Hosts are web hosts whose bare address (no path) links nothing.
	Hosts []string `json:"hosts"`

	numbers map[string]bool
	keys    map[string]bool
}

// Number is one excluded number with what it is, for the analyst.
type Number struct {
	Digits  string `json:"digits"`
	Country string `json:"country"`
	What    string `json:"what"`
}

// DefaultExclusions returns the embedded exclusion list.
func DefaultExclusions() (*Exclusions, error) { return ParseExclusions(exclusionsJSON) }

// ParseExclusions reads an exclusion list.
func ParseExclusions(data []byte) (*Exclusions, error) {
	var e Exclusions
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("exclusions: %w", err)
	}
	e.numbers = map[string]bool{}
	e.keys = map[string]bool{}
	for _, n := range e.Numbers {
		if n.Digits == "" || strings.Trim(n.Digits, "0123456789") != "" {
			return nil, fmt.Errorf("exclusions: number %q is not digits", n.Digits)
		}
		e.numbers[n.Digits] = true
	}
	for _, k := range e.Keys {
		e.keys[k] = true
	}
	for _, h := range e.Hosts {
		e.keys["url:"+h] = true
	}
	return &e, nil
}

// With returns a list that excludes everything e and o exclude: a local
// list of NGO and shelter numbers adds to the embedded one.
func (e *Exclusions) With(o *Exclusions) *Exclusions {
	m := &Exclusions{Version: e.Version + "+" + o.Version, numbers: map[string]bool{}, keys: map[string]bool{}}
	for _, x := range []*Exclusions{e, o} {
		m.Numbers = append(m.Numbers, x.Numbers...)
		m.Keys = append(m.Keys, x.Keys...)
		m.Hosts = append(m.Hosts, x.Hosts...)
		for k := range x.numbers {
			m.numbers[k] = true
		}
		for k := range x.keys {
			m.keys[k] = true
		}
	}
	return m
}

// Excludes reports whether a selector key must not link records.
func (e *Exclusions) Excludes(key string) bool {
	if e.keys[key] {
		return true
	}
	typ, val, _ := strings.Cut(key, ":")
	switch typ {
	case "phone", "whatsapp":
		d := strings.TrimPrefix(val, "+")
		if e.numbers[d] {
			return true
		}
		// The national number: E.164 without the country code of the
		// regions ATIP serves.
		for _, cc := range []string{"91", "977", "880", "94", "971", "966", "974", "965", "968", "973"} {
			if strings.HasPrefix(val, "+"+cc) && e.numbers[d[len(cc):]] {
				return true
			}
		}
		// Short codes never identify a person.
		return len(d) < 7
	case "url":
		// A bare site address says nothing about who posted.
		return !strings.Contains(val, "/")
	}
	return false
}
