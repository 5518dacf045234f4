/**
 * Agents and roles: stable identities with bearer tokens (stored only as SHA-256 hashes), the
 * authentication filter that makes every call an authenticated {@link dev.stigmergy.caller.Caller}, and the
 * admin bootstrap. {@code AgentService} looks agents up and authenticates tokens (with the token cache);
 * {@code AgentAdministration} holds what an admin changes (registration, scopes, tokens, deactivation, roles);
 * {@code EnvironmentScopes} is what the doors add to the scope checks the services make. Uses {@code api}, {@code caller}, {@code time} and {@code event}; every capability reads its caller from
 * {@code caller}, never from here.
 */
package dev.stigmergy.agent;
