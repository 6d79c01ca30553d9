package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"atip"
	"atip/internal/i18n"
	"atip/internal/policy"
)

// state is what the middleware learns about a request, shared down the
// chain through the context. It is a pointer so that inner layers can fill
// in what outer ones report (the route pattern for the request log).
type state struct {
	pattern string
	token   string        // the session cookie's token, "" when none
	sess    *atip.Session // nil when no live session
	user    *atip.User    // the session's user, set at every stage
	actor   *atip.Actor   // set only for a full session
	lang    string
}

type stateKey struct{}

func stateOf(r *http.Request) *state {
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		return st
	}
	return &state{lang: i18n.Default}
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush on the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one line per request: method, route pattern, status,
// duration. Never the path or query: they can carry search terms, and a
// search term can be a victim's name.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &state{lang: i18n.Default}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
		pattern := st.pattern
		if pattern == "" {
			switch {
			case strings.HasPrefix(r.URL.Path, "/static/"):
				pattern = "GET /static/"
			case strings.HasPrefix(r.URL.Path, "/api/"):
				pattern = "/api/"
			default:
				pattern = "unmatched"
			}
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("pattern", pattern),
			slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)))
	})
}

// recoverPanics turns a panic into a 500 page and a log line with the stack,
// so that one bad request never takes the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "panic", v, "stack", string(debug.Stack()))
				s.fail(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows nothing inline: no inline script, no inline
// style, no frames, forms only to ourselves.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies over the limit: at once when the length is
// declared, and when reading otherwise (the form parser then fails with
// *http.MaxBytesError, which fail maps to 413).
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBodyBytes {
			s.fail(w, r, &http.MaxBytesError{Limit: s.cfg.MaxBodyBytes})
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, atip.Errorf(atip.EFORBIDDEN, "cross-origin request refused"))
}

// secure reports whether the browser reached us over HTTPS.
func (s *Server) secure(r *http.Request) bool {
	if s.cfg.TLS || r.TLS != nil {
		return true
	}
	return s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// remoteAddr is the client's address for the audit trail. Behind a trusted
// proxy it is the last address the proxy appended to X-Forwarded-For (the
// earlier ones are whatever the client claimed).
func (s *Server) remoteAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// cookieName uses the __Host- prefix under HTTPS, which makes the browser
// refuse the cookie unless it is Secure, host-only and for path "/".
func (s *Server) cookieName(r *http.Request, name string) string {
	if s.secure(r) {
		return "__Host-" + name
	}
	return name
}

const sessionCookie = "atip_session"
const langCookie = "atip_lang"

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(r, sessionCookie), Value: token, Path: "/",
		MaxAge: int(cookieMaxAge / time.Second), HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(r, sessionCookie), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// baseContext is the context the services see for a request without a
// signed-in user: it still says where the request came from, for the audit
// trail of sign-in attempts.
func (s *Server) baseContext(r *http.Request) context.Context {
	return atip.NewContextWithActor(r.Context(), &atip.Actor{Via: atip.ViaWeb, RemoteAddr: s.remoteAddr(r)})
}

// loadSession finds the session of the cookie, and for a full session puts
// the actor in the context. It also settles the page language.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateOf(r)
		if strings.HasPrefix(r.URL.Path, "/static/") || strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if c, err := r.Cookie(s.cookieName(r, sessionCookie)); err == nil && c.Value != "" {
			sess, u, err := s.cfg.Auth.Session(s.baseContext(r), c.Value)
			switch {
			case err == nil:
				st.token, st.sess, st.user = c.Value, sess, u
			case atip.ErrorCode(err) == atip.ENOTFOUND || atip.ErrorCode(err) == atip.EUNAUTHORIZED:
				s.clearSessionCookie(w, r)
			default:
				s.fail(w, r, err)
				return
			}
		}
		if st.sess != nil && st.sess.Stage == atip.StageFull {
			a := &atip.Actor{User: st.user, Via: atip.ViaWeb, RemoteAddr: s.remoteAddr(r)}
			actx := atip.NewContextWithActor(ctx, a)
			org, err := s.cfg.Orgs.FindOrgByID(actx, st.user.OrgID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			a.Org = org
			st.actor = a
			ctx = actx
		}
		st.lang = s.pickLanguage(r, st)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) pickLanguage(r *http.Request, st *state) string {
	if st.actor != nil && i18n.Supported(st.user.Lang) {
		return st.user.Lang
	}
	if c, err := r.Cookie(langCookie); err == nil && i18n.Supported(c.Value) {
		return c.Value
	}
	return i18n.Match(r.Header.Get("Accept-Language"))
}

// gate lets a request through to its handler only when the session is at
// the stage the route needs and the user's roles grant the route's action
// somewhere. Errors from the handler are turned into pages by fail.
func (s *Server) gate(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateOf(r)
		st.pattern = rt.pattern
		stage := atip.SessionStage("")
		if st.sess != nil {
			stage = st.sess.Stage
		}
		switch rt.access {
		case secondFactor:
			if stage != atip.StageTOTP {
				s.toLogin(w, r)
				return
			}
		case enrolment:
			if stage != atip.StageEnrolTOTP {
				s.toLogin(w, r)
				return
			}
			// Enrolling needs the user in the context (BeginTOTP and
			// ConfirmTOTP act on the acting user), but only here.
			a := &atip.Actor{User: st.user, Via: atip.ViaWeb, RemoteAddr: s.remoteAddr(r)}
			r = r.WithContext(atip.NewContextWithActor(r.Context(), a))
		case signedIn:
			switch stage {
			case atip.StageFull:
			case atip.StageTOTP:
				http.Redirect(w, r, "/login/code", http.StatusSeeOther)
				return
			case atip.StageEnrolTOTP:
				http.Redirect(w, r, "/login/enrol", http.StatusSeeOther)
				return
			default:
				s.toLogin(w, r)
				return
			}
			if rt.action != "" && !policy.CanSome(st.actor, rt.action) {
				s.fail(w, r, atip.Errorf(atip.EFORBIDDEN, "your role does not allow this"))
				return
			}
		}
		if err := rt.handle(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// toLogin sends a visitor without a session to the sign-in page, which
// brings them back to where they were going (GET only: a form post cannot
// be replayed after sign-in).
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// SessionCookieName is the session cookie's name when the site is served
// over HTTPS (secure) or not; the JSON API accepts the same cookie.
func SessionCookieName(secure bool) string {
	if secure {
		return "__Host-" + sessionCookie
	}
	return sessionCookie
}
