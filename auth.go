package atip

import (
	"context"
	"time"
)

// SessionStage says how far a browser session has got through sign-in.
type SessionStage string

const (
	StageFull      SessionStage = "full"  // signed in
	StageTOTP      SessionStage = "totp"  // password checked; waiting for a TOTP or recovery code
	StageEnrolTOTP SessionStage = "enrol" // password checked; the user's role requires two-factor and they must enrol first
)

// Session is a signed-in browser session. The cookie holds a random token;
// the database holds only the token's SHA-256 hash (ID), so a stolen database
// does not yield live sessions.
type Session struct {
	ID         string // hex SHA-256 of the token
	UserID     string
	Stage      SessionStage
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute limit, whatever the activity
	RemoteAddr string
}

// TOTPEnrolment is a new, not yet confirmed, TOTP secret.
type TOTPEnrolment struct {
	Secret string // base32
	URL    string // otpauth:// URL for the QR code
}

// AuthService signs users in and out. Every attempt, success or failure, is
// audited; repeated failures are throttled and lock the account for a while.
type AuthService interface {
	// Login checks a login and password and starts a session. The session is
	// at StageTOTP when the user has two-factor on, at StageEnrolTOTP when
	// their role requires two-factor and they have none yet.
	Login(ctx context.Context, login, password string) (token string, s *Session, err error)
	// VerifySecondFactor takes a TOTP code or a one-time recovery code for a
	// session at StageTOTP. It rotates the session: the old token stops
	// working and the returned one is at StageFull.
	VerifySecondFactor(ctx context.Context, token, code string) (newToken string, s *Session, err error)
	// Session returns the session and its user for a cookie token, applying
	// the idle and absolute timeouts. ENOTFOUND when none is live.
	Session(ctx context.Context, token string) (*Session, *User, error)
	Logout(ctx context.Context, token string) error
	// ChangePassword changes the acting user's own password. The current
	// password is checked as sign-in checks it (a wrong one is audited and
	// counts towards the lockout), so a borrowed session alone cannot take
	// the account over. Every other session of the user ends; the one of
	// sessionToken ("" for none) stays.
	ChangePassword(ctx context.Context, sessionToken, current, newPassword string) error

	// BeginTOTP makes a new secret for the acting user; nothing changes until
	// ConfirmTOTP.
	BeginTOTP(ctx context.Context) (*TOTPEnrolment, error)
	// ConfirmTOTP checks a code against the secret, turns two-factor on for
	// the acting user and returns their one-time recovery codes (shown once).
	// A session at StageEnrolTOTP has now completed sign-in, so it is
	// rotated like any sign-in: the old token stops working and newToken is
	// the session at StageFull. Otherwise newToken is "".
	ConfirmTOTP(ctx context.Context, token, secret, code string) (newToken string, recoveryCodes []string, err error)
	// TOTPRequiredRoles returns the roles for which an organisation requires
	// two-factor; SetTOTPRequiredRoles changes them (an admin's setting).
	TOTPRequiredRoles(ctx context.Context, orgID string) ([]Role, error)
	SetTOTPRequiredRoles(ctx context.Context, orgID string, roles []Role) error
}

// APIToken lets another system call the JSON API as a user. The secret is
// shown once at creation; only its hash is stored.
type APIToken struct {
	ID         string
	UserID     string
	Name       string
	Scopes     []string // e.g. "read", "write"
	ExpiresAt  time.Time
	LastUsedAt time.Time // zero when never
	RevokedAt  time.Time // zero when live
	Stamp
}

// TokenService manages API tokens.
type TokenService interface {
	CreateToken(ctx context.Context, name string, scopes []string, expiresAt time.Time) (secret string, t *APIToken, err error)
	// AuthenticateToken returns the token and its user for a secret, or
	// EUNAUTHORIZED when it is unknown, expired or revoked.
	AuthenticateToken(ctx context.Context, secret string) (*APIToken, *User, error)
	FindTokens(ctx context.Context, userID string) ([]*APIToken, error)
	RevokeToken(ctx context.Context, id string) error
}
