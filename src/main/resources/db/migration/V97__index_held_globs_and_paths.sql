-- The overlap check's candidate read (issue 30): a declared plain path c needs, in each directory above it, only the
-- held globs and the held paths that are c or one of those directories, not every held file there (a 20-file
-- declaration read ~400 held files of its directories only to drop them). Held globs by literal prefix, held
-- paths by path: each an index probe that returns only what may overlap.
create index intent_file_held_glob on intent_file (prefix) where status = 'HELD' and path ~ '[*?[]';
create index intent_file_held_path on intent_file (path) where status = 'HELD';
