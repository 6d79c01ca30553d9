package tips

// automaton is an Aho–Corasick automaton compiled to a complete transition
// table over byte classes, so that scanning is one table look-up per byte
// with no failure-link loops. Only bytes that occur in some pattern get a
// class of their own; every other byte shares class 0, which leads back to
// the root.
type automaton struct {
	class   [256]uint8
	nclass  int
	next    []int32 // next[state*nclass+class]
	out     [][]int32
	lengths []int // byte length of each pattern
}

// newAutomaton compiles patterns; pattern i is reported as i.
func newAutomaton(patterns []string) *automaton {
	a := &automaton{nclass: 1, lengths: make([]int, len(patterns))}
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if a.class[p[i]] == 0 {
				if a.nclass == 255 {
					continue // cannot happen with folded text; such bytes share class 0
				}
				a.class[p[i]] = uint8(a.nclass)
				a.nclass++
			}
		}
	}
	// The trie, with -1 for a missing edge.
	grow := func() int32 {
		for i := 0; i < a.nclass; i++ {
			a.next = append(a.next, -1)
		}
		a.out = append(a.out, nil)
		return int32(len(a.out) - 1)
	}
	grow() // root
	for id, p := range patterns {
		a.lengths[id] = len(p)
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := int32(a.class[p[i]])
			n := a.next[s*int32(a.nclass)+c]
			if n < 0 {
				n = grow()
				a.next[s*int32(a.nclass)+c] = n
			}
			s = n
		}
		a.out[s] = append(a.out[s], int32(id))
	}
	// Breadth-first: failure links, completed transitions, merged outputs.
	fail := make([]int32, len(a.out))
	queue := make([]int32, 0, len(a.out))
	for c := 0; c < a.nclass; c++ {
		n := a.next[c]
		if n < 0 {
			a.next[c] = 0
			continue
		}
		fail[n] = 0
		queue = append(queue, n)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if f := fail[s]; len(a.out[f]) > 0 {
			a.out[s] = append(a.out[s], a.out[f]...)
		}
		for c := 0; c < a.nclass; c++ {
			i := s*int32(a.nclass) + int32(c)
			n := a.next[i]
			f := a.next[fail[s]*int32(a.nclass)+int32(c)]
			if n < 0 {
				a.next[i] = f
				continue
			}
			fail[n] = f
			queue = append(queue, n)
		}
	}
	return a
}

// scan calls found(pattern, end) for every occurrence of every pattern in s,
// end being the byte offset just past the occurrence.
func (a *automaton) scan(s []byte, found func(pattern int32, end int)) {
	state := int32(0)
	nc := int32(a.nclass)
	for i := 0; i < len(s); i++ {
		state = a.next[state*nc+int32(a.class[s[i]])]
		if out := a.out[state]; len(out) > 0 {
			for _, p := range out {
				found(p, i+1)
			}
		}
	}
}
