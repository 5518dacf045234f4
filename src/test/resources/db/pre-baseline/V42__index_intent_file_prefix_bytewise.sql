-- Candidate overlaps are found by prefix: equal to an ancestor directory of a declared prefix, or inside
-- it. Byte-wise ("C") order makes "inside a/b/" the range ['a/b/', 'a/b0'), which this index serves.
create index intent_file_held_prefix_c on intent_file (prefix collate "C", intent_id) where status = 'HELD';
