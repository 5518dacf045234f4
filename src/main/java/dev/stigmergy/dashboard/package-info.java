/**
 * The reviewer dashboard: a read-only web UI served by the service. {@link dev.stigmergy.dashboard.DashboardPages}
 * serves page shells (Qute templates, no data, no token needed); the pages' script
 * ({@code META-INF/resources/dashboard-assets/}) signs in with a reviewer token kept in the tab's
 * sessionStorage and reads everything through the authenticated JSON API and the event stream, which it reads
 * with {@code fetch()} because EventSource cannot send the bearer header. The two reads the public API lacks
 * (agents' last heartbeat; an environment's file tree with the edit overlaps of its active intents' branches)
 * are {@link dev.stigmergy.dashboard.DashboardResource}. Nothing here writes, and none of it is in the OpenAPI
 * spec. Uses {@code api}, {@code agent}, {@code event}, {@code environment} and {@code intent}.
 */
package dev.stigmergy.dashboard;
