/**
 * Database modes: an external PostgreSQL named by {@code QUARKUS_DATASOURCE_JDBC_URL}, or an embedded one
 * started before Quarkus from Maven-shipped binaries. Uses nothing else of the service.
 */
package dev.stigmergy.db;
