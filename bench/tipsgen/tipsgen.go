// Package tipsgen writes the synthetic input of the tip-scoring and network
// benchmarks: posts for `atip tips score` and scored posts for `atip tips
// networks`. Nothing here is used at run time.
package tipsgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// words is a vocabulary for synthetic text: a mix of the languages posts
// come in, so that folding and transliteration are exercised.
var words = strings.Fields(`job work hotel salary girls visa ticket free dubai delhi mumbai kolkata
call whatsapp contact urgent family experience interview office company good month year
naukri kaam ladkiyan chahiye paisa mahina ghar rehna khana jaldi achhi salary turant
नौकरी काम लड़कियां वेतन महीना घर परिवार जल्दी संपर्क कंपनी होटल दुबई
চাকরি কাজ মেয়ে বেতন মাস বাড়ি পরিবার যোগাযোগ কোম্পানি হোটেল দুবাই
काम केटी तलब महिना घर परिवार सम्पर्क कम्पनी होटल
the a and for in with to of on at from is are will be we you our your this that`)

// Phone-like numbers that are valid but fictional in their series.
func phoneNumber(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("+91 7%04d %05d", r.IntN(10000), r.IntN(100000))
	case 1:
		return fmt.Sprintf("98%08d", r.IntN(100000000))
	case 2:
		return fmt.Sprintf("+977 980%07d", r.IntN(10000000))
	default:
		return fmt.Sprintf("017%08d", r.IntN(100000000))
	}
}

func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}

// WritePosts writes n synthetic posts as the input of `atip tips score`,
// drawn from templates with random details: a fixed seed gives the same
// file every time.
func WritePosts(w io.Writer, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 1))
	bw := bufio.NewWriter(w)
	for i := 0; i < n; i++ {
		text := sentence(r, 25+r.IntN(35))
		if r.IntN(3) == 0 {
			text += " " + phoneNumber(r)
		}
		if r.IntN(10) == 0 {
			text += " wa.me/91" + fmt.Sprintf("7%09d", r.IntN(1000000000))
		}
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("p%d", i), "platform": "facebook", "text": text,
			"url": fmt.Sprintf("https://facebook.com/posts/%d", i), "author": "@user" + fmt.Sprint(r.IntN(100000)), "posted_at": "2026-11-01T10:00:00Z"})
		bw.Write(line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// WriteScored writes n synthetic lines shaped like the output of `atip tips
// score`: most posts stand alone; some belong to networks that share a
// phone or handle and reuse an advertisement template with a few words
// changed; some quote a helpline number.
func WriteScored(w io.Writer, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 2))
	type network struct {
		template []string
		phones   []string
		handle   string
	}
	nets := make([]network, max(1, n/500))
	for i := range nets {
		nets[i] = network{template: strings.Fields(sentence(r, 30+r.IntN(20))), phones: []string{fmt.Sprintf("+9197%08d", i), fmt.Sprintf("+9779800%06d", i)}, handle: fmt.Sprintf("@agent_%d", i)}
	}
	type sel struct {
		Type       string `json:"type"`
		Value      string `json:"value"`
		Normalized string `json:"normalized"`
	}
	type ind struct {
		ID    string `json:"id"`
		Label string `json:"label"`
		Start int    `json:"start"`
		End   int    `json:"end"`
	}
	type line struct {
		ID         string  `json:"id"`
		Platform   string  `json:"platform"`
		Text       string  `json:"text"`
		Score      float64 `json:"score"`
		Indicators []ind   `json:"indicators"`
		Selectors  []sel   `json:"selectors"`
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	for i := 0; i < n; i++ {
		l := line{ID: fmt.Sprintf("p%d", i), Platform: "facebook", Indicators: []ind{}, Selectors: []sel{}}
		if r.IntN(10) < 3 {
			nw := nets[r.IntN(len(nets))]
			t := append([]string(nil), nw.template...)
			for k := 0; k < 2; k++ {
				t[r.IntN(len(t))] = words[r.IntN(len(words))]
			}
			l.Text = strings.Join(t, " ")
			l.Score = 0.7
			l.Indicators = append(l.Indicators, ind{ID: "TGT-GIRLS-ONLY", Label: "Only girls or young women wanted", Start: 0, End: len(t[0])})
			switch r.IntN(3) {
			case 0:
				p := nw.phones[r.IntN(len(nw.phones))]
				l.Selectors = append(l.Selectors, sel{"phone", p, p})
			case 1:
				l.Selectors = append(l.Selectors, sel{"handle", nw.handle, nw.handle})
			}
		} else {
			l.Text = sentence(r, 25+r.IntN(35))
			l.Score = 0.1
			if r.IntN(2) == 0 {
				p := fmt.Sprintf("+9170%08d", r.IntN(100000000))
				l.Selectors = append(l.Selectors, sel{"phone", p, p})
			}
		}
		if r.IntN(20) == 0 {
			l.Selectors = append(l.Selectors, sel{"phone", "1098", "+911098"})
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return bw.Flush()
}
