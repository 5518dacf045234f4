/**
 * Agents and roles: stable identities with bearer tokens (stored only as SHA-256 hashes), the
 * authentication filter that makes every call an authenticated {@link dev.stigmergy.agent.Caller}, and the
 * admin bootstrap. Uses {@code api}, {@code time} and {@code event}; every capability reads the caller here.
 */
package dev.stigmergy.agent;
