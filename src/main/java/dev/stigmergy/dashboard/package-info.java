/**
 * The reviewer dashboard: a read-only web UI served by the service. {@link dev.stigmergy.dashboard.DashboardPages}
 * serves page shells (Qute templates, no data, no token needed); the pages' script
 * ({@code META-INF/resources/dashboard-assets/}) signs in with a reviewer token kept in the tab's
 * sessionStorage and reads everything through the authenticated JSON API and the event stream, which it reads
 * with {@code fetch()} because EventSource cannot send the bearer header. The reads the public API lacks or answers
 * only in many calls (a page of agents with their last heartbeat and holds; a page of the Board's cards; an
 * environment's file tree with the edit overlaps of its active intents' branches) are
 * {@link dev.stigmergy.dashboard.DashboardResource}; the pages are bounded in count and in bytes
 * ({@link dev.stigmergy.dashboard.PageBudget}) so the views stay usable with thousands of agents and entities. Nothing here writes, and none of it is in the OpenAPI
 * spec. Uses {@code api}, {@code caller}, {@code agent}, {@code event}, {@code environment}, {@code entity},
 * {@code pheromone}, {@code lock}, {@code intent} and {@code unlock}.
 */
package dev.stigmergy.dashboard;
