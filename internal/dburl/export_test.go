package dburl

// resetSecrets forgets what AddSecret and AddConnSecrets registered, for a test that registers.
func resetSecrets() {
	global.mu.Lock()
	defer global.mu.Unlock()
	global.set = Secrets{}
	global.replacer = nil
}
