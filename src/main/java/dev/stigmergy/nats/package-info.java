/**
 * The NATS door (issue 29): {@link dev.stigmergy.nats.NatsRequests} answers deposit and heartbeat requests on
 * {@code <prefix>.<environment>.deposit} and {@code .heartbeat} through the same services as REST. Uses
 * {@code agent}, {@code entity}, {@code environment}, {@code pheromone}, {@code lease} and {@code event} (for the
 * NATS settings); nothing uses it.
 */
package dev.stigmergy.nats;
