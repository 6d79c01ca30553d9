package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"atip"
)

// The public reporting page takes tips from anyone, without signing in.
// Abuse is held off without a third-party CAPTCHA (which would send the
// reporter's address to another company): a token bucket per address
// (kept in the database when the tip service offers it, so that every
// server process behind one proxy shares one limit), a small body limit, a
// honeypot field people never see, and a minimum time between showing the
// form and sending it, carried in a signed field.

// reportBodyLimit bounds a public report's request body: 5,000 characters
// of text in a form encoding is at most about 45 KB.
const reportBodyLimit = 64 << 10

// tipDesk is the server's state for the public page.
type tipDesk struct {
	// limit, when set, replaces the tip service's shared limiter (tests
	// set a looser one).
	limit reportLimit
	// mem limits in this process alone when the tip service has no shared
	// limiter.
	mem     *rateLimiter
	key     []byte        // signs the form's start time; new at every start
	minFill time.Duration // quicker than this is a machine
}

func newTipDesk() *tipDesk {
	key := make([]byte, 32)
	rand.Read(key)
	// Five reports at once, then one every ten minutes, per address.
	return &tipDesk{mem: newRateLimiter(5, 10*time.Minute), key: key, minFill: 3 * time.Second}
}

// reportLimit takes one request of a client and says whether it is within
// the limit.
type reportLimit interface {
	Allow(ctx context.Context, addr string) (bool, error)
}

// sharedReportLimit is a tip service that keeps the public page's rate
// limit in its store, shared by every process on it.
type sharedReportLimit interface {
	AllowReport(ctx context.Context, addr string) (bool, error)
}

// reportAllowed applies the public page's rate limit to the request's
// client: the desk's own limiter when one is set, else the tip service's
// shared one, else this process's.
func (s *Server) reportAllowed(r *http.Request) (bool, error) {
	addr := s.remoteAddr(r)
	switch sl, shared := s.cfg.Tips.(sharedReportLimit); {
	case s.desk.limit != nil:
		return s.desk.limit.Allow(r.Context(), addr)
	case shared:
		return sl.AllowReport(r.Context(), addr)
	}
	return s.desk.mem.Allow(r.Context(), addr)
}

func (d *tipDesk) stamp(now time.Time) string {
	ts := strconv.FormatInt(now.Unix(), 10)
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte(ts))
	return ts + "." + hex.EncodeToString(m.Sum(nil)[:12])
}

// filledInTime checks the signed start time: it must be ours, at least
// minFill old and at most a day old.
func (d *tipDesk) filledInTime(stamp string, now time.Time) bool {
	ts, sig, ok := strings.Cut(stamp, ".")
	if !ok {
		return false
	}
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte(ts))
	want := hex.EncodeToString(m.Sum(nil)[:12])
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return false
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(n, 0))
	return age >= d.minFill && age <= 24*time.Hour
}

type reportPage struct {
	Accepting bool
	Stamp     string
	Text      string
	Platform  string
	URL       string
	Contact   string
	Errors    map[string]string
	Ref       string // set on the thank-you page
	Thanks    bool
}

func (s *Server) reportForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "report", reportPage{Accepting: s.cfg.Tips.AcceptsPublicTips(), Stamp: s.desk.stamp(time.Now())})
	return nil
}

func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.Tips.AcceptsPublicTips() {
		s.render(w, r, http.StatusServiceUnavailable, "report", reportPage{})
		return nil
	}
	if ok, err := s.reportAllowed(r); err != nil {
		return err
	} else if !ok {
		w.Header().Set("Retry-After", "600")
		return atip.Errorf(atip.ETOOMANY, "too many reports from this address")
	}
	r.Body = http.MaxBytesReader(w, r.Body, reportBodyLimit)
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	v := r.PostForm
	page := reportPage{Accepting: true, Stamp: s.desk.stamp(time.Now()),
		Text: v.Get("text"), Platform: field(v, "platform"), URL: field(v, "url"), Contact: field(v, "contact")}
	if field(v, "website") != "" {
		// The honeypot: people never see this field. Answer as if it
		// worked, so a machine learns nothing, and store nothing.
		s.render(w, r, http.StatusOK, "report", reportPage{Thanks: true})
		return nil
	}
	if !s.desk.filledInTime(v.Get("started"), time.Now()) {
		page.Errors = map[string]string{"": "report.too_quick"}
		s.render(w, r, http.StatusUnprocessableEntity, "report", page)
		return nil
	}
	ref, err := s.cfg.Tips.SubmitPublicTip(r.Context(), &atip.Tip{Text: page.Text, Platform: page.Platform, URL: page.URL, Contact: page.Contact})
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		page.Errors = fields
		s.render(w, r, code, "report", page)
		return nil
	}
	// The thank-you page shows the reference only: the text is not echoed,
	// so a shared or watched screen does not show what was reported.
	http.Redirect(w, r, "/report/thanks?ref="+url.QueryEscape(ref), http.StatusSeeOther)
	return nil
}

func (s *Server) reportThanks(w http.ResponseWriter, r *http.Request) error {
	ref := r.URL.Query().Get("ref")
	if !strings.HasPrefix(ref, "TIP-") || len(ref) > 20 {
		ref = ""
	}
	s.render(w, r, http.StatusOK, "report", reportPage{Thanks: true, Ref: ref})
	return nil
}

type tipNewPage struct {
	Form   url.Values
	Errors map[string]string
}

func (s *Server) tipNew(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "tips_new", tipNewPage{Form: url.Values{}})
	return nil
}

// tipCreate takes an officer's report of something seen online.
func (s *Server) tipCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	v := r.PostForm
	t := &atip.Tip{Source: atip.TipOfficer, Text: v.Get("text"), Platform: field(v, "platform"), URL: field(v, "url"), Author: field(v, "author")}
	var err error
	if p := field(v, "posted_at"); p != "" {
		if t.PostedAt, err = time.ParseInLocation("2006-01-02T15:04", p, zoneFor(stateOf(r).actor)); err != nil {
			// Report the time with whatever else is wrong, in one go.
			var inv atip.Invalid
			if verr, ok := t.Validate().(*atip.Error); ok {
				for _, f := range verr.Fields {
					inv.Add(f.Field, "%s", f.Message)
				}
			}
			inv.Add("posted_at", "tips.bad_time")
			err = inv.Err()
		}
	}
	if err == nil {
		err = s.cfg.Tips.CreateTip(r.Context(), t)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		s.render(w, r, code, "tips_new", tipNewPage{Form: v, Errors: fields})
		return nil
	}
	http.Redirect(w, r, "/tips/"+url.PathEscape(t.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}
