"""Pure domain rules: ladders, signals, referrals, Dutch dates. No I/O, no database."""
