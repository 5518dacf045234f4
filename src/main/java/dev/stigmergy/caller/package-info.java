/**
 * Who calls: the authenticated agent of the current call, the role it acts as and the environments it reaches
 * ({@link dev.stigmergy.caller.Caller}). Below every capability, so that each can read its caller, {@code agent}
 * (which authenticates) and {@code event} (which filters streams by scope) alike, without importing each other.
 * Uses only {@code api}.
 */
package dev.stigmergy.caller;
