-- Indexes for the clean-up of expired sessions and stale throttle rows,
-- done at every successful sign-in.

-- +goose Up
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX login_throttle_window ON login_throttle (window_start);

-- +goose Down
DROP INDEX login_throttle_window;
DROP INDEX sessions_expires;
