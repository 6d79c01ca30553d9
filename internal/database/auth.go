package database

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"atip"
	"atip/internal/password"
	"atip/internal/policy"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// AuthConfig sets session lifetimes and throttling. Zero fields take the
// defaults of DefaultAuthConfig.
type AuthConfig struct {
	SessionIdle     time.Duration // a session unused this long ends (default 30 min)
	SessionAbsolute time.Duration // a session ends this long after sign-in, whatever the activity (default 12 h)
	PendingLifetime time.Duration // a session waiting for its second factor ends after this (default 10 min)
	AccountFailures int           // failures on one account within FailureWindow that lock it (default 5)
	AddrFailures    int           // failures from one address within FailureWindow that lock it (default 20)
	FailureWindow   time.Duration // default 15 min
	Lockout         time.Duration // how long a lock lasts (default 15 min)
	TOTPIssuer      string        // shown in authenticator apps (default "ATIP")
	Logger          *slog.Logger  // default slog.Default()
}

// DefaultAuthConfig returns the defaults.
func DefaultAuthConfig() AuthConfig {
	return AuthConfig{
		SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour, PendingLifetime: 10 * time.Minute,
		AccountFailures: 5, AddrFailures: 20, FailureWindow: 15 * time.Minute, Lockout: 15 * time.Minute,
		TOTPIssuer: "ATIP",
	}
}

func (c AuthConfig) withDefaults() AuthConfig {
	d := DefaultAuthConfig()
	if c.SessionIdle <= 0 {
		c.SessionIdle = d.SessionIdle
	}
	if c.SessionAbsolute <= 0 {
		c.SessionAbsolute = d.SessionAbsolute
	}
	if c.PendingLifetime <= 0 {
		c.PendingLifetime = d.PendingLifetime
	}
	if c.AccountFailures <= 0 {
		c.AccountFailures = d.AccountFailures
	}
	if c.AddrFailures <= 0 {
		c.AddrFailures = d.AddrFailures
	}
	if c.FailureWindow <= 0 {
		c.FailureWindow = d.FailureWindow
	}
	if c.Lockout <= 0 {
		c.Lockout = d.Lockout
	}
	if c.TOTPIssuer == "" {
		c.TOTPIssuer = d.TOTPIssuer
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// AuthService implements atip.AuthService.
type AuthService struct {
	db  *DB
	cfg AuthConfig
	// dummyHash is verified against when the login is unknown, so that the
	// answer takes as long as for a known login with a wrong password.
	dummyHash string
}

// NewAuthService returns the sign-in service on db.
func NewAuthService(db *DB, cfg AuthConfig) *AuthService {
	return &AuthService{db: db, cfg: cfg.withDefaults(), dummyHash: password.Hash("not a password of anyone", db.pwParams)}
}

var _ atip.AuthService = (*AuthService)(nil)

// Errors of sign-in. They say as little as they can: which of login or
// password was wrong is not told.
var (
	errBadLogin   = atip.Errorf(atip.EUNAUTHORIZED, "wrong login or password")
	errLocked     = atip.Errorf(atip.ETOOMANY, "too many failed attempts; try again later")
	errBadCode    = atip.Errorf(atip.EUNAUTHORIZED, "wrong code")
	errNoSession  = atip.Errorf(atip.ENOTFOUND, "no such session; sign in again")
	errDisabled   = atip.Errorf(atip.EUNAUTHORIZED, "this account is disabled")
	errTOTPNeeded = atip.Errorf(atip.EINVALID, "this session is not waiting for a second factor")
)

// newSecret returns 32 random bytes in URL-safe base64.
func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how session and API tokens are stored: they are 256-bit
// random, so a plain SHA-256 is enough to make a stolen table useless.
func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func remoteAddr(ctx context.Context) string {
	if a := atip.ActorFromContext(ctx); a != nil {
		return a.RemoteAddr
	}
	return ""
}

// credentials are what sign-in reads of a user beyond atip.User.
type credentials struct {
	user         *atip.User
	orgDisabled  bool
	passwordHash string
	totpSecret   string
	totpLastStep int64
	totpRoles    string
}

func loadCredentials(ctx context.Context, q querier, col, val string) (*credentials, error) {
	if col != "u.id" && col != "u.login_key" {
		panic("loadCredentials: bad column " + col)
	}
	row := q.QueryRowContext(ctx, `SELECT u.id, u.org_id, u.login, u.name, u.roles, u.lang, u.disabled, u.totp_enabled,
		u.last_login_at, u.created_at, u.created_by, u.updated_at, u.updated_by,
		o.disabled, u.password_hash, u.totp_secret, u.totp_last_step, o.totp_roles
		FROM users u JOIN orgs o ON o.id = u.org_id WHERE `+col+` = $1`, val)
	var c credentials
	var roles string
	var last sql.NullTime
	u := &atip.User{}
	err := row.Scan(&u.ID, &u.OrgID, &u.Login, &u.Name, &roles, &u.Lang, &u.Disabled, &u.TOTPEnabled, &last,
		&u.CreatedAt, &u.CreatedBy, &u.UpdatedAt, &u.UpdatedBy,
		&c.orgDisabled, &c.passwordHash, &c.totpSecret, &c.totpLastStep, &c.totpRoles)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUserNotFound
	} else if err != nil {
		return nil, fmt.Errorf("load credentials: %w", err)
	}
	u.Roles = splitRoles(roles)
	if last.Valid {
		u.LastLoginAt = last.Time.UTC()
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	c.user = u
	return &c, nil
}

// stageAfterPassword is where a session starts once the password is right.
func (c *credentials) stageAfterPassword() atip.SessionStage {
	if c.user.TOTPEnabled {
		return atip.StageTOTP
	}
	for _, r := range splitRoles(c.totpRoles) {
		if c.user.HasRole(r) {
			return atip.StageEnrolTOTP
		}
	}
	return atip.StageFull
}

// throttle keys
func userKey(id string) string { return "user:" + id }
func addrKey(addr string) string {
	if addr == "" {
		return ""
	}
	return "addr:" + addr
}
func unknownLoginKey(loginKey string) string {
	h := sha256.Sum256([]byte(loginKey))
	return "login:" + hex.EncodeToString(h[:16])
}

// lockedUntil returns when the first locked key of keys unlocks, or zero.
func (s *AuthService) lockedUntil(ctx context.Context, now time.Time, keys ...string) (time.Time, error) {
	var until time.Time
	for _, k := range keys {
		if k == "" {
			continue
		}
		var t sql.NullTime
		err := s.db.r.QueryRowContext(ctx, `SELECT locked_until FROM login_throttle WHERE key = $1`, k).Scan(&t)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return time.Time{}, fmt.Errorf("throttle: %w", err)
		}
		if t.Valid && t.Time.After(now) && t.Time.After(until) {
			until = t.Time
		}
	}
	return until, nil
}

// recordFailure counts a failure against each key inside tx and reports
// whether any of them became locked.
func (s *AuthService) recordFailure(tx *Tx, keys map[string]int) (bool, error) {
	locked := false
	for k, limit := range keys {
		if k == "" {
			continue
		}
		var failures int
		var start time.Time
		err := tx.QueryRowContext(tx.ctx, `SELECT failures, window_start FROM login_throttle WHERE key = $1`, k).Scan(&failures, &start)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && tx.Now.Sub(start) > s.cfg.FailureWindow) {
			failures, start = 0, tx.Now
		} else if err != nil {
			return false, fmt.Errorf("throttle: %w", err)
		}
		failures++
		var until any
		if failures >= limit {
			until = tx.Now.Add(s.cfg.Lockout)
			locked = true
			failures, start = 0, tx.Now
		}
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO login_throttle (key, failures, window_start, locked_until)
			VALUES ($1, $2, $3, $4)
			ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
				locked_until = COALESCE(excluded.locked_until, login_throttle.locked_until)`,
			k, failures, start, until); err != nil {
			return false, fmt.Errorf("throttle: %w", err)
		}
	}
	return locked, nil
}

// failLogin records a failed attempt and its audit entry in one transaction.
func (s *AuthService) failLogin(ctx context.Context, action, userID, orgID, reason string, keys map[string]int) error {
	var locked bool
	err := s.db.Write(ctx, func(tx *Tx) error {
		var err error
		if locked, err = s.recordFailure(tx, keys); err != nil {
			return err
		}
		detail := reason
		if locked {
			detail += "; locked"
		}
		tx.Audit(atip.AuditEntry{Action: action, ActorID: userID, ActorOrgID: orgID, RecordType: "user", RecordID: userID,
			Outcome: "failed", Detail: detail})
		return nil
	})
	// The log says why, never with the login typed or the password.
	s.cfg.Logger.WarnContext(ctx, "sign-in failed", "action", action, "reason", reason, "user_id", userID,
		"remote", remoteAddr(ctx), "locked", locked)
	return err
}

// Login checks a login and password and starts a session.
func (s *AuthService) Login(ctx context.Context, login, pw string) (string, *atip.Session, error) {
	now := s.db.Now()
	addr := remoteAddr(ctx)
	key := LoginKey(login)
	if key == "" || len(pw) > 4*password.MaxLength {
		return "", nil, errBadLogin
	}
	c, err := loadCredentials(ctx, s.db.r, "u.login_key", key)
	if atip.ErrorCode(err) == atip.ENOTFOUND {
		if until, err := s.lockedUntil(ctx, now, addrKey(addr), unknownLoginKey(key)); err != nil {
			return "", nil, err
		} else if !until.IsZero() {
			return "", nil, s.denyLocked(ctx, "", "")
		}
		_, _ = password.Verify(pw, s.dummyHash)
		err := s.failLogin(ctx, "auth.login_failed", "", "", "unknown account",
			map[string]int{addrKey(addr): s.cfg.AddrFailures, unknownLoginKey(key): s.cfg.AccountFailures})
		if err != nil {
			return "", nil, err
		}
		return "", nil, errBadLogin
	} else if err != nil {
		return "", nil, err
	}
	u := c.user
	if until, err := s.lockedUntil(ctx, now, addrKey(addr), userKey(u.ID)); err != nil {
		return "", nil, err
	} else if !until.IsZero() {
		return "", nil, s.denyLocked(ctx, u.ID, u.OrgID)
	}
	ok, err := password.Verify(pw, c.passwordHash)
	if err != nil {
		return "", nil, fmt.Errorf("login: stored hash of user %s: %w", u.ID, err)
	}
	if !ok {
		if err := s.failLogin(ctx, "auth.login_failed", u.ID, u.OrgID, "wrong password",
			map[string]int{addrKey(addr): s.cfg.AddrFailures, userKey(u.ID): s.cfg.AccountFailures}); err != nil {
			return "", nil, err
		}
		return "", nil, errBadLogin
	}
	if u.Disabled || c.orgDisabled {
		if err := s.failLogin(ctx, "auth.login_failed", u.ID, u.OrgID, "account disabled", nil); err != nil {
			return "", nil, err
		}
		return "", nil, errDisabled
	}
	var rehash string
	if password.NeedsRehash(c.passwordHash, s.db.pwParams) {
		rehash = password.Hash(pw, s.db.pwParams)
	}
	token := newSecret()
	var sess *atip.Session
	err = s.db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, userKey(u.ID)); err != nil {
			return err
		}
		if err := s.sweep(tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = $1 WHERE id = $2`, tx.Now, u.ID); err != nil {
			return err
		}
		if rehash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, rehash, u.ID); err != nil {
				return err
			}
		}
		stage := c.stageAfterPassword()
		expires := tx.Now.Add(s.cfg.SessionAbsolute)
		if stage != atip.StageFull {
			expires = tx.Now.Add(s.cfg.PendingLifetime)
		}
		var err error
		if sess, err = s.createSession(tx, token, u.ID, stage, expires); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "auth.login", ActorID: u.ID, ActorOrgID: u.OrgID, RecordType: "user", RecordID: u.ID,
			Detail: "stage=" + string(stage)})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// sweep deletes sessions past their absolute expiry and throttle rows whose
// window and lock are over, so neither table grows without end.
func (s *AuthService) sweep(tx *Tx) error {
	if _, err := tx.ExecContext(tx.ctx, `DELETE FROM sessions WHERE expires_at < $1`, tx.Now); err != nil {
		return fmt.Errorf("sweep sessions: %w", err)
	}
	_, err := tx.ExecContext(tx.ctx, `DELETE FROM login_throttle WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $2)`,
		tx.Now.Add(-s.cfg.FailureWindow), tx.Now)
	if err != nil {
		return fmt.Errorf("sweep throttle: %w", err)
	}
	return nil
}

func (s *AuthService) denyLocked(ctx context.Context, userID, orgID string) error {
	err := s.db.Write(ctx, func(tx *Tx) error {
		tx.Audit(atip.AuditEntry{Action: "auth.login_failed", ActorID: userID, ActorOrgID: orgID, RecordType: "user",
			RecordID: userID, Outcome: "denied", Detail: "locked out"})
		return nil
	})
	s.cfg.Logger.WarnContext(ctx, "sign-in refused: locked out", "user_id", userID, "remote", remoteAddr(ctx))
	if err != nil {
		return err
	}
	return errLocked
}

func (s *AuthService) createSession(tx *Tx, token, userID string, stage atip.SessionStage, expires time.Time) (*atip.Session, error) {
	sess := &atip.Session{ID: hashToken(token), UserID: userID, Stage: stage, CreatedAt: tx.Now, LastSeenAt: tx.Now,
		ExpiresAt: expires, RemoteAddr: remoteAddr(tx.ctx)}
	_, err := tx.ExecContext(tx.ctx, `INSERT INTO sessions (id, user_id, stage, remote_addr, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		sess.ID, sess.UserID, string(sess.Stage), sess.RemoteAddr, sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	return sess, nil
}

func findSession(ctx context.Context, q querier, id string) (*atip.Session, error) {
	var s atip.Session
	var stage string
	err := q.QueryRowContext(ctx, `SELECT id, user_id, stage, remote_addr, created_at, last_seen_at, expires_at
		FROM sessions WHERE id = $1`, id).Scan(&s.ID, &s.UserID, &stage, &s.RemoteAddr, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSession
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	s.Stage = atip.SessionStage(stage)
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	return &s, nil
}

func (s *AuthService) live(sess *atip.Session, now time.Time) bool {
	return now.Before(sess.ExpiresAt) && now.Sub(sess.LastSeenAt) < s.cfg.SessionIdle
}

// touchEvery bounds how often a session's or token's last use is written:
// every request would make every read a write.
const touchEvery = time.Minute

// Session returns the live session and its user for a cookie token.
func (s *AuthService) Session(ctx context.Context, token string) (*atip.Session, *atip.User, error) {
	if token == "" {
		return nil, nil, errNoSession
	}
	now := s.db.Now()
	sess, err := findSession(ctx, s.db.r, hashToken(token))
	if err != nil {
		return nil, nil, err
	}
	if !s.live(sess, now) {
		err := s.db.Write(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, sess.ID)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		return nil, nil, errNoSession
	}
	c, err := loadCredentials(ctx, s.db.r, "u.id", sess.UserID)
	if err != nil {
		return nil, nil, errNoSession
	}
	u := c.user
	if u.Disabled || c.orgDisabled {
		return nil, nil, errNoSession
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		err := s.db.Write(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, tx.Now, sess.ID)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		sess.LastSeenAt = now
	}
	return sess, u, nil
}

// Logout ends the session of token.
func (s *AuthService) Logout(ctx context.Context, token string) error {
	id := hashToken(token)
	return s.db.Write(ctx, func(tx *Tx) error {
		sess, err := findSession(ctx, tx, id)
		if err != nil {
			return nil // already gone: logging out twice is not an error
		}
		var orgID string
		if err := tx.QueryRowContext(ctx, `SELECT org_id FROM users WHERE id = $1`, sess.UserID).Scan(&orgID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "auth.logout", ActorID: sess.UserID, ActorOrgID: orgID, RecordType: "user", RecordID: sess.UserID})
		return nil
	})
}

var totpOpts = totp.ValidateOpts{Period: 30, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpStep returns the time step a 6-digit code matches within ±1 step of
// now, or -1.
func totpStep(secret, code string, now time.Time) int64 {
	cur := now.Unix() / 30
	match := int64(-1)
	for _, step := range []int64{cur - 1, cur, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*30, 0), totpOpts)
		if err != nil {
			return -1
		}
		// Constant time, and no early exit, so timing says nothing of which step.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			match = step
		}
	}
	return match
}

func isTOTPCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// normaliseRecoveryCode makes typing forgiving: case, spaces and dashes do
// not matter.
func normaliseRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// VerifySecondFactor takes a TOTP or recovery code for a session at
// StageTOTP and rotates the session to StageFull.
func (s *AuthService) VerifySecondFactor(ctx context.Context, token, code string) (string, *atip.Session, error) {
	now := s.db.Now()
	sess, err := findSession(ctx, s.db.r, hashToken(token))
	if err != nil {
		return "", nil, err
	}
	if !s.live(sess, now) {
		return "", nil, errNoSession
	}
	if sess.Stage != atip.StageTOTP {
		return "", nil, errTOTPNeeded
	}
	c, err := loadCredentials(ctx, s.db.r, "u.id", sess.UserID)
	if err != nil {
		return "", nil, errNoSession
	}
	u := c.user
	addr := remoteAddr(ctx)
	if until, err := s.lockedUntil(ctx, now, addrKey(addr), userKey(u.ID)); err != nil {
		return "", nil, err
	} else if !until.IsZero() {
		return "", nil, s.denyLocked(ctx, u.ID, u.OrgID)
	}
	code = strings.TrimSpace(code)
	newToken := newSecret()
	var out *atip.Session
	var method string
	err = s.db.Write(ctx, func(tx *Tx) error {
		switch {
		case isTOTPCode(code):
			// Re-read the last step inside the write transaction: two
			// requests with one code must not both pass.
			var last int64
			if err := tx.QueryRowContext(ctx, `SELECT totp_last_step FROM users WHERE id = $1`, u.ID).Scan(&last); err != nil {
				return err
			}
			secret, err := s.db.openTOTP(u.ID, c.totpSecret)
			if err != nil {
				return err
			}
			step := totpStep(secret, code, tx.Now)
			if step < 0 || step <= last {
				return errBadCode
			}
			if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2`, step, u.ID); err != nil {
				return err
			}
			method = "totp"
		default:
			res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1, updated_at = $1, updated_by = $2
				WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`, tx.Now, u.ID, hashToken(normaliseRecoveryCode(code)))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return errBadCode
			}
			method = "recovery code"
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, sess.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, userKey(u.ID)); err != nil {
			return err
		}
		var err error
		out, err = s.createSession(tx, newToken, u.ID, atip.StageFull, tx.Now.Add(s.cfg.SessionAbsolute))
		if err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "auth.second_factor", ActorID: u.ID, ActorOrgID: u.OrgID, RecordType: "user",
			RecordID: u.ID, Detail: method})
		return nil
	})
	if err == errBadCode {
		if err := s.failLogin(ctx, "auth.second_factor_failed", u.ID, u.OrgID, "wrong code",
			map[string]int{addrKey(addr): s.cfg.AddrFailures, userKey(u.ID): s.cfg.AccountFailures}); err != nil {
			return "", nil, err
		}
		return "", nil, errBadCode
	} else if err != nil {
		return "", nil, err
	}
	return newToken, out, nil
}

// actingUser returns the signed-in user of ctx.
func actingUser(ctx context.Context) (*atip.User, error) {
	a := atip.ActorFromContext(ctx)
	if a == nil || a.User == nil {
		return nil, atip.Errorf(atip.EUNAUTHORIZED, "sign in first")
	}
	return a.User, nil
}

// BeginTOTP makes a new TOTP secret for the acting user.
func (s *AuthService) BeginTOTP(ctx context.Context) (*atip.TOTPEnrolment, error) {
	u, err := actingUser(ctx)
	if err != nil {
		return nil, err
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: s.cfg.TOTPIssuer, AccountName: u.Login, Period: 30,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, fmt.Errorf("totp: %w", err)
	}
	return &atip.TOTPEnrolment{Secret: k.Secret(), URL: k.URL()}, nil
}

// recoveryCodeCount is how many one-time codes a user gets.
const recoveryCodeCount = 10

// newRecoveryCode returns 80 random bits as 16 base32 characters in four
// groups: easy to copy, impossible to guess.
func newRecoveryCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("no randomness: " + err.Error())
	}
	s := base32.StdEncoding.EncodeToString(b)
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// ConfirmTOTP turns two-factor on once the user proves their app has the
// secret, and returns fresh recovery codes (any earlier ones stop working).
func (s *AuthService) ConfirmTOTP(ctx context.Context, token, secret, code string) (string, []string, error) {
	var userID string
	var sess *atip.Session
	if token != "" {
		var err error
		sess, err = findSession(ctx, s.db.r, hashToken(token))
		if err != nil {
			return "", nil, err
		}
		if !s.live(sess, s.db.Now()) || sess.Stage == atip.StageTOTP {
			return "", nil, errNoSession
		}
		userID = sess.UserID
		if a := atip.ActorFromContext(ctx); a != nil && a.User != nil && a.User.ID != userID {
			return "", nil, errNoSession
		}
	} else {
		u, err := actingUser(ctx)
		if err != nil {
			return "", nil, err
		}
		userID = u.ID
	}
	secret = strings.ToUpper(strings.TrimSpace(secret))
	if _, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret); err != nil || len(secret) < 16 {
		var v atip.Invalid
		v.Add("secret", "is not a TOTP secret")
		return "", nil, v.Err()
	}
	code = strings.TrimSpace(code)
	var codes []string
	var newToken string
	err := s.db.Write(ctx, func(tx *Tx) error {
		var orgID string
		if err := tx.QueryRowContext(ctx, `SELECT org_id FROM users WHERE id = $1`, userID).Scan(&orgID); err != nil {
			return errUserNotFound
		}
		step := int64(-1)
		if isTOTPCode(code) {
			step = totpStep(secret, code, tx.Now)
		}
		if step < 0 {
			var v atip.Invalid
			v.Add("code", "does not match; check the time on your phone and try the next code")
			return v.Err()
		}
		stored, err := s.db.sealTOTP(userID, secret)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_enabled = TRUE, totp_last_step = $2,
			updated_at = $3, updated_by = $4 WHERE id = $4`, stored, step, tx.Now, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
			return err
		}
		for range recoveryCodeCount {
			c := newRecoveryCode()
			codes = append(codes, c)
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (id, user_id, code_hash, created_at, created_by, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, $2, $4, $2)`, atip.NewID(), userID, hashToken(normaliseRecoveryCode(c)), tx.Now); err != nil {
				return err
			}
		}
		if sess != nil && sess.Stage == atip.StageEnrolTOTP {
			// Enrolment completes sign-in: rotate the session as a second
			// factor does, so a token seen before now is worth nothing.
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, sess.ID); err != nil {
				return err
			}
			newToken = newSecret()
			if _, err := s.createSession(tx, newToken, userID, atip.StageFull, tx.Now.Add(s.cfg.SessionAbsolute)); err != nil {
				return err
			}
		}
		tx.Audit(atip.AuditEntry{Action: "auth.totp_enable", ActorID: userID, ActorOrgID: orgID, RecordType: "user", RecordID: userID})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return newToken, codes, nil
}

// TOTPRequiredRoles returns the roles for which an organisation requires
// two-factor.
func (s *AuthService) TOTPRequiredRoles(ctx context.Context, orgID string) ([]atip.Role, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !policy.Can(a, policy.OrgView, orgID) {
		return nil, errOrgNotFound
	}
	var roles string
	err = s.db.r.QueryRowContext(ctx, `SELECT totp_roles FROM orgs WHERE id = $1`, orgID).Scan(&roles)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOrgNotFound
	} else if err != nil {
		return nil, err
	}
	return splitRoles(roles), nil
}

// SetTOTPRequiredRoles makes two-factor mandatory for the given roles of an
// organisation. Users with those roles who have no second factor are sent to
// enrol at their next sign-in.
func (s *AuthService) SetTOTPRequiredRoles(ctx context.Context, orgID string, roles []atip.Role) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !policy.Can(a, policy.OrgView, orgID) {
		return errOrgNotFound
	}
	if err := require(a, policy.SettingsEdit, orgID, "change this organisation's settings"); err != nil {
		return err
	}
	var v atip.Invalid
	for _, r := range roles {
		if !r.Valid() {
			v.Add("roles", "%q is not a role", string(r))
			return v.Err()
		}
	}
	roles = slices.Clone(roles)
	slices.Sort(roles)
	roles = slices.Compact(roles)
	return s.db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE orgs SET totp_roles = $1, updated_at = $2, updated_by = $3 WHERE id = $4`,
			joinRoles(roles), tx.Now, a.UserID(), orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errOrgNotFound
		}
		tx.Audit(atip.AuditEntry{Action: "org.totp_required", RecordType: "org", RecordID: orgID, Detail: "roles=" + joinRoles(roles)})
		return nil
	})
}

// errWrongCurrent is the answer to a wrong current password: a field error,
// since the user is signed in and only mistyped it.
var errWrongCurrent = &atip.Error{Code: atip.EINVALID, Message: "some fields are not valid",
	Fields: []atip.FieldError{{Field: "current", Message: "is not your current password"}}}

// ChangePassword changes the acting user's own password after checking the
// current one under the same lockout as sign-in.
func (s *AuthService) ChangePassword(ctx context.Context, sessionToken, current, newPassword string) error {
	u, err := actingUser(ctx)
	if err != nil {
		return err
	}
	now := s.db.Now()
	addr := remoteAddr(ctx)
	if until, err := s.lockedUntil(ctx, now, addrKey(addr), userKey(u.ID)); err != nil {
		return err
	} else if !until.IsZero() {
		return s.denyLocked(ctx, u.ID, u.OrgID)
	}
	c, err := loadCredentials(ctx, s.db.r, "u.id", u.ID)
	if err != nil {
		return err
	}
	if len(current) > 4*password.MaxLength {
		return errWrongCurrent
	}
	ok, err := password.Verify(current, c.passwordHash)
	if err != nil {
		return fmt.Errorf("change password: stored hash of user %s: %w", u.ID, err)
	}
	if !ok {
		if err := s.failLogin(ctx, "user.password_change_failed", u.ID, u.OrgID, "wrong current password",
			map[string]int{addrKey(addr): s.cfg.AddrFailures, userKey(u.ID): s.cfg.AccountFailures}); err != nil {
			return err
		}
		return errWrongCurrent
	}
	if msg := password.Check(newPassword, c.user.Login); msg != "" {
		var v atip.Invalid
		v.Add("new", "%s", msg)
		return v.Err()
	}
	hash := password.Hash(newPassword, s.db.pwParams)
	return s.db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2,
			updated_at = $2, updated_by = $3 WHERE id = $4`, hash, tx.Now, u.ID, u.ID); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		// Whoever else holds a session of this account (a shared phone, a
		// stolen cookie) is signed out; the user's own session stays.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`,
			u.ID, hashToken(sessionToken)); err != nil {
			return fmt.Errorf("end other sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, userKey(u.ID)); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "user.password_change", RecordType: "user", RecordID: u.ID})
		return nil
	})
}
