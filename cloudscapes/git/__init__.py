"""Git for learners: a repository's status, staging, commits, history, branches and
remotes, run with the real git CLI (argv only, bounded, one lock per repository)."""
