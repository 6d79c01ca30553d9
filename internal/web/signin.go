package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"atip"
	"atip/internal/i18n"
)

type loginPage struct {
	Next   string
	Login  string
	Errors map[string]string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	next := localPath(r.URL.Query().Get("next"))
	if st.actor != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "login", loginPage{Next: next})
	return nil
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	st := stateOf(r)
	login := strings.TrimSpace(r.PostForm.Get("login"))
	next := localPath(r.PostForm.Get("next"))
	// A new sign-in always starts a new session: whatever session the
	// browser had is ended, so a token planted before sign-in is useless.
	if st.token != "" {
		if err := s.cfg.Auth.Logout(s.baseContext(r), st.token); err != nil && atip.ErrorCode(err) != atip.ENOTFOUND {
			return err
		}
		st.token, st.sess = "", nil
	}
	token, sess, err := s.cfg.Auth.Login(s.baseContext(r), login, r.PostForm.Get("password"))
	if err != nil {
		page := loginPage{Next: next, Login: login}
		switch atip.ErrorCode(err) {
		case atip.EUNAUTHORIZED, atip.ENOTFOUND:
			page.Errors = map[string]string{"": "login.failed"}
			s.render(w, r, http.StatusUnauthorized, "login", page)
			return nil
		case atip.ETOOMANY:
			page.Errors = map[string]string{"": "login.locked"}
			s.render(w, r, http.StatusTooManyRequests, "login", page)
			return nil
		case atip.EINVALID:
			page.Errors = map[string]string{"": "login.failed"}
			s.render(w, r, http.StatusUnprocessableEntity, "login", page)
			return nil
		}
		return err
	}
	s.setSessionCookie(w, r, token)
	switch sess.Stage {
	case atip.StageTOTP:
		http.Redirect(w, r, "/login/code?next="+url.QueryEscape(next), http.StatusSeeOther)
	case atip.StageEnrolTOTP:
		http.Redirect(w, r, "/login/enrol", http.StatusSeeOther)
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
	return nil
}

type codePage struct {
	Next   string
	Errors map[string]string
}

func (s *Server) codePage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "code", codePage{Next: localPath(r.URL.Query().Get("next"))})
	return nil
}

func (s *Server) codeSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	st := stateOf(r)
	next := localPath(r.PostForm.Get("next"))
	token, _, err := s.cfg.Auth.VerifySecondFactor(s.baseContext(r), st.token, parseCode(r.PostForm.Get("code")))
	if err != nil {
		page := codePage{Next: next}
		switch atip.ErrorCode(err) {
		case atip.EUNAUTHORIZED, atip.EINVALID:
			page.Errors = map[string]string{"code": "code.failed"}
			s.render(w, r, http.StatusUnauthorized, "code", page)
			return nil
		case atip.ETOOMANY:
			page.Errors = map[string]string{"code": "login.locked"}
			s.render(w, r, http.StatusTooManyRequests, "code", page)
			return nil
		case atip.ENOTFOUND:
			s.clearSessionCookie(w, r)
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return nil
		}
		return err
	}
	// The session was rotated: the old token is dead, the new one is full.
	s.setSessionCookie(w, r, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// enrolPage is the TOTP enrolment, both forced (at sign-in, when the role
// requires two-factor) and chosen (from the account page).
type enrolPage struct {
	Forced bool
	Action string
	Secret string
	QR     template.HTML
	Errors map[string]string
	// Recovery holds the one-time recovery codes once enrolment succeeded.
	Recovery []string
}

func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request) error {
	return s.beginEnrol(w, r, true, "/login/enrol")
}

func (s *Server) enrolSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.confirmEnrol(w, r, true, "/login/enrol")
}

func (s *Server) totpPage(w http.ResponseWriter, r *http.Request) error {
	return s.beginEnrol(w, r, false, "/account/totp")
}

func (s *Server) totpConfirm(w http.ResponseWriter, r *http.Request) error {
	return s.confirmEnrol(w, r, false, "/account/totp")
}

func (s *Server) beginEnrol(w http.ResponseWriter, r *http.Request, forced bool, action string) error {
	enr, err := s.cfg.Auth.BeginTOTP(r.Context())
	if err != nil {
		return err
	}
	qr, err := qrSVG(enr.URL)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "enrol", enrolPage{Forced: forced, Action: action, Secret: enr.Secret, QR: qr})
	return nil
}

func (s *Server) confirmEnrol(w http.ResponseWriter, r *http.Request, forced bool, action string) error {
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	secret := strings.TrimSpace(r.PostForm.Get("secret"))
	newToken, codes, err := s.cfg.Auth.ConfirmTOTP(r.Context(), stateOf(r).token, secret, parseCode(r.PostForm.Get("code")))
	if err != nil {
		switch atip.ErrorCode(err) {
		case atip.EUNAUTHORIZED, atip.EINVALID:
			// Show the same secret again so the user need not rescan.
			page := enrolPage{Forced: forced, Action: action, Secret: secret, Errors: map[string]string{"code": "code.failed"}}
			if page.QR, err = qrSVG(totpURL(secret, stateOf(r).user)); err != nil {
				return err
			}
			s.render(w, r, http.StatusUnprocessableEntity, "enrol", page)
			return nil
		}
		return err
	}
	if newToken != "" {
		s.setSessionCookie(w, r, newToken)
	}
	s.render(w, r, http.StatusOK, "enrol", enrolPage{Forced: forced, Recovery: codes})
	return nil
}

// totpURL rebuilds the otpauth URL for a secret the user already has, to
// redraw the QR code after a mistyped confirmation code.
func totpURL(secret string, u *atip.User) string {
	login := ""
	if u != nil {
		login = u.Login
	}
	v := url.Values{"secret": {secret}, "issuer": {"ATIP"}}
	return "otpauth://totp/" + url.PathEscape("ATIP:"+login) + "?" + v.Encode()
}

// qrSVG draws a QR code as an inline SVG: no image request, no script, and
// it scales crisply on any screen.
func qrSVG(content string) (template.HTML, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	bm := q.Bitmap()
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="240" height="240" role="img" aria-labelledby="qr-title"><title id="qr-title">QR</title><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n, n, n)
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	if st.token != "" {
		if err := s.cfg.Auth.Logout(r.Context(), st.token); err != nil && atip.ErrorCode(err) != atip.ENOTFOUND {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// setLanguage switches the interface language: on the user's record when
// signed in, so that it follows them to any browser, and in a cookie in any
// case, so that the sign-in page speaks it too.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	lang := r.PostForm.Get("lang")
	next := localPath(r.PostForm.Get("next"))
	if !i18n.Supported(lang) {
		return &atip.Error{Code: atip.EINVALID, Message: "unknown language", Fields: []atip.FieldError{{Field: "lang", Message: "choose a language from the list"}}}
	}
	st := stateOf(r)
	if st.actor != nil && st.user.Lang != lang {
		if _, err := s.cfg.Users.UpdateUser(r.Context(), st.user.ID, atip.UserUpdate{Lang: &lang}); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: lang, Path: "/", MaxAge: int(365 * 24 * time.Hour / time.Second),
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// parseError turns a failure to read the form into a domain error, keeping
// a body over the limit recognisable for the 413.
func parseError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return mbe
	}
	return atip.Errorf(atip.EINVALID, "the form could not be read")
}
