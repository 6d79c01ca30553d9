package web

import (
	"net/http"
	"time"

	"atip"
)

type accountPage struct {
	User        *atip.User
	Org         *atip.Org
	Tokens      []*atip.APIToken
	Scopes      []string
	TokenForm   tokenForm
	TokenDays   string
	NewSecret   string // a new token's secret, shown once
	NewToken    *atip.APIToken
	Errors      map[string]string // password form
	TokenErrors map[string]string
	Saved       string // which section was just saved
}

func (s *Server) accountPageFor(r *http.Request) (accountPage, error) {
	st := stateOf(r)
	tokens, err := s.cfg.Tokens.FindTokens(r.Context(), st.user.ID)
	if err != nil {
		return accountPage{}, err
	}
	return accountPage{User: st.user, Org: st.actor.Org, Tokens: tokens, Scopes: tokenScopes, TokenForm: tokenForm{Scopes: []string{"read"}}, TokenDays: "90"}, nil
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	page, err := s.accountPageFor(r)
	if err != nil {
		return err
	}
	page.Saved = r.URL.Query().Get("saved")
	s.render(w, r, http.StatusOK, "account", page)
	return nil
}

// accountPassword changes the user's own password. The current password is
// checked by signing in with it (the only way the auth service offers), and
// that extra session is ended at once; a stolen session alone therefore
// cannot take over the account.
func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	st := stateOf(r)
	f, err := parsePasswordForm(r.PostForm)
	if err == nil {
		err = s.cfg.Auth.ChangePassword(r.Context(), st.token, f.Current, f.New)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		page, perr := s.accountPageFor(r)
		if perr != nil {
			return perr
		}
		page.Errors = fields
		s.render(w, r, code, "account", page)
		return nil
	}
	http.Redirect(w, r, "/account?saved=password", http.StatusSeeOther)
	return nil
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	f, err := parseTokenForm(r.PostForm, time.Now())
	var secret string
	var tok *atip.APIToken
	if err == nil {
		secret, tok, err = s.cfg.Tokens.CreateToken(r.Context(), f.Name, f.Scopes, f.Expires)
	}
	page, perr := s.accountPageFor(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		page.TokenErrors, page.TokenForm, page.TokenDays = fields, f, r.PostForm.Get("days")
		s.render(w, r, code, "account", page)
		return nil
	}
	// The secret is shown on this response only; a reload does not repeat
	// the post (the form is not resubmitted without the browser asking).
	page.NewSecret, page.NewToken = secret, tok
	s.render(w, r, http.StatusOK, "account", page)
	return nil
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	// Only the user's own tokens are listed and revocable here; the
	// service refuses any other id as not found.
	if err := s.cfg.Tokens.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?saved=token", http.StatusSeeOther)
	return nil
}
