/**
 * The replay colony (issue 7): {@link dev.stigmergy.colony.ColonyCommand} replays the last commits of a git
 * repository as jobs for a scout, workers and a validator that coordinate only through the service, via the
 * Java SDK ({@code dev.stigmergy.client}). Local git work happens in a bare scratch clone
 * ({@link dev.stigmergy.colony.ReplayRepository}); the original repository is only read.
 *
 * <p>Uses the SDK, JGit and picocli; nothing of the service's code.
 */
package dev.stigmergy.colony;
