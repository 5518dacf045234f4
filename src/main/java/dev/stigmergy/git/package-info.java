/**
 * Reading git repositories with JGit: resolving refs, merge bases, what a branch or commit range changes
 * (files and hunks against the merge base, renames followed), in-memory trial merges, and expanding path
 * patterns against a tree. Never writes a working tree. Uses only {@code api}.
 */
package dev.stigmergy.git;
