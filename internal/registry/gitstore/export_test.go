package gitstore

// Hooks for the tests (package gitstore_test).

// SetBeforePush makes s call f before each push.
func SetBeforePush(s *Store, f func()) { s.beforePush = f }

// SetAttempts lowers s's bound on attempts.
func SetAttempts(s *Store, n int) { s.attempts = n }
