// Package deconflict lets two organisations find out that they hold the same
// selector — a trafficker's phone number, a recruiter's Facebook handle, a
// payment id, a passport number — without either seeing the other's record.
//
// Each selector is normalised (so "098410 12345", "+977 9841012345" and
// "९८४१०१२३४५" are one number) and turned into a token: HMAC-SHA256 under a
// deconfliction key held outside the database, like the master key. A plain
// hash would not do: phone numbers are few enough to hash them all, so an
// unkeyed hash of a phone number is the phone number. With the key out of the
// database, a copy of the token table reveals nothing; with the key, the
// server can only confirm selectors it is asked about.
//
// The matcher is pure: given the tokens of a new record and an index of
// tokens already held (token → owning organisation and record), it answers
// "a match exists: ask organisation X" and nothing else — no content of the
// other record. What follows — an access request, or a "sighting" in which
// the other side confirms "we have seen this too" — goes through the policy.
package deconflict

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"unicode"

	"atip"
	"atip/internal/phone"
	"atip/internal/textnorm"
)

// Kind is what sort of selector a value is. Tokens of different kinds never
// match.
type Kind string

const (
	Phone    Kind = "phone" // any telephone number, including WhatsApp, IMO, Viber, Signal ids
	Email    Kind = "email"
	Handle   Kind = "handle"   // an account on a platform: Scheme names the platform
	Document Kind = "document" // an identity or travel document number: Scheme names the type
	Payment  Kind = "payment"  // a payment id: Scheme names the kind of id
)

// Selector is an identifier as a user typed it.
type Selector struct {
	Kind Kind
	// Scheme refines the kind: the platform of a handle ("facebook",
	// "instagram", "tiktok", "telegram", "x", "whatsapp", "imo"…), the type of
	// a document ("aadhaar", "passport", "citizenship", …; informative only:
	// numbers match across types, since one office's "other" is another's
	// "passport"), the kind of a payment id ("upi", "bank", "wallet",
	// "crypto").
	Scheme string
	Value  string
	// Region is the ISO 3166 country to assume for a phone number written
	// without its country code ("" tries the region's usual countries).
	Region string
}

// ErrInvalid is wrapped by every normalisation error. The messages never
// repeat the value: it is personal data.
var ErrInvalid = errors.New("not a valid selector")

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, a...)...)
}

// Platforms whose account ids are phone numbers: their handles are matched as
// phone numbers, so a WhatsApp number finds the same number noted as a phone.
var phonePlatforms = map[string]bool{"whatsapp": true, "imo": true, "viber": true, "signal": true}

// hostPlatforms maps the hosts of profile links to platforms.
var hostPlatforms = map[string]string{
	"facebook.com": "facebook", "fb.com": "facebook", "m.facebook.com": "facebook", "fb.me": "facebook",
	"instagram.com": "instagram", "tiktok.com": "tiktok", "t.me": "telegram", "telegram.me": "telegram",
	"x.com": "x", "twitter.com": "x", "youtube.com": "youtube", "linkedin.com": "linkedin",
}

// Normalise returns the canonical kind and text of a selector: the form two
// people writing the same identifier differently both end up with. The kind
// may change: a WhatsApp handle or a wallet id that is a phone number becomes
// a phone.
func Normalise(s Selector) (Kind, string, error) {
	v := strings.TrimSpace(textnorm.Clean(s.Value))
	if v == "" {
		return "", "", invalid("the %s is empty", s.Kind)
	}
	if len(v) > 512 {
		return "", "", invalid("the %s is too long", s.Kind)
	}
	scheme := strings.ToLower(strings.TrimSpace(s.Scheme))
	switch s.Kind {
	case Phone:
		return normPhone(v, s.Region)
	case Email:
		return normEmail(v)
	case Handle:
		return normHandle(scheme, v, s.Region)
	case Document:
		id := alnumUpper(v)
		if len(id) < 4 {
			return "", "", invalid("a document number has at least 4 letters or digits")
		}
		return Document, id, nil
	case Payment:
		return normPayment(scheme, v, s.Region)
	}
	return "", "", invalid("unknown selector kind %q", s.Kind)
}

func normPhone(v, region string) (Kind, string, error) {
	n, ok := phone.Parse(v, region)
	if !ok {
		return "", "", invalid("not a valid phone number")
	}
	return Phone, n.E164, nil
}

func normEmail(v string) (Kind, string, error) {
	v = strings.ToLower(strings.TrimPrefix(strings.ToLower(v), "mailto:"))
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(v, " \t") || strings.Contains(domain, "@") {
		return "", "", invalid("not an e-mail address")
	}
	// Gmail ignores dots and anything after "+" in the local part: the
	// variants recruiters use reach one inbox.
	if domain == "gmail.com" || domain == "googlemail.com" {
		domain = "gmail.com"
		local, _, _ = strings.Cut(local, "+")
		local = strings.ReplaceAll(local, ".", "")
	}
	return Email, local + "@" + domain, nil
}

func normHandle(platform, v, region string) (Kind, string, error) {
	v = strings.ToLower(v)
	// A profile link names its platform and the handle.
	if strings.Contains(v, "/") {
		raw := v
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return "", "", invalid("not a profile link or handle")
		}
		host := strings.TrimPrefix(strings.TrimPrefix(u.Hostname(), "www."), "web.")
		p, known := hostPlatforms[host]
		if !known {
			return "", "", invalid("links to %s are not recognised; give the platform and the handle", host)
		}
		if platform != "" && platform != p {
			return "", "", invalid("the link is to %s, not %s", p, platform)
		}
		platform = p
		path := strings.Trim(u.Path, "/")
		if p == "facebook" && path == "profile.php" {
			path = u.Query().Get("id")
		}
		v, _, _ = strings.Cut(path, "/")
	}
	if platform == "" {
		return "", "", invalid("name the platform of the handle")
	}
	if phonePlatforms[platform] {
		return normPhone(v, region)
	}
	v = strings.TrimPrefix(v, "@")
	if platform == "facebook" {
		// Facebook ignores dots in user names.
		v = strings.ReplaceAll(v, ".", "")
	}
	if v == "" || strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) }) >= 0 {
		return "", "", invalid("a handle has no spaces")
	}
	if !validScheme(platform) {
		return "", "", invalid("unknown platform")
	}
	return Handle, platform + ":" + v, nil
}

func normPayment(scheme, v, region string) (Kind, string, error) {
	switch scheme {
	case "upi":
		v = strings.ToLower(strings.ReplaceAll(v, " ", ""))
		if h, t, ok := strings.Cut(v, "@"); !ok || h == "" || t == "" {
			return "", "", invalid("a UPI id looks like name@bank")
		}
		return Payment, "upi:" + v, nil
	case "wallet":
		// bKash, Nagad, eSewa, Khalti, Paytm: a wallet is a phone number.
		return normPhone(v, region)
	case "crypto":
		// Addresses are case-sensitive (base58, bech32 aside): keep them as
		// they are, without spaces.
		v = strings.Join(strings.Fields(v), "")
		return Payment, "crypto:" + v, nil
	case "bank", "card", "other", "":
		id := alnumUpper(v)
		if len(id) < 4 {
			return "", "", invalid("a payment id has at least 4 letters or digits")
		}
		if scheme == "" {
			scheme = "other"
		}
		return Payment, scheme + ":" + id, nil
	}
	return "", "", invalid("unknown payment scheme")
}

func validScheme(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
	}) < 0
}

// alnumUpper keeps the letters and digits of s, upper-cased: document and
// account numbers are written with spaces, dashes, dots and slashes at will.
func alnumUpper(s string) string {
	var b strings.Builder
	for _, r := range textnorm.ASCIIDigits(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// Token is the keyed hash of a normalised selector, in hex. It is what the
// database stores and what the matcher compares.
type Token string

// KeySize is the size of the deconfliction key in bytes.
const KeySize = 32

// Environment variables that hold the deconfliction key.
const (
	EnvKeyFile = "ATIP_DECONFLICT_KEY_FILE"
	EnvKey     = "ATIP_DECONFLICT_KEY"
)

const tokenLabel = "atip/deconflict/v1\x00"

// Tokenizer turns selectors into tokens under one key. Every organisation on
// a deployment shares it; deployments (countries) have their own, and match
// across borders only through an exchange their agreement provides for.
type Tokenizer struct {
	key []byte
}

// NewTokenizer makes a tokenizer from a 32-byte key.
func NewTokenizer(key []byte) (*Tokenizer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("deconflict: the key is %d bytes; want %d", len(key), KeySize)
	}
	return &Tokenizer{key: slices.Clone(key)}, nil
}

// TokenizerFromEnv loads the key from the file named by
// ATIP_DECONFLICT_KEY_FILE, or else from ATIP_DECONFLICT_KEY (base64 of 32
// bytes). A key file readable by every user of the machine is refused.
func TokenizerFromEnv(getenv func(string) string) (*Tokenizer, error) {
	file, val := getenv(EnvKeyFile), getenv(EnvKey)
	switch {
	case file != "" && val != "":
		return nil, fmt.Errorf("deconflict: set %s or %s, not both", EnvKeyFile, EnvKey)
	case file != "":
		fi, err := os.Stat(file)
		if err != nil {
			return nil, fmt.Errorf("deconflict: %s: %w", EnvKeyFile, err)
		}
		if fi.Mode().Perm()&0o004 != 0 {
			return nil, fmt.Errorf("deconflict: %s: the key file is readable by every user of the machine; chmod 600 it", EnvKeyFile)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("deconflict: %s: %w", EnvKeyFile, err)
		}
		val = string(b)
	case val == "":
		return nil, fmt.Errorf("deconflict: no key: set %s (a file holding base64 of 32 random bytes) or %s", EnvKeyFile, EnvKey)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(val))
	if err != nil {
		return nil, errors.New("deconflict: the key is not base64")
	}
	return NewTokenizer(key)
}

// Token normalises a selector and returns its token and canonical kind.
func (t *Tokenizer) Token(s Selector) (Token, Kind, error) {
	kind, v, err := Normalise(s)
	if err != nil {
		return "", "", err
	}
	return t.token(kind, v), kind, nil
}

func (t *Tokenizer) token(kind Kind, normalised string) Token {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(tokenLabel))
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(normalised))
	return Token(hex.EncodeToString(m.Sum(nil)))
}

// blindLabel separates blind-index terms from selector tokens: the same
// value gives unrelated outputs in the two uses.
const blindLabel = "atip/blind/v1\x00"

// Blind returns a keyed token of a search term (for example a folded name
// part, label "name"), for a blind index: storage keeps the token beside the
// record so an exact-term search finds records by their sealed fields
// without the fields, or a guessable hash of them, being in the database.
func (t *Tokenizer) Blind(label, term string) Token {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(blindLabel))
	m.Write([]byte(label))
	m.Write([]byte{0})
	m.Write([]byte(term))
	return Token(hex.EncodeToString(m.Sum(nil)))
}

// Holder is one organisation's record that holds a token.
type Holder struct {
	OrgID  string
	Record atip.RecordRef
}

// Index maps tokens to the records that hold them. The store builds it for
// the tokens being matched (one query: token IN (…)); it is never sent to a
// client.
type Index map[Token][]Holder

// Match is one record of another organisation that shares selectors with the
// new record. Show the asker OrgID only — "organisation X holds a matching
// record; ask them" — and the count of matching selectors. Record is for the
// server, to open an access request or a sighting that refers to it; it must
// not reach the asker's screen unless the policy lets them see the record.
type Match struct {
	OrgID     string
	Record    atip.RecordRef
	Selectors []int // indices into the tokens passed to Find: which of the asker's own selectors matched
}

// Find returns the records of other organisations that hold any of tokens,
// one Match per record, ordered by organisation and record. It leaves out the
// asker's own organisation's records, and those for which skip returns true
// (records the asker already sees in full; skip may be nil).
func Find(tokens []Token, idx Index, askerOrgID string, skip func(Holder) bool) []Match {
	var out []Match
	pos := map[Holder]int{}
	for i, tok := range tokens {
		for _, h := range idx[tok] {
			if h.OrgID == askerOrgID || skip != nil && skip(h) {
				continue
			}
			j, seen := pos[h]
			if !seen {
				j = len(out)
				pos[h] = j
				out = append(out, Match{OrgID: h.OrgID, Record: h.Record})
			}
			if !slices.Contains(out[j].Selectors, i) {
				out[j].Selectors = append(out[j].Selectors, i)
			}
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if c := strings.Compare(a.OrgID, b.OrgID); c != 0 {
			return c
		}
		return strings.Compare(a.Record.String(), b.Record.String())
	})
	return out
}
