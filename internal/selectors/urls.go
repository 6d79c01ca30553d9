package selectors

import (
	"net/url"
	"strings"

	"mvdan.cc/xurls/v2"
)

// relaxed finds URLs with or without a scheme ("wa.me/…" is how recruiters
// write them). It is a large regular expression, so it runs only on the
// few words of a text that could hold a URL, never on the whole text.
var relaxed = xurls.Relaxed()

// urls finds the words that could hold a URL — those with "://" or a dot
// between an alphanumeric and a letter — and lets xurls find the URL inside.
func (x *extractor) urls() {
	s := x.m.s
	done := -1 // end of the last word handed to xurls
	for i := 1; i+1 < len(s); i++ {
		c := s[i]
		if i < done {
			continue
		}
		cand := c == '.' && isASCIIAlnum(s[i-1]) && isLetter(s[i+1]) ||
			c == ':' && strings.HasPrefix(s[i:], "://")
		if !cand {
			continue
		}
		a, b := i, i
		for a > 0 && !urlStop(s[a-1]) {
			a--
		}
		for b < len(s) && !urlStop(s[b]) {
			b++
		}
		done = b
		word := s[a:b]
		if ua, ub, ok := knownLink(word); ok {
			x.url(a+ua, a+ub, word[ua:ub])
			continue
		}
		for _, loc := range relaxed.FindAllStringIndex(word, -1) {
			u := word[loc[0]:loc[1]]
			if strings.Contains(u, "@") && !strings.Contains(u, "://") {
				continue // an e-mail address, found by ats
			}
			if abbreviation(u) {
				continue
			}
			x.url(a+loc[0], a+loc[1], u)
		}
	}
}

// knownHosts are the link hosts recruiters use most; a word that starts
// with one of them (after an optional scheme and "www.") is read directly,
// which is many times cheaper than the general pattern.
var knownHosts = []string{"wa.me/", "t.me/", "chat.whatsapp.com/", "api.whatsapp.com/", "telegram.me/",
	"facebook.com/", "m.facebook.com/", "fb.com/", "instagram.com/", "tiktok.com/"}

func knownLink(word string) (int, int, bool) {
	a := 0
	for a < len(word) && !isASCIIAlnum(word[a]) {
		a++
	}
	rest := word[a:]
	low := strings.ToLower(rest[:min(len(rest), 40)])
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(low, p) {
			low = low[len(p):]
			break
		}
	}
	low = strings.TrimPrefix(low, "www.")
	for _, h := range knownHosts {
		if strings.HasPrefix(low, h) {
			b := len(word)
			// Stop at the first byte a URL cannot hold, then drop
			// sentence punctuation glued to the end.
			for i := a; i < b; i++ {
				if word[i] >= 0x80 || word[i] <= ' ' {
					b = i
					break
				}
			}
			for b > a && strings.IndexByte(".,!?;:'\"»", word[b-1]) >= 0 {
				b--
			}
			return a, b, b > a+len(h)
		}
	}
	return 0, 0, false
}

// shortHosts are real hosts with a one-letter first label.
var shortHosts = map[string]bool{"t.me": true, "x.com": true, "g.co": true, "m.me": true, "t.co": true, "v.ht": true}

// abbreviation reports whether a scheme-less match is an abbreviation
// that happens to end in a top-level domain: "B.Sc", "B.Com", "M.Tech".
func abbreviation(u string) bool {
	if strings.Contains(u, "://") || strings.HasPrefix(strings.ToLower(u), "www.") {
		return false
	}
	host, _, _ := strings.Cut(u, "/")
	host = strings.ToLower(host)
	first, _, _ := strings.Cut(host, ".")
	return len(first) == 1 && !shortHosts[host]
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func urlStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '<', '>', '(', ')', '[', ']', '{', '}', '|', '\\', '^', '`':
		return true
	}
	return false
}

// trackingParams carry who clicked, not what was linked.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "igshid": true, "igsh": true, "si": true, "ref": true,
	"mibextid": true, "_rdr": true, "__cft__[0]": true, "__tn__": true,
}

// normURL returns the parsed URL and its normal form host/path?query, or
// ok=false when it does not parse. http and https give the same form: for
// linking two posts they are the same page.
func normURL(raw string) (*url.URL, string, bool) {
	r := raw
	if !strings.Contains(r, "://") {
		r = "https://" + r
	}
	u, err := url.Parse(r)
	if err != nil || u.Host == "" {
		return nil, "", false
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	host = strings.TrimSuffix(host, ".")
	if host == "" || strings.HasPrefix(host, ".") {
		return nil, "", false
	}
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	u.Host = host
	path := strings.TrimRight(u.EscapedPath(), "/")
	q := u.Query()
	for k := range q {
		if trackingParams[strings.ToLower(k)] || strings.HasPrefix(strings.ToLower(k), "utm_") {
			q.Del(k)
		}
	}
	n := host + path
	if enc := q.Encode(); enc != "" {
		n += "?" + enc
	}
	return u, n, true
}

func (x *extractor) url(a, b int, raw string) {
	u, n, ok := normURL(raw)
	if !ok {
		return
	}
	x.claim(a, b)
	host := u.Host
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	first := segs[0]
	switch host {
	case "wa.me", "api.whatsapp.com", "web.whatsapp.com", "whatsapp.com":
		digits := first
		if host != "wa.me" {
			digits = u.Query().Get("phone")
		}
		digits = strings.TrimPrefix(strings.TrimSpace(digits), "+")
		if digits != "" && allDigits(digits) {
			if p, ok := parsePhone("+"+digits, ""); ok {
				x.add(WhatsApp, a, b, p.E164)
				x.add(Phone, a, b, p.E164)
				return
			}
		}
		x.add(WhatsApp, a, b, n)
		return
	case "chat.whatsapp.com":
		if first != "" {
			x.add(WhatsApp, a, b, "chat.whatsapp.com/"+first)
			return
		}
	case "t.me", "telegram.me", "telegram.dog":
		switch {
		case first == "joinchat" && len(segs) > 1:
			x.add(Telegram, a, b, "t.me/+"+segs[1])
		case strings.HasPrefix(first, "+"):
			x.add(Telegram, a, b, "t.me/"+first)
		case first != "" && first != "s":
			x.add(Telegram, a, b, "t.me/"+strings.ToLower(first))
		case first == "s" && len(segs) > 1:
			x.add(Telegram, a, b, "t.me/"+strings.ToLower(segs[1]))
		default:
			x.add(URL, a, b, n)
		}
		return
	}
	x.add(URL, a, b, n)
	if h := profileHandle(host, segs); h != "" {
		x.add(Handle, a, b, "@"+strings.ToLower(h))
	}
}

// notProfiles are first path segments of social sites that name a page
// kind, not an account.
var notProfiles = map[string]bool{
	"p": true, "reel": true, "reels": true, "stories": true, "explore": true, "groups": true, "pages": true,
	"share": true, "sharer": true, "sharer.php": true, "profile.php": true, "watch": true, "events": true,
	"marketplace": true, "photo": true, "photo.php": true, "permalink.php": true, "story.php": true,
	"hashtag": true, "search": true, "login": true, "video": true, "tag": true, "i": true, "intent": true,
	"home": true, "help": true, "privacy": true, "about": true, "tv": true, "accounts": true,
}

func profileHandle(host string, segs []string) string {
	first := segs[0]
	switch host {
	case "facebook.com", "m.facebook.com", "web.facebook.com", "fb.com", "mbasic.facebook.com",
		"instagram.com", "twitter.com", "x.com", "threads.net":
		if len(segs) == 1 && first != "" && !notProfiles[strings.ToLower(first)] && validHandle(first) {
			return strings.TrimPrefix(first, "@")
		}
	case "tiktok.com", "m.tiktok.com":
		if strings.HasPrefix(first, "@") && validHandle(first[1:]) {
			return first[1:]
		}
	}
	return ""
}

func validHandle(h string) bool {
	h = strings.TrimPrefix(h, "@")
	if len(h) < 2 || len(h) > 50 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !isASCIIAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
