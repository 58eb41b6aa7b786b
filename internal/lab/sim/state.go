package sim

// Update loads the host's state named name (zero value when absent), calls
// fn, and saves it when fn returns nil. It holds the host's state lock (a file
// lock, so f3s-lab exec in another process is serialised too) for the whole of
// fn, and the lock is not re-entrant. The rules for commands:
//   - call Update only around their own state change, never for a whole run;
//   - read their stdin before calling Update, never inside fn, so that a
//     pipeline such as "zfs send | zfs recv" cannot deadlock;
//   - never call Exec, Shell, Update or Load inside fn (the nested call would
//     wait for the lock its caller holds; after 30 s it fails with an error
//     naming this rule). Tree operations and Syslog are fine inside fn: the
//     tree has a lock of its own.
//
// State is kept as indented JSON in DIR/hosts/NAME/state/NAME.json, written
// atomically; names may use letters, digits, '.', '_' and '-'.
func Update[T any](h *Host, name string, fn func(s *T) error) error {
	return h.update(name, func(load func(any) error, save func(any) error) error {
		var s T
		if err := load(&s); err != nil {
			return err
		}
		if err := fn(&s); err != nil {
			return err
		}
		return save(&s)
	})
}

// Load returns the host's state named name, under the same lock.
func Load[T any](h *Host, name string) (T, error) {
	var s T
	err := h.update(name, func(load func(any) error, _ func(any) error) error {
		return load(&s)
	})
	return s, err
}
