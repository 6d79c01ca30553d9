package linkage

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// A blocking pass proposes as candidates the pairs of records that share
// one of their keys under it. Records may have several keys in one pass
// (one per name word, say), so a single name and a full name, or names in
// another order, still meet.
type pass struct {
	name      string
	blocks_on []int                       // fields whose agreement the key implies
	k         int                         // keys per record
	keys      []uint64                    // k per record, 0 = none
	fill      func(p *prep, out []uint64) // computes a record's keys
	capped    map[uint64]bool             // keys whose blocks were too big to compare
	recs      []uint32                    // records sorted by key
	blocks    []block                     // runs of recs with one key
	// noFit keeps the pass's pairs out of the estimation of the model.
	// The model's u is estimated among candidate pairs, so a pass whose
	// candidates are mostly of another kind (strangers from a same-named
	// village in another district) would shift it and with it every
	// score: 80,000 such pairs among 5.9 million lowered F1 at 100,000 ×
	// 20,000 from 0.82 to 0.80. They are scored like any other pair.
	noFit bool
	// pairOK, if set, drops a proposed pair before it is compared: for a
	// rescue pass, the pairs that needed no rescue.
	pairOK func(a, b *prep) bool
}

type block struct {
	key    uint64
	lo, hi uint32 // recs[lo:hi]
	nl     uint32 // in link mode, how many of them are left records (they come first)
}

// nameKeys writes up to three name-word keys mixed with extra.
func nameKeys(p *prep, out []uint64, salt uint64, extra uint64) int {
	n := 0
	for i := 0; i < int(p.nameN) && i < 3 && n < len(out); i++ {
		out[n] = combine(salt, combine(uint64(p.nameTK[i]), extra))
		n++
	}
	return n
}

// placeOf is the most precise place known: district, else state, else
// country; 0 if none.
func placeOf(p *prep) uint64 {
	switch {
	case p.district != 0:
		return p.district
	case p.state != 0:
		return p.state
	case p.country != 0:
		return uint64(p.country) + 1
	}
	return 0
}

// sexesOf lists the sexes a record is blocked under: its own, or both
// when it is not recorded, so that a record without a sex still meets
// records of either (a missing value must not lose a true match).
func sexesOf(p *prep) []uint8 {
	if p.sex == 0 {
		return bothSexes
	}
	return oneSex[p.sex]
}

var (
	bothSexes = []uint8{'F', 'M'}
	oneSex    = map[uint8][]uint8{'F': {'F'}, 'M': {'M'}}
)

// band returns the index of the birth-year band of width w (offset by
// shift years) of a record.
func band(p *prep, w, shift float64) uint64 {
	return uint64(int64(math.Floor((float64(p.by)+shift)/w)) + 1000)
}

// guardianKeys writes the keys of up to three guardian name words in
// place pl.
func guardianKeys(p *prep, out []uint64, pl, salt uint64) {
	if pl == 0 {
		return
	}
	for i := 0; i < int(p.guardN) && i < 3; i++ {
		out[i] = combine(salt, combine(uint64(p.guardTK[i]), pl))
	}
}

// villageKeys writes a record's keys for village v in two overlapping
// four-year birth bands, under each of its sexes.
func villageKeys(p *prep, out []uint64, v, salt uint64) {
	n := 0
	for _, sx := range sexesOf(p) {
		out[n] = combine(salt, combine(v, band(p, 4, 0)*4+uint64(sx)))
		out[n+1] = combine(salt+100, combine(v, band(p, 4, 2)*4+uint64(sx)))
		n += 2
	}
}

// passes returns the blocking passes. Their order matters only for speed:
// a pair is compared in the first pass that proposes it.
func passes() []*pass {
	return []*pass{
		{name: "phone", blocks_on: []int{fPhone, fGuardian, fPlace}, k: 1, fill: func(p *prep, out []uint64) {
			if p.phone != 0 {
				out[0] = combine(1, p.phone)
			}
		}},
		{name: "name word + district", blocks_on: []int{fName, fPlace}, k: 3, fill: func(p *prep, out []uint64) {
			if pl := placeOf(p); pl != 0 {
				nameKeys(p, out, 2, pl)
			}
		}},
		{name: "name word + sex + birth-year band", blocks_on: []int{fName, fBirthYear, fSex}, k: 12, fill: func(p *prep, out []uint64) {
			if math.IsNaN(float64(p.by)) {
				return
			}
			// Two overlapping six-year bands, so that estimates near a band
			// edge still meet.
			n := 0
			for _, sx := range sexesOf(p) {
				b1 := band(p, 6, 0)*4 + uint64(sx)
				b2 := (band(p, 6, 3)+1000)*4 + uint64(sx)
				n += nameKeys(p, out[n:n+3], 3, b1)
				n += nameKeys(p, out[n:n+3], 4, b2)
			}
		}},
		{name: "guardian word + village", blocks_on: []int{fGuardian, fPlace, fPhone}, k: 3, fill: func(p *prep, out []uint64) {
			pl := p.village
			if pl == 0 {
				pl = placeOf(p)
			}
			guardianKeys(p, out, pl, 5)
		}},
		{name: "guardian's given name + district", blocks_on: []int{fGuardian, fPlace, fPhone}, k: 1, noFit: true, fill: func(p *prep, out []uint64) {
			// One record may give only the village, the other only the
			// district. The guardian's given name only (the word written
			// first): a family name across a whole district proposes
			// every family of a caste.
			if pl := placeOf(p); pl != 0 && p.guardN > 0 {
				out[0] = combine(13, combine(uint64(p.guardTK[p.guardFirst]), pl))
			}
		}},
		{name: "name word + village", blocks_on: []int{fName, fPlace}, k: 4, fill: func(p *prep, out []uint64) {
			if p.village != 0 {
				n := nameKeys(p, out[:3], 10, p.village)
				// The family name a given name alone takes from its
				// guardian's name meets the same word in a full name.
				if p.altN > 0 {
					for i := 0; i < int(p.altN); i++ {
						if p.altTK[i] != p.nameTK[0] {
							out[n] = combine(10, combine(uint64(p.altTK[i]), p.village))
							break
						}
					}
				}
			}
		}},
		{name: "name word + sex", blocks_on: []int{fName, fSex}, k: 6, fill: func(p *prep, out []uint64) {
			// Only rare name words get through MaxBlock: what is left when
			// place and age are both missing on one side.
			n := 0
			for _, sx := range sexesOf(p) {
				n += nameKeys(p, out[n:n+3], 11, uint64(sx)+1)
			}
		}},
		{name: "whole name + sex", blocks_on: []int{fName, fSex}, k: 2, fill: func(p *prep, out []uint64) {
			if p.nameKey != 0 {
				for n, sx := range sexesOf(p) {
					out[n] = combine(6, combine(p.nameKey, uint64(sx)))
				}
			}
		}},
		{name: "name word shape + district + sex + birth-year band", blocks_on: []int{fName, fPlace, fBirthYear, fSex}, k: 6, fill: func(p *prep, out []uint64) {
			// The first letter and length of each word: meets typing
			// errors inside a word (Anjisha/Ajnisha, Rahim/Rahiz) that
			// change its key.
			pl := placeOf(p)
			if pl == 0 || math.IsNaN(float64(p.by)) {
				return
			}
			n := 0
			for _, sx := range sexesOf(p) {
				b := band(p, 8, 0)*4 + uint64(sx)
				for i := 0; i < int(p.nameN) && i < 3; i++ {
					out[n] = combine(9, combine(uint64(p.nameShape[i]), combine(pl, b)))
					n++
				}
			}
		}},
		{name: "village + sex + birth-year band", blocks_on: []int{fPlace, fSex, fBirthYear, fGuardian, fPhone}, k: 4, fill: func(p *prep, out []uint64) {
			if p.village == 0 || math.IsNaN(float64(p.by)) {
				return
			}
			villageKeys(p, out, combine(p.village, p.district), 7)
		}},
		{name: "village alone + sex + birth-year band", blocks_on: []int{fPlace, fSex, fBirthYear, fGuardian, fPhone}, k: 4, noFit: true,
			// Two records that both give a district met in the pass before
			// if it is the same one; if not, they are strangers from
			// same-named villages, a million of them in a large register.
			pairOK: func(a, b *prep) bool { return a.district == 0 || b.district == 0 },
			fill: func(p *prep, out []uint64) {
				// For a record that gives no district (or another spelling of
				// it). Most of what this pass adds are people of a same-named
				// village in another district: see pass.noFit.
				if p.village == 0 || math.IsNaN(float64(p.by)) {
					return
				}
				villageKeys(p, out, p.village, 12)
			}},
	}
}

// buildPass computes every record's keys under ps, sorts the records by
// key and finds the blocks worth comparing. Blocks of more than maxBlock
// pairs are skipped (their key is too common to say anything) and
// remembered as capped.
func buildPass(ps *pass, t *table, nLeft int, link bool, maxBlock int64, workers int) (pairs int64) {
	n := len(t.p)
	ps.keys = make([]uint64, n*ps.k)
	parallelFor(n, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out := ps.keys[i*ps.k : (i+1)*ps.k]
			ps.fill(&t.p[i], out)
			// A key twice for one record (a name like "Ram Ram") would
			// propose the record with itself.
			for a := 1; a < len(out); a++ {
				for b := 0; b < a; b++ {
					if out[a] != 0 && out[a] == out[b] {
						out[a] = 0
					}
				}
			}
			// Keys first, zeros after: seenBefore stops at the first zero.
			n := 0
			for _, k := range out {
				if k != 0 {
					out[n] = k
					n++
				}
			}
			clear(out[n:])
		}
	})
	type entry struct {
		key uint64
		rec uint32
	}
	// Partition by the top byte of the key, then sort the partitions in
	// parallel.
	var counts [256]int
	for _, k := range ps.keys {
		if k != 0 {
			counts[k>>56]++
		}
	}
	var starts [257]int
	for b := 0; b < 256; b++ {
		starts[b+1] = starts[b] + counts[b]
	}
	entries := make([]entry, starts[256])
	pos := starts
	for i := 0; i < n; i++ {
		for _, k := range ps.keys[i*ps.k : (i+1)*ps.k] {
			if k != 0 {
				entries[pos[k>>56]] = entry{k, uint32(i)}
				pos[k>>56]++
			}
		}
	}
	parallelFor(256, workers, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			part := entries[starts[b]:starts[b+1]]
			slices.SortFunc(part, func(x, y entry) int {
				if x.key != y.key {
					if x.key < y.key {
						return -1
					}
					return 1
				}
				return int(x.rec) - int(y.rec)
			})
		}
	})
	ps.recs = make([]uint32, len(entries))
	for i, e := range entries {
		ps.recs[i] = e.rec
	}
	ps.capped = map[uint64]bool{}
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].key == entries[lo].key {
			hi++
		}
		size := int64(hi - lo)
		var np int64
		nl := 0
		if link {
			for nl < hi-lo && int(entries[lo+nl].rec) < nLeft {
				nl++
			}
			np = int64(nl) * (size - int64(nl))
		} else {
			np = size * (size - 1) / 2
		}
		switch {
		case np == 0:
		case np > maxBlock:
			ps.capped[entries[lo].key] = true
		default:
			ps.blocks = append(ps.blocks, block{key: entries[lo].key, lo: uint32(lo), hi: uint32(hi), nl: uint32(nl)})
			pairs += np
		}
		lo = hi
	}
	// Capped keys proposed nothing, so they must not count as having
	// proposed a pair either: clearing them here spares seenBefore a map
	// look-up on every shared key.
	if len(ps.capped) > 0 {
		parallelFor(n, workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				out := ps.keys[i*ps.k : (i+1)*ps.k]
				m := 0
				for _, k := range out {
					if k != 0 && !ps.capped[k] {
						out[m] = k
						m++
					}
				}
				clear(out[m:])
			}
		})
	}
	return pairs
}

// seenBefore reports whether records i and j were already proposed by an
// earlier pass, or by a smaller key of this pass, whose block was compared.
func seenBefore(all []*pass, p int, key uint64, i, j int) bool {
	for q := 0; q <= p; q++ {
		ps := all[q]
		ki := ps.keys[i*ps.k : (i+1)*ps.k]
		kj := ps.keys[j*ps.k : (j+1)*ps.k]
		for _, a := range ki {
			if a == 0 {
				break
			}
			if q == p && a >= key {
				continue
			}
			for _, b := range kj {
				if b == 0 {
					break
				}
				if a == b {
					return true
				}
			}
		}
	}
	return false
}

// forEachPair calls visit for every candidate pair of the passes, each pair
// once, in parallel. worker is the index of the goroutine, for per-worker
// accumulators. keep selects blocks (nil keeps all). progress, if not nil,
// is called with the number of pairs of each finished chunk of blocks.
func forEachPair(t *table, all []*pass, link bool, workers int, keep func(b *block) bool,
	visit func(worker, pass, i, j int), progress func(n int64)) {
	for p, ps := range all {
		var next atomic.Int64
		const chunk = 64
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for {
					lo := int(next.Add(chunk)) - chunk
					if lo >= len(ps.blocks) {
						return
					}
					var done int64
					for bi := lo; bi < min(lo+chunk, len(ps.blocks)); bi++ {
						b := &ps.blocks[bi]
						if keep != nil && !keep(b) {
							continue
						}
						recs := ps.recs[b.lo:b.hi]
						if link {
							left, right := recs[:b.nl], recs[b.nl:]
							done += int64(len(left)) * int64(len(right))
							for _, i := range left {
								for _, j := range right {
									if (ps.pairOK == nil || ps.pairOK(&t.p[i], &t.p[j])) && !seenBefore(all, p, b.key, int(i), int(j)) {
										visit(w, p, int(i), int(j))
									}
								}
							}
						} else {
							done += int64(len(recs)) * int64(len(recs)-1) / 2
							for x := 0; x < len(recs); x++ {
								for y := x + 1; y < len(recs); y++ {
									i, j := int(recs[x]), int(recs[y])
									if (ps.pairOK == nil || ps.pairOK(&t.p[i], &t.p[j])) && !seenBefore(all, p, b.key, i, j) {
										visit(w, p, i, j)
									}
								}
							}
						}
					}
					if progress != nil {
						progress(done)
					}
				}
			}(w)
		}
		wg.Wait()
	}
}

// parallelFor runs body over [0,n) split into chunks across workers.
func parallelFor(n, workers int, body func(lo, hi int)) {
	if n == 0 {
		return
	}
	chunk := max(1, min(8192, n/(workers*4)+1))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				body(lo, min(lo+chunk, n))
			}
		}()
	}
	wg.Wait()
}
